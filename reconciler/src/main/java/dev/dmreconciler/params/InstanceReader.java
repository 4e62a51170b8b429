package dev.dmreconciler.params;

import dev.dmreconciler.source.RepoTree;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The instances of one application in a native-form environment: the Jupyter form's {@code namespaces:} (one
 * instance per namespace), {@code instances:} (name → namespace, values) and {@code instanceDir:} (one flat file
 * per instance), or, when none is declared, one instance from the application's values. Each instance's name and
 * namespace are settled and checked, and its required variables checked. Split from {@link EnvironmentLoader},
 * which reads the environment around it.
 */
final class InstanceReader {

    private static final Set<String> INSTANCE_KEYS = Set.of("namespace", "values");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

    private final RepoTree tree;
    private final Layers layers;

    InstanceReader(RepoTree tree, Layers layers) {
        this.tree = tree;
        this.layers = layers;
    }

    /**
     * @param values   the application's values below every instance (defaults, shared files, environment)
     * @param declared whether the application declares instances (namespaces, instances or instanceDir)
     */
    Map<String, Instance> read(Bundle bundle, YamlFile yaml, Map<String, Node> spec, Map<String, Param> values,
                               boolean declared, Problems problems) {
        Map<String, Instance> instances = new LinkedHashMap<>();
        if (spec.containsKey("namespaces")) {
            namespaceEntries(yaml, spec.get("namespaces"), bundle).forEach((namespace, overrides) -> {
                Map<String, Param> merged = new LinkedHashMap<>(values);
                if (!YamlFile.isNull(overrides)) {
                    yaml.mapping(overrides, namespace).forEach((key, node) -> {
                        if (key.equals(bundle.namespaceVariable())) {
                            problems.error(yaml.where(node), namespace + "." + key,
                                    "the namespace variable is the namespace's own name and cannot be overridden");
                        } else {
                            layers.set(merged, bundle, yaml, key, node, problems, true);
                        }
                    });
                }
                String where = yaml.where(overrides == null ? spec.get("namespaces") : overrides);
                add(instances, instance(bundle, null, namespace, namespace, merged, where, problems), problems);
            });
        }
        if (spec.containsKey("instances")) {
            yaml.mapping(spec.get("instances"), bundle.name() + ".instances").forEach((instanceName, node) -> {
                Map<String, Node> entry = YamlFile.isNull(node) ? Map.of() : yaml.mapping(node, instanceName);
                entry.forEach((key, value) -> {
                    if (!INSTANCE_KEYS.contains(key)) {
                        problems.error(yaml.where(value), instanceName + "." + key, "unknown instance setting"
                                + DidYouMean.hint(key, INSTANCE_KEYS) + "; known: " + new TreeSet<>(INSTANCE_KEYS));
                    }
                });
                Map<String, Param> merged = new LinkedHashMap<>(values);
                if (entry.containsKey("values")) {
                    yaml.mapping(entry.get("values"), instanceName + ".values")
                            .forEach((key, value) -> layers.set(merged, bundle, yaml, key, value, problems, true));
                }
                String namespace = entry.containsKey("namespace") ? yaml.string(entry.get("namespace"), instanceName + ".namespace") : null;
                add(instances, instance(bundle, instanceName, namespace, null, merged, yaml.where(node), problems), problems);
            });
        }
        if (spec.containsKey("instanceDir")) {
            readInstanceDir(bundle, yaml, spec.get("instanceDir"), values, instances, problems);
        }
        if (!declared) {
            add(instances, instance(bundle, null, null, null, values, yaml.file(), problems), problems);
        }
        return instances;
    }

    /** instanceDir: every *.yaml, *.yml and *.json directly in the folder is one instance (flat variables). */
    private void readInstanceDir(Bundle bundle, YamlFile env, Node node, Map<String, Param> values,
                                 Map<String, Instance> instances, Problems problems) {
        String dir;
        try {
            dir = RepoTree.normalize(EnvironmentLoader.ENVIRONMENTS_DIR + "/" + env.string(node, bundle.name() + ".instanceDir"));
        } catch (IllegalArgumentException e) {
            problems.error(env.where(node), bundle.name() + ".instanceDir", e.getMessage());
            return;
        }
        try {
            List<String> files = tree.listFiles(dir).stream()
                    .filter(f -> f.endsWith(".yaml") || f.endsWith(".yml") || f.endsWith(".json")).toList();
            if (files.isEmpty() && tree.listDirectories(dir).isEmpty()) {
                problems.warning(env.where(node), bundle.name() + ".instanceDir", "folder " + dir
                        + " has no instance files (*.yaml, *.yml, *.json): no instances");
            }
            for (String fileName : files) {
                String path = dir + "/" + fileName;
                try {
                    YamlFile file = YamlFile.parse(path, tree.read(path).orElseThrow());
                    Map<String, Param> merged = new LinkedHashMap<>(values);
                    file.topLevel().forEach((key, value) -> layers.set(merged, bundle, file, key, value, problems, true));
                    add(instances, instance(bundle, null, null, EnvironmentLoader.stripExtension(fileName), merged, path, problems), problems);
                } catch (InvalidInputException e) {
                    problems.addAll(e.problems());
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void add(Map<String, Instance> instances, Instance instance, Problems problems) {
        if (instance == null) {
            return;
        }
        Instance previous = instances.putIfAbsent(instance.name(), instance);
        if (previous != null) {
            problems.error(instance.where(), instance.name(), "instance declared twice (also at " + previous.where() + ")");
        }
    }

    /**
     * One instance: its namespace and name settled (given, else from the bundle's variables, else the fallback),
     * written back into its values, and its required variables checked.
     *
     * @param name         the declared name (instances: key) or null
     * @param namespace    the declared namespace or null (then the bundle's namespaceVariable)
     * @param fallbackName the name when neither a declared name nor instanceNameVariable gives one (null: namespace)
     * @return the instance, or null when it has no usable namespace or name (an error was reported)
     */
    static Instance instance(Bundle bundle, String name, String namespace, String fallbackName,
                                     Map<String, Param> values, String where, Problems problems) {
        String namespaceVariable = bundle.namespaceVariable();
        if (namespace != null && namespaceVariable != null) {
            Param set = values.get(namespaceVariable);
            if (set != null && !set.isDefault() && set.value() != null && !namespace.equals(String.valueOf(set.value()))
                    && !set.where().equals(where)) {
                problems.error(set.where(), namespaceVariable, "conflicts with the instance's namespace '" + namespace + "'");
            }
            values.put(namespaceVariable, new Param(namespace, where, false));
        } else if (namespace == null) {
            Param set = namespaceVariable == null ? null : values.get(namespaceVariable);
            if (set == null || set.value() == null || String.valueOf(set.value()).isEmpty()
                    || bundle.sentinel().equals(String.valueOf(set.value()))) {
                problems.error(where, namespaceVariable == null ? "namespace" : namespaceVariable,
                        "the instance has no namespace; set " + (namespaceVariable == null ? "namespace:" : namespaceVariable));
                return null;
            }
            namespace = String.valueOf(set.value());
            where = set.isDefault() ? where : set.where();
        }
        String nameVariable = bundle.instanceNameVariable();
        Param named = nameVariable == null ? null : values.get(nameVariable);
        boolean nameSet = named != null && named.value() != null && !String.valueOf(named.value()).isEmpty()
                && !bundle.sentinel().equals(String.valueOf(named.value()));
        if (name != null) {
            if (nameSet && !named.isDefault() && !name.equals(String.valueOf(named.value()))) {
                problems.error(named.where(), nameVariable, "conflicts with the instance's name '" + name + "'");
            }
        } else {
            name = nameSet ? String.valueOf(named.value()) : fallbackName != null ? fallbackName : namespace;
        }
        if (nameVariable != null && bundle.variables().containsKey(nameVariable)) {
            values.put(nameVariable, named != null && name.equals(String.valueOf(named.value())) ? named
                    : new Param(name, where, false));
        }
        checkNamespaceName(namespace, where, problems);
        if (!name.equals(namespace) && !DNS_SUBDOMAIN.matcher(name).matches()) {
            problems.error(where, name, "not a valid instance name (lower-case letters, digits, '-' and '.')");
        }
        Layers.checkRequired(bundle, values, where.replaceFirst(":\\d+$", ""), problems);
        return new Instance(name, namespace, Map.copyOf(values), where);
    }

    /** namespaces: either a list of names or a mapping name → overrides (null for none). */
    private Map<String, Node> namespaceEntries(YamlFile yaml, Node node, Bundle bundle) {
        if (node instanceof ScalarNode) {
            throw InvalidInputException.of(yaml.where(node), bundle.name() + ".namespaces",
                    "expected a list of namespace names or a mapping namespace → overrides");
        }
        if (node instanceof org.yaml.snakeyaml.nodes.SequenceNode) {
            Map<String, Node> entries = new LinkedHashMap<>();
            for (Node item : yaml.sequence(node, bundle.name() + ".namespaces")) {
                String namespace = yaml.string(item, bundle.name() + ".namespaces");
                if (entries.put(namespace, null) != null) {
                    throw InvalidInputException.of(yaml.where(item), namespace, "namespace listed twice");
                }
            }
            return entries;
        }
        return yaml.mapping(node, bundle.name() + ".namespaces");
    }

    private static void checkNamespaceName(String namespace, String where, Problems problems) {
        if (!DNS_LABEL.matcher(namespace).matches()) {
            problems.error(where, namespace, "not a valid namespace name (lower-case letters, digits and '-', at most 63)");
        }
    }
}

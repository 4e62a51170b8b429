package dev.dmreconciler.params;

import dev.dmreconciler.source.RepoTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Finds the application bundles of a repository: every {@code templates/<app>/bundle.yaml}.
 * A person adds an application by adding such a folder; no Java is involved.
 */
public final class BundleLoader {

    public static final String TEMPLATES_DIR = "templates";
    private static final Set<String> BUNDLE_KEYS = Set.of("name", "description", "prefix", "namespaceVariable",
            "applicationNamespacesVariable", "applicationNamespacesSeparator", "stateVariable", "instanceNameVariable",
            "sentinel", "templates", "variables", "namespacePreconditions", "preconditions", "environmentScopeName",
            "instanceScopeName", "envLookups", "varsFiles", "secretCopies");
    private static final Set<String> VARIABLE_KEYS = Set.of("type", "of", "default", "required", "description",
            "allowed", "promote", "secret");
    private static final Set<String> TEMPLATE_KEYS = Set.of("file", "scope", "namespaces", "lifecycle");
    private static final Set<String> PRECONDITION_KEYS = Set.of("apiVersion", "kind", "name", "names", "namespace",
            "namespaces", "scope");
    /** Lifecycle policies (shared interface 1); the planner carries them out. */
    public static final Set<String> LIFECYCLES = Set.of("recreate", "create-once", "keep");

    private BundleLoader() {
    }

    /** Loads every bundle; problems in one bundle are collected and that bundle is left out. */
    public static Map<String, Bundle> loadAll(RepoTree tree, Problems problems) {
        Map<String, Bundle> bundles = new TreeMap<>();
        try {
            for (String dir : tree.listDirectories(TEMPLATES_DIR)) {
                String file = TEMPLATES_DIR + "/" + dir + "/bundle.yaml";
                var content = tree.read(file);
                if (content.isEmpty()) {
                    continue; // a folder of shared macros, not an application
                }
                try {
                    Bundle bundle = parse(YamlFile.parse(file, content.get()), dir, tree);
                    bundles.put(bundle.name(), bundle);
                } catch (InvalidInputException e) {
                    problems.addAll(e.problems());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bundles;
    }

    static Bundle parse(YamlFile yaml, String dirName, RepoTree tree) throws IOException {
        Problems problems = new Problems();
        Map<String, Node> top = yaml.topLevel();
        for (String key : top.keySet()) {
            if (!BUNDLE_KEYS.contains(key)) {
                problems.error(yaml.where(top.get(key)), key, "unknown bundle setting; known: "
                        + BUNDLE_KEYS.stream().sorted().toList());
            }
        }
        String name = requiredString(yaml, top, "name", problems);
        if (name != null && !name.equals(dirName)) {
            problems.error(yaml.where(top.get("name")), "name",
                    "bundle name '" + name + "' must equal its folder name '" + dirName + "'");
        }
        String prefix = requiredString(yaml, top, "prefix", problems);
        String namespaceVariable = optionalString(yaml, top, "namespaceVariable");
        String stateVariable = optionalString(yaml, top, "stateVariable");
        String instanceNameVariable = optionalString(yaml, top, "instanceNameVariable");
        String appNamespaces = optionalString(yaml, top, "applicationNamespacesVariable");
        String separator = top.containsKey("applicationNamespacesSeparator")
                ? yaml.string(top.get("applicationNamespacesSeparator"), "applicationNamespacesSeparator") : "[:,]";
        try {
            java.util.regex.Pattern.compile(separator);
        } catch (java.util.regex.PatternSyntaxException e) {
            problems.error(yaml.where(top.get("applicationNamespacesSeparator")), "applicationNamespacesSeparator",
                    "not a valid regular expression: " + e.getDescription());
            separator = "[:,]";
        }
        String environmentScopeName = top.containsKey("environmentScopeName")
                ? yaml.string(top.get("environmentScopeName"), "environmentScopeName") : "environment";
        String instanceScopeName = top.containsKey("instanceScopeName")
                ? yaml.string(top.get("instanceScopeName"), "instanceScopeName") : "instance";
        String sentinel = top.containsKey("sentinel") ? yaml.string(top.get("sentinel"), "sentinel") : "SetMe";
        String description = optionalString(yaml, top, "description");

        List<TemplateRef> templates = new ArrayList<>();
        if (!top.containsKey("templates")) {
            problems.error(yaml.file(), "templates", "a bundle must list its templates");
        } else {
            for (Node item : yaml.sequence(top.get("templates"), "templates")) {
                templates.add(templateRef(yaml, item, tree, problems));
            }
        }

        Map<String, Variable> variables = new LinkedHashMap<>();
        if (top.containsKey("variables")) {
            yaml.mapping(top.get("variables"), "variables").forEach((varName, node) -> {
                try {
                    variables.put(varName, variable(yaml, varName, node));
                } catch (InvalidInputException e) {
                    problems.addAll(e.problems());
                }
            });
        }
        List<Bundle.Precondition> preconditions = new ArrayList<>();
        if (top.containsKey("namespacePreconditions")) {
            for (Node item : yaml.sequence(top.get("namespacePreconditions"), "namespacePreconditions")) {
                Map<String, Node> entry = yaml.mapping(item, "namespacePreconditions");
                preconditions.add(new Bundle.Precondition(requiredString(yaml, entry, "apiVersion", problems),
                        requiredString(yaml, entry, "kind", problems), requiredString(yaml, entry, "name", problems)));
            }
        }
        List<Bundle.Requirement> requirements = new ArrayList<>();
        if (top.containsKey("preconditions")) {
            for (Node item : yaml.sequence(top.get("preconditions"), "preconditions")) {
                requirements.addAll(requirement(yaml, item, problems));
            }
        }
        for (String special : new String[] {namespaceVariable, stateVariable, appNamespaces, instanceNameVariable}) {
            if (special != null && !variables.containsKey(special)) {
                problems.error(yaml.file(), special, "the bundle names this variable but does not declare it under variables");
            }
        }
        if (prefix != null) {
            variables.keySet().stream().filter(v -> !v.startsWith(prefix)).forEach(v -> problems.error(
                    yaml.where(top.get("variables")), v, "variable does not start with the bundle prefix '" + prefix + "'"));
        }
        problems.throwIfErrors();
        return new Bundle(name, yaml.file(), description, prefix, namespaceVariable, appNamespaces, separator,
                stateVariable, instanceNameVariable, sentinel, List.copyOf(templates), Map.copyOf(variables),
                List.copyOf(preconditions), List.copyOf(requirements), environmentScopeName, instanceScopeName,
                BundleSecretsReader.read(yaml, top, problems));
    }

    /**
     * One {@code preconditions:} entry: apiVersion, kind, scope, and {@code name} (a template) or {@code names}
     * (a YAML list of templates, or one FreeMarker expression giving a list), {@code namespace} or
     * {@code namespaces} likewise. A YAML list becomes one requirement per element (names × namespaces).
     */
    static List<Bundle.Requirement> requirement(YamlFile yaml, Node item, Problems problems) {
        Map<String, Node> entry = yaml.mapping(item, "preconditions");
        for (String key : entry.keySet()) {
            if (!PRECONDITION_KEYS.contains(key)) {
                problems.error(yaml.where(entry.get(key)), "preconditions." + key, "unknown precondition setting; known: "
                        + PRECONDITION_KEYS.stream().sorted().toList());
            }
        }
        String apiVersion = requiredString(yaml, entry, "apiVersion", problems, item);
        String kind = requiredString(yaml, entry, "kind", problems, item);
        boolean valid = apiVersion != null && kind != null;
        TextList names = textList(yaml, entry, "name", "names", true, problems, item);
        TextList namespaces = textList(yaml, entry, "namespace", "namespaces", false, problems, item);
        String scope = entry.containsKey("scope") ? yaml.string(entry.get("scope"), "scope") : "environment";
        boolean instanceScope = switch (scope.toLowerCase(Locale.ROOT)) {
            case "environment" -> false;
            case "instance", "namespace" -> true;
            default -> {
                problems.error(yaml.where(entry.get("scope")), "preconditions.scope",
                        "unknown scope '" + scope + "'; use 'environment' or 'instance'");
                yield false;
            }
        };
        if (!valid || names == null || namespaces == null) {
            return List.of();
        }
        List<Bundle.Requirement> out = new ArrayList<>();
        for (String name : names.templates()) {
            for (String namespace : namespaces.templates()) {
                out.add(new Bundle.Requirement(apiVersion, kind, name, namespace, instanceScope, yaml.where(item),
                        names.expression(), namespaces.expression()));
            }
        }
        return out;
    }

    /** {@code name}/{@code names} (or namespace/namespaces): templates, or one expression (then templates is [""]). */
    private record TextList(List<String> templates, String expression) {
    }

    private static TextList textList(YamlFile yaml, Map<String, Node> entry, String one, String many, boolean required,
                                     Problems problems, Node item) {
        if (entry.containsKey(one) && entry.containsKey(many)) {
            problems.error(yaml.where(entry.get(many)), "preconditions." + many, "set either " + one + " or " + many + ", not both");
            return null;
        }
        if (entry.containsKey(many)) {
            Node node = entry.get(many);
            if (node instanceof org.yaml.snakeyaml.nodes.SequenceNode) {
                List<String> templates = yaml.sequence(node, "preconditions." + many).stream()
                        .map(n -> yaml.string(n, "preconditions." + many)).toList();
                if (templates.isEmpty()) {
                    problems.error(yaml.where(node), "preconditions." + many, "an empty list requires nothing; remove the precondition");
                    return null;
                }
                return new TextList(templates, null);
            }
            String expression = yaml.string(node, "preconditions." + many).strip();
            if (expression.isEmpty() || expression.contains("${")) {
                problems.error(yaml.where(node), "preconditions." + many, "expected a YAML list of names or one FreeMarker "
                        + "expression giving a list (e.g. user_secret, or volumes?map(v -> v.name)), without ${...}");
                return null;
            }
            return new TextList(List.of(""), expression);
        }
        if (entry.containsKey(one)) {
            return new TextList(List.of(yaml.string(entry.get(one), "preconditions." + one)), null);
        }
        if (required) {
            problems.error(yaml.where(item), "preconditions." + one, "required: " + one + " or " + many);
            return null;
        }
        return new TextList(List.of(""), null);
    }

    private static TemplateRef templateRef(YamlFile yaml, Node item, RepoTree tree, Problems problems)
            throws IOException {
        Map<String, Node> entry = yaml.mapping(item, "templates");
        for (String key : entry.keySet()) {
            if (!TEMPLATE_KEYS.contains(key)) {
                problems.error(yaml.where(entry.get(key)), "templates." + key, "unknown template setting; known: "
                        + TEMPLATE_KEYS.stream().sorted().toList());
            }
        }
        String path = requiredString(yaml, entry, "file", problems, item);
        String scopeText = entry.containsKey("scope") ? yaml.string(entry.get("scope"), "scope") : "environment";
        TemplateRef.Scope scope = switch (scopeText.toLowerCase(Locale.ROOT)) {
            case "environment", "operator" -> TemplateRef.Scope.ENVIRONMENT;
            case "instance", "namespace" -> TemplateRef.Scope.INSTANCE;
            default -> {
                problems.error(yaml.where(entry.get("scope")), "scope",
                        "unknown scope '" + scopeText + "'; use 'environment' or 'instance' (alias 'namespace')");
                yield TemplateRef.Scope.ENVIRONMENT;
            }
        };
        List<String> namespaces = entry.containsKey("namespaces")
                ? yaml.sequence(entry.get("namespaces"), "templates.namespaces").stream()
                        .map(n -> yaml.string(n, "templates.namespaces")).toList()
                : List.of();
        String lifecycle = optionalString(yaml, entry, "lifecycle");
        if (lifecycle != null) {
            for (String policy : lifecycle.split(",")) {
                if (!LIFECYCLES.contains(policy.trim())) {
                    problems.error(yaml.where(entry.get("lifecycle")), "lifecycle", "unknown lifecycle policy '"
                            + policy.trim() + "'; known: " + LIFECYCLES.stream().sorted().toList());
                }
            }
        }
        if (path != null) {
            try {
                path = RepoTree.normalize(path);
                if (tree.read(path).isEmpty()) {
                    problems.error(yaml.where(entry.get("file")), path, "template file does not exist");
                }
            } catch (IllegalArgumentException e) {
                problems.error(yaml.where(entry.get("file")), "file", e.getMessage());
            }
        }
        return new TemplateRef(path, scope, namespaces, lifecycle);
    }

    private static Variable variable(YamlFile yaml, String name, Node node) {
        Map<String, Node> spec = YamlFile.isNull(node) ? Map.of() : yaml.mapping(node, name);
        for (String key : spec.keySet()) {
            if (!VARIABLE_KEYS.contains(key)) {
                throw InvalidInputException.of(yaml.where(spec.get(key)), name + "." + key,
                        "unknown variable setting; known: " + VARIABLE_KEYS.stream().sorted().toList());
            }
        }
        VarType type = VarType.STRING;
        if (spec.containsKey("type")) {
            type = VarType.parse(yaml.string(spec.get("type"), name + ".type"));
            if (type == null) {
                throw InvalidInputException.of(yaml.where(spec.get("type")), name + ".type",
                        "unknown type; use string, integer, boolean, list, map or any");
            }
        }
        VarType of = null;
        if (spec.containsKey("of")) {
            of = VarType.parse(yaml.string(spec.get("of"), name + ".of"));
            if (of == null) {
                throw InvalidInputException.of(yaml.where(spec.get("of")), name + ".of",
                        "unknown element type; use string, integer, boolean, list, map or any");
            }
            if (type != VarType.LIST && type != VarType.MAP) {
                throw InvalidInputException.of(yaml.where(spec.get("of")), name + ".of",
                        "an element type needs type: list or type: map");
            }
        }
        Param defaultValue = null;
        if (spec.containsKey("default")) {
            try {
                Function<String, String> noEnv = k -> null;
                defaultValue = new Param(Values.read(spec.get("default"), type, of, noEnv),
                        yaml.where(spec.get("default")), true);
            } catch (IllegalArgumentException e) {
                throw InvalidInputException.of(yaml.where(spec.get("default")), name + ".default", e.getMessage());
            }
        }
        boolean required = flag(yaml, spec, "required", name);
        boolean promote = flag(yaml, spec, "promote", name);
        boolean secret = flag(yaml, spec, "secret", name);
        List<String> allowed = spec.containsKey("allowed")
                ? yaml.sequence(spec.get("allowed"), name + ".allowed").stream().map(n -> yaml.string(n, name)).toList()
                : List.of();
        String description = spec.containsKey("description") ? yaml.string(spec.get("description"), name) : "";
        return new Variable(name, type, defaultValue, required, description, allowed, promote, of, secret);
    }

    private static boolean flag(YamlFile yaml, Map<String, Node> spec, String key, String variable) {
        if (!spec.containsKey(key)) {
            return false;
        }
        try {
            return Boolean.TRUE.equals(VarType.BOOLEAN.convert(yaml.string(spec.get(key), variable + "." + key)));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of(yaml.where(spec.get(key)), variable + "." + key, e.getMessage());
        }
    }

    private static String requiredString(YamlFile yaml, Map<String, Node> map, String key, Problems problems) {
        return requiredString(yaml, map, key, problems, null);
    }

    private static String requiredString(YamlFile yaml, Map<String, Node> map, String key, Problems problems, Node at) {
        if (!map.containsKey(key) || YamlFile.isNull(map.get(key))) {
            problems.error(at == null ? yaml.file() : yaml.where(at), key, "missing required setting");
            return null;
        }
        return yaml.string(map.get(key), key);
    }

    private static String optionalString(YamlFile yaml, Map<String, Node> map, String key) {
        return map.containsKey(key) && !YamlFile.isNull(map.get(key)) ? yaml.string(map.get(key), key) : null;
    }
}

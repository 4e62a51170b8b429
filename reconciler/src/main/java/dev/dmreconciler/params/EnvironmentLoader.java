package dev.dmreconciler.params;

import dev.dmreconciler.secrets.SecretValues;
import dev.dmreconciler.source.RepoTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads environments. Two forms are accepted:
 * <ul>
 *   <li><b>Ansible form</b>: a flat parameter file as given to {@code ansible-playbook -e @file}, unchanged.
 *       Its application is found from its variable prefix (or given); its one Data Manager namespace is
 *       the bundle's namespace variable.</li>
 *   <li><b>Native form</b>: a file with an {@code applications:} key, naming several applications, each with
 *       values and named instances ({@code instances:}, {@code instanceDir:} of single-instance files, or the
 *       Jupyter form's {@code namespaces:}, one instance per namespace), plus {@code include:}d shared files.</li>
 * </ul>
 * Precedence, lowest first: bundle defaults, shared files (in include order), environment, instance.
 */
public final class EnvironmentLoader {

    public static final String ENVIRONMENTS_DIR = "environments";
    /** An Ansible-form file may name its cluster with this key; Ansible ignores unknown variables. */
    public static final String CLUSTER_KEY = "reconciler_cluster";
    public static final String DEFAULT_CLUSTER = "default";
    private static final Set<String> NATIVE_KEYS = Set.of("applications", "cluster", "include", "description", "envLookups", "adopt", "manifests");
    /** An Ansible-form file may allow more env lookups with this key (the native form: {@code envLookups}). */
    public static final String ENV_LOOKUPS_KEY = "reconciler_env_lookups";
    private static final Set<String> APP_KEYS = Set.of("state", "values", "namespaces", "instances", "instanceDir",
            "preconditions", "secretCopies");

    private final RepoTree tree;
    private final Map<String, Bundle> bundles;
    private final Function<String, String> getenv;
    private final Layers layers;
    private final InstanceReader instanceReader;

    public EnvironmentLoader(RepoTree tree, Map<String, Bundle> bundles, Function<String, String> getenv) {
        this(tree, bundles, getenv, new SecretValues.Collector());
    }

    /** @param secrets gathers the secret values of the one environment this loader reads */
    private EnvironmentLoader(RepoTree tree, Map<String, Bundle> bundles, Function<String, String> getenv,
                              SecretValues.Collector secrets) {
        this.tree = tree;
        this.bundles = bundles;
        this.getenv = getenv;
        this.layers = new Layers(bundles.values(), getenv, secrets);
        this.instanceReader = new InstanceReader(tree, layers);
    }

    /** Names of the environments in the repository: every YAML file directly in environments/. */
    public List<String> names() throws IOException {
        return tree.listFiles(ENVIRONMENTS_DIR).stream()
                .filter(f -> f.endsWith(".yaml") || f.endsWith(".yml"))
                .map(EnvironmentLoader::stripExtension).toList();
    }

    /** Loads environments/NAME.yaml (or .yml). */
    public Environment load(String name, String appHint, Problems problems) throws IOException {
        for (String extension : List.of(".yaml", ".yml")) {
            String file = ENVIRONMENTS_DIR + "/" + name + extension;
            Optional<byte[]> content = tree.read(file);
            if (content.isPresent()) {
                return parse(name, file, content.get(), appHint, problems);
            }
        }
        String known = String.join(", ", names());
        throw InvalidInputException.of(ENVIRONMENTS_DIR, name, "no such environment" + DidYouMean.hint(name, names())
                + (known.isEmpty() ? "" : "; environments: " + known));
    }

    /**
     * Parses one environment file; every problem goes into {@code problems}.
     *
     * @return the environment, or null when it has errors
     */
    public Environment parse(String name, String file, byte[] content, String appHint, Problems problems) {
        Problems local = new Problems();
        Environment environment = null;
        try {
            YamlFile yaml = YamlFile.parse(file, content);
            Map<String, Node> top = yaml.topLevel();
            boolean nativeForm = top.containsKey("applications");
            // a loader of its own for this environment: its secret values are gathered apart from every other's
            SecretValues.Collector secrets = new SecretValues.Collector();
            EnvironmentLoader scoped = new EnvironmentLoader(tree, bundles,
                    EnvLookups.allowlist(getenv, EnvLookups.allowed(yaml, top, nativeForm, bundles), secrets::add), secrets);
            environment = nativeForm
                    ? scoped.parseNative(name, yaml, top, local)
                    : scoped.parseAnsible(name, yaml, top, appHint, local);
            environment = environment == null ? null : environment.withSecrets(secrets.build());
        } catch (InvalidInputException e) {
            local.addAll(e.problems());
        }
        problems.addAll(local);
        return local.hasErrors() ? null : environment;
    }

    private Environment parseAnsible(String name, YamlFile yaml, Map<String, Node> top, String appHint,
                                     Problems problems) {
        Bundle bundle = appHint != null ? bundleNamed(appHint, yaml.file(), problems) : detect(yaml, top);
        if (bundle == null) {
            return null;
        }
        String cluster = top.containsKey(CLUSTER_KEY) ? yaml.string(top.get(CLUSTER_KEY), CLUSTER_KEY) : DEFAULT_CLUSTER;
        Map<String, Param> values = Layers.defaults(bundle);
        top.forEach((key, node) -> {
            if (!key.equals(CLUSTER_KEY) && !key.equals(ENV_LOOKUPS_KEY)) {
                layers.set(values, bundle, yaml, key, node, problems, true);
            }
        });
        loadVarsFiles(bundle, values, yaml.file(), problems);
        Instance instance = InstanceReader.instance(bundle, null, null, null, values, yaml.file(), problems);
        List<Instance> instances = instance == null ? List.of() : List.of(instance);
        AppInstance app = new AppInstance(bundle, isPresent(bundle, values, null), values, instances,
                explicitNamespaces(bundle, values));
        return new Environment(name, yaml.file(), cluster, Environment.Form.ANSIBLE, List.of(app));
    }

    private Environment parseNative(String name, YamlFile yaml, Map<String, Node> top, Problems problems) {
        top.forEach((key, node) -> {
            if (!NATIVE_KEYS.contains(key)) {
                problems.error(yaml.where(node), key, "unknown environment setting" + DidYouMean.hint(key, NATIVE_KEYS)
                        + "; known: " + new TreeSet<>(NATIVE_KEYS));
            }
        });
        String cluster = top.containsKey("cluster") ? yaml.string(top.get("cluster"), "cluster") : DEFAULT_CLUSTER;
        List<YamlFile> shared = new ArrayList<>();
        if (top.containsKey("include")) {
            for (Node item : yaml.sequence(top.get("include"), "include")) {
                readShared(yaml, item, problems).ifPresent(shared::add);
            }
        }
        List<AppInstance> apps = new ArrayList<>();
        yaml.mapping(top.get("applications"), "applications").forEach((appName, spec) -> {
            Bundle bundle = bundles.get(appName);
            if (bundle == null) {
                problems.error(yaml.where(spec), appName, "no such application" + DidYouMean.hint(appName, bundles.keySet())
                        + "; applications: " + String.join(", ", bundles.keySet()));
                return;
            }
            try {
                apps.add(nativeApp(bundle, yaml, spec, shared, problems));
            } catch (InvalidInputException e) {
                problems.addAll(e.problems());
            }
        });
        boolean adopt = false;
        if (top.containsKey("adopt")) {
            Boolean parsed = VarType.parseBoolean(yaml.string(top.get("adopt"), "adopt"));
            if (parsed == null) {
                problems.error(yaml.where(top.get("adopt")), "adopt", "must be a boolean (true/false)");
            } else {
                adopt = parsed;
            }
        }
        List<Environment.Manifest> manifests = top.containsKey("manifests") ? Manifests.paths(tree, yaml, top.get("manifests"), problems) : List.of();
        if (!manifests.isEmpty()) {
            apps.add(Manifests.application(yaml.file()));
        }
        return new Environment(name, yaml.file(), cluster, Environment.Form.NATIVE, List.copyOf(apps), adopt, manifests);
    }

    private AppInstance nativeApp(Bundle bundle, YamlFile yaml, Node specNode, List<YamlFile> shared, Problems problems) {
        Map<String, Node> spec = YamlFile.isNull(specNode) ? Map.of() : yaml.mapping(specNode, bundle.name());
        spec.forEach((key, node) -> {
            if (!APP_KEYS.contains(key)) {
                problems.error(yaml.where(node), bundle.name() + "." + key, "unknown application setting"
                        + DidYouMean.hint(key, APP_KEYS) + "; known: " + new TreeSet<>(APP_KEYS));
            }
        });
        Map<String, Param> values = Layers.defaults(bundle);
        for (YamlFile file : shared) {
            file.topLevel().forEach((key, node) -> {
                if (!bundle.prefix().isEmpty() && bundle.ownsKey(key)) {
                    layers.set(values, bundle, file, key, node, problems, false);
                }
            });
        }
        if (spec.containsKey("values")) {
            yaml.mapping(spec.get("values"), bundle.name() + ".values")
                    .forEach((key, node) -> layers.set(values, bundle, yaml, key, node, problems, true));
        }
        String state = null;
        if (spec.containsKey("state")) {
            if (bundle.stateVariable() != null) {
                layers.set(values, bundle, yaml, bundle.stateVariable(), spec.get("state"), problems, true);
            } else {
                state = yaml.string(spec.get("state"), bundle.name() + ".state");
                if (!state.equals("present") && !state.equals("absent")) {
                    problems.error(yaml.where(spec.get("state")), bundle.name() + ".state",
                            "'" + state + "' is not one of [present, absent]");
                }
            }
        }
        loadVarsFiles(bundle, values, yaml.file(), problems);

        boolean declared = spec.containsKey("namespaces") || spec.containsKey("instances") || spec.containsKey("instanceDir");
        Map<String, Instance> instances = instanceReader.read(bundle, yaml, spec, values, declared, problems);
        if (instances.isEmpty()) {
            Layers.checkRequired(bundle, values, yaml.file(), problems);
        }
        return new AppInstance(bundle, isPresent(bundle, values, state), values, List.copyOf(instances.values()),
                explicitNamespaces(bundle, values), declared(yaml, spec, bundle.name(), problems));
    }

    /** The application's own {@code preconditions:} and {@code secretCopies:} in the environment (same shape as bundle.yaml's). */
    private static AppInstance.Declared declared(YamlFile yaml, Map<String, Node> spec, String app, Problems problems) {
        List<Bundle.Requirement> preconditions = new ArrayList<>();
        if (spec.containsKey("preconditions") && !YamlFile.isNull(spec.get("preconditions"))) {
            for (Node item : yaml.sequence(spec.get("preconditions"), app + ".preconditions")) {
                preconditions.addAll(BundleLoader.requirement(yaml, item, problems));
            }
        }
        List<SecretCopy> copies = SecretCopiesReader.read(yaml, spec.get("secretCopies"), app + ".secretCopies", problems);
        return preconditions.isEmpty() && copies.isEmpty() ? AppInstance.Declared.NONE
                : new AppInstance.Declared(List.copyOf(preconditions), copies);
    }

    private Optional<YamlFile> readShared(YamlFile env, Node item, Problems problems) {
        String relative = env.string(item, "include");
        try {
            String path = RepoTree.normalize(ENVIRONMENTS_DIR + "/" + relative);
            Optional<byte[]> content = tree.read(path);
            if (content.isEmpty()) {
                problems.error(env.where(item), "include", "shared file '" + path + "' does not exist");
                return Optional.empty();
            }
            YamlFile shared = YamlFile.parse(path, content.get());
            shared.topLevel().forEach((key, node) -> {
                if (bundles.values().stream().noneMatch(b -> !b.prefix().isEmpty() && b.ownsKey(key))) {
                    problems.warning(shared.where(node), key, "matches no application's variable prefix; ignored");
                }
            });
            return Optional.of(shared);
        } catch (IllegalArgumentException e) {
            problems.error(env.where(item), "include", e.getMessage());
            return Optional.empty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Loads the bundle's vars files (e.g. {@code sensitive-<svo_installation_name>.vault}) whose variable is set, as
     * the Ansible role's include_vars does: next to the parameter file, else in {@code templates/<app>/vars/}. Their
     * variables fill what the parameter file leaves at the default. A missing file is an error (fail closed).
     */
    private void loadVarsFiles(Bundle bundle, Map<String, Param> values, String envFile, Problems problems) {
        for (BundleSecrets.VarsFile varsFile : bundle.secrets().vaultFiles()) {
            Param when = values.get(varsFile.when());
            if (when == null || when.value() == null || String.valueOf(when.value()).isBlank()) {
                continue;
            }
            String fileName = VarsFiles.name(varsFile, values);
            try {
                Optional<VarsFiles.Found> found = VarsFiles.find(tree, envFile, bundle.name(), fileName);
                if (found.isEmpty()) {
                    problems.error(when.where(), varsFile.when(), "vars file '" + fileName + "' not found next to "
                            + envFile + " nor in " + BundleLoader.TEMPLATES_DIR + "/" + bundle.name() + "/vars/");
                    continue;
                }
                YamlFile vars = YamlFile.parse(found.get().label(), found.get().content());
                vars.topLevel().forEach((key, node) -> {
                    Param current = values.get(key);
                    if (bundle.variables().containsKey(key) && (current == null || current.isDefault())) {
                        layers.set(values, bundle, vars, key, node, problems, false);
                    }
                });
            } catch (InvalidInputException e) {
                problems.addAll(e.problems());
            } catch (IOException e) {
                problems.error(envFile, fileName, "cannot read vars file: " + e.getMessage());
            }
        }
    }

    private static boolean isPresent(Bundle bundle, Map<String, Param> values, String state) {
        if (bundle.stateVariable() == null) {
            return !"absent".equals(state);
        }
        Param param = values.get(bundle.stateVariable());
        return param == null || !"absent".equals(String.valueOf(param.value()));
    }

    private static Set<String> explicitNamespaces(Bundle bundle, Map<String, Param> values) {
        Param param = bundle.applicationNamespacesVariable() == null ? null
                : values.get(bundle.applicationNamespacesVariable());
        if (param == null || param.isDefault() || param.value() == null) {
            return Set.of();
        }
        Set<String> namespaces = new LinkedHashSet<>();
        if (param.value() instanceof List<?> list) {
            list.forEach(item -> namespaces.add(String.valueOf(item).trim()));
        } else {
            namespaces.addAll(bundle.splitList(String.valueOf(param.value())));
        }
        return namespaces;
    }

    private Bundle bundleNamed(String app, String file, Problems problems) {
        Bundle bundle = bundles.get(app);
        if (bundle == null) {
            problems.error(file, app, "no such application" + DidYouMean.hint(app, bundles.keySet())
                    + "; applications: " + String.join(", ", bundles.keySet()));
        }
        return bundle;
    }

    /** The application whose prefix most keys carry; ambiguous or none is an error asking for --app. */
    private Bundle detect(YamlFile yaml, Map<String, Node> top) {
        Bundle best = null;
        long bestCount = 0;
        boolean tie = false;
        for (Bundle bundle : bundles.values()) {
            if (bundle.prefix().isEmpty()) {
                continue; // chosen only explicitly (--app, instanceDir): every key would match an empty prefix
            }
            long count = top.keySet().stream().filter(bundle::ownsKey).count();
            if (count > bestCount) {
                best = bundle;
                bestCount = count;
                tie = false;
            } else if (count == bestCount && count > 0) {
                tie = true;
            }
        }
        if (best == null || tie) {
            throw InvalidInputException.of(yaml.file(), null, "cannot tell which application this parameter file is for"
                    + (tie ? " (several prefixes match equally)" : " (no variable starts with a known prefix: "
                    + bundles.values().stream().map(Bundle::prefix).filter(p -> !p.isEmpty()).sorted().toList() + ")") + "; pass --app");
        }
        return best;
    }

    public static String stripExtension(String file) {
        int dot = file.lastIndexOf('.');
        return dot < 0 ? file : file.substring(0, dot);
    }
}

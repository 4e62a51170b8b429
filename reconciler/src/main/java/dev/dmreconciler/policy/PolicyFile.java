package dev.dmreconciler.policy;

import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.source.RepoTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A cluster's policy: {@code defaults:} for every environment of the cluster and {@code environments:} entries
 * per environment name. An entry replaces the defaults' value of each key it sets.
 *
 * <pre>
 * defaults:
 *   namespaces: [data-manager-*, dm-reconciler]   # allowed target namespaces (globs)
 *   kinds: ["*"]                                  # allowed kinds: Kind, Kind.group, globs
 *   clusterScoped: [CustomResourceDefinition, Namespace, ClusterRole, ClusterRoleBinding]   # or true / false
 *   allow: []                                     # rules switched off (see {@link Rule})
 *   pruneBudget: {maxObjects: 10, maxPercent: 25}
 *   serviceAccount: {namespace: dm-reconciler, name: deployer}   # impersonate it for every pass
 * environments:
 *   dm-reconciler:
 *     allow: [escalate, bind]
 * </pre>
 *
 * It lives outside the environment files it limits: {@code policy/<cluster>.yaml} in the repository (give the
 * folder to the platform owners with CODEOWNERS and branch protection) or a file given with {@code --policy}.
 */
public final class PolicyFile {

    public static final String DIRECTORY = "policy";
    private static final Set<String> KEYS = Set.of("namespaces", "kinds", "clusterScoped", "allow", "pruneBudget",
            "serviceAccount");

    private final String source;
    private final Map<String, Object> defaults;
    private final Map<String, Map<String, Object>> environments;

    private PolicyFile(String source, Map<String, Object> defaults, Map<String, Map<String, Object>> environments) {
        this.source = source;
        this.defaults = defaults;
        this.environments = environments;
    }

    /** The repository's policy for a cluster ({@code policy/<cluster>.yaml} or {@code .yml}), if any. */
    public static Optional<PolicyFile> forCluster(RepoTree tree, String cluster) {
        try {
            for (String extension : List.of(".yaml", ".yml")) {
                String path = DIRECTORY + "/" + cluster + extension;
                Optional<byte[]> content = tree.read(path);
                if (content.isPresent()) {
                    return Optional.of(parse(path, content.get()));
                }
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a cluster name that is no file name has no policy file
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A policy file given on the command line ({@code --policy}). */
    public static PolicyFile read(Path file) {
        try {
            return parse(file.toString(), Files.readAllBytes(file));
        } catch (IOException e) {
            throw InvalidInputException.of(file.toString(), "--policy", "cannot read the policy file: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    public static PolicyFile parse(String source, byte[] content) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(content, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw InvalidInputException.of(source, null, "not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        Problems problems = new Problems();
        Map<String, Object> top = root == null ? Map.of() : asMap(root, source, "(top level)", problems);
        top.keySet().stream().filter(k -> !k.equals("defaults") && !k.equals("environments"))
                .forEach(k -> problems.error(source, k, "unknown key (expected defaults, environments)"));
        Map<String, Object> defaults = top.get("defaults") == null ? Map.of()
                : asMap(top.get("defaults"), source, "defaults", problems);
        Map<String, Map<String, Object>> environments = new TreeMap<>();
        if (top.get("environments") != null) {
            asMap(top.get("environments"), source, "environments", problems).forEach((name, entry) ->
                    environments.put(name, entry == null ? Map.of() : asMap(entry, source, "environments." + name, problems)));
        }
        PolicyFile file = new PolicyFile(source, defaults, environments);
        file.validate("defaults", defaults, problems);
        environments.forEach((name, entry) -> file.validate("environments." + name, entry, problems));
        problems.throwIfErrors();
        return file;
    }

    public String source() {
        return source;
    }

    /** The rules of one environment: its entry's keys over the defaults'. */
    public Rules rulesFor(String environment) {
        Map<String, Object> merged = new TreeMap<>(defaults);
        merged.putAll(environments.getOrDefault(environment, Map.of()));
        Problems ignored = new Problems(); // validated at parse time
        return new Rules(source, true, strings(merged.get("namespaces")), strings(merged.get("kinds")),
                clusterScoped(merged.get("clusterScoped")),
                merged.get("allow") == null ? Set.of() : Set.copyOf(strings(merged.get("allow"))),
                merged.get("pruneBudget") == null ? PruneBudget.DEFAULT : budget(merged.get("pruneBudget"), "", ignored),
                merged.get("serviceAccount") == null ? null : account(merged.get("serviceAccount"), "", ignored));
    }

    private void validate(String path, Map<String, Object> entry, Problems problems) {
        for (Map.Entry<String, Object> e : entry.entrySet()) {
            String key = path + "." + e.getKey();
            Object value = e.getValue();
            switch (e.getKey()) {
                case "namespaces", "kinds" -> requireStrings(value, key, problems);
                case "allow" -> {
                    if (requireStrings(value, key, problems)) {
                        for (String id : strings(value)) {
                            if (Rule.byId(id).isEmpty()) {
                                problems.error(source, key, "unknown rule '" + id + "' (rules: "
                                        + String.join(", ", java.util.Arrays.stream(Rule.values()).map(Rule::id).toList()) + ")");
                            }
                        }
                    }
                }
                case "clusterScoped" -> {
                    if (!(value instanceof Boolean)) {
                        requireStrings(value, key, problems);
                    }
                }
                case "pruneBudget" -> budget(value, key, problems);
                case "serviceAccount" -> account(value, key, problems);
                default -> problems.error(source, key, "unknown key (expected one of " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
            }
        }
    }

    private PruneBudget budget(Object value, String key, Problems problems) {
        if (value instanceof Map<?, ?> map && map.keySet().stream().allMatch(k -> k.equals("maxObjects") || k.equals("maxPercent"))) {
            Object objects = map.get("maxObjects") == null ? PruneBudget.DEFAULT.maxObjects() : map.get("maxObjects");
            Object percent = map.get("maxPercent") == null ? PruneBudget.DEFAULT.maxPercent() : map.get("maxPercent");
            if (objects instanceof Integer o && percent instanceof Integer p) {
                try {
                    return new PruneBudget(o, p);
                } catch (IllegalArgumentException e) {
                    problems.error(source, key, e.getMessage());
                    return PruneBudget.DEFAULT;
                }
            }
        }
        problems.error(source, key, "expected {maxObjects: INTEGER, maxPercent: INTEGER}");
        return PruneBudget.DEFAULT;
    }

    private ServiceAccountRef account(Object value, String key, Problems problems) {
        if (value instanceof Map<?, ?> map && map.size() == 2 && map.get("namespace") instanceof String namespace
                && map.get("name") instanceof String name) {
            try {
                return new ServiceAccountRef(namespace, name);
            } catch (IllegalArgumentException e) {
                problems.error(source, key, e.getMessage());
                return null;
            }
        }
        problems.error(source, key, "expected {namespace: NAMESPACE, name: NAME}");
        return null;
    }

    private static List<String> clusterScoped(Object value) {
        if (value == null || Boolean.TRUE.equals(value)) {
            return null;
        }
        return Boolean.FALSE.equals(value) ? List.of() : strings(value);
    }

    private boolean requireStrings(Object value, String key, Problems problems) {
        if (value instanceof List<?> list && list.stream().allMatch(v -> v instanceof String s && !s.isEmpty())) {
            return true;
        }
        problems.error(source, key, "expected a list of names");
        return false;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        return value == null ? null : List.copyOf(new LinkedHashSet<>((List<String>) value));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value, String source, String key, Problems problems) {
        if (value instanceof Map<?, ?> map && map.keySet().stream().allMatch(k -> k instanceof String)) {
            return (Map<String, Object>) map;
        }
        problems.error(source, key, "expected a mapping");
        return Map.of();
    }
}

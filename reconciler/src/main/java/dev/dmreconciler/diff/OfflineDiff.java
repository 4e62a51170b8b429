package dev.dmreconciler.diff;

import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.EnvironmentLoader;
import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.params.Problem;
import dev.dmreconciler.params.YamlFile;
import dev.dmreconciler.plan.Plan;
import dev.dmreconciler.policy.GuardOptions;
import dev.dmreconciler.policy.PruneBudget;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.render.Renderer;
import dev.dmreconciler.resource.Manifests;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.RenderedObject;
import dev.dmreconciler.source.GitTree;
import dev.dmreconciler.source.RepoTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The pull-request diff, with no cluster: both revisions of the repository are rendered (read straight from
 * git objects) for every environment either contains, and compared: which parameter keys changed in which
 * file, and which objects are added, removed or changed, per environment and Data Manager namespace.
 */
public final class OfflineDiff {

    private final Function<String, String> getenv;
    private GuardOptions guard = GuardOptions.NONE;

    public OfflineDiff(Function<String, String> getenv) {
        this.getenv = getenv;
    }

    /** Policy violations of the head revision are reported as errors of their environment (--policy, else the head's policy/). */
    public OfflineDiff guardedBy(GuardOptions guard) {
        this.guard = guard;
        return this;
    }

    public DiffReport diff(String title, RepoTree base, RepoTree head) {
        ConfigRepo before = new ConfigRepo(base, getenv);
        ConfigRepo after = new ConfigRepo(head, getenv);
        TreeSet<String> names = new TreeSet<>();
        try {
            names.addAll(before.loader().names());
            names.addAll(after.loader().names());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> secretVariables = new TreeSet<>(SecretParams.secretVariables(before.bundles().values()));
        secretVariables.addAll(SecretParams.secretVariables(after.bundles().values()));
        Map<String, List<ParamChange>> parameterChanges = parameterChanges(base, head, secretVariables);
        List<EnvironmentDiff> environments = new ArrayList<>();
        for (String name : names) {
            List<String> errors = new ArrayList<>();
            Map<ObjectKey, RenderedObject> old = render(before, name, errors, "base", null);
            Map<ObjectKey, RenderedObject> now = render(after, name, errors, "head", guard);
            List<ParamChange> parameters = parameterChanges.entrySet().stream()
                    .filter(e -> name.equals(environmentOf(e.getKey())))
                    .flatMap(e -> e.getValue().stream()).toList();
            // An environment that does not render at either side shows its errors and no objects: never a
            // Secret "deleted" because a key or vault password is missing in this shell (fail closed).
            environments.add(old == null || now == null ? new EnvironmentDiff(name, parameters, List.of(), 0, errors)
                    : heldByBudget(compare(name, old, now, parameters, errors, scopeLabel(before, after, old, now)), old,
                            after, name, head));
        }
        List<ParamChange> shared = parameterChanges.entrySet().stream().filter(e -> environmentOf(e.getKey()) == null)
                .flatMap(e -> e.getValue().stream()).toList();
        if (!shared.isEmpty()) {
            environments.add(0, new EnvironmentDiff("(shared parameter files)", shared, List.of(), 0, List.of()));
        }
        return new DiffReport(title, environments);
    }

    /** The environment a file directly under environments/ defines; null for shared files in sub-folders. */
    private static String environmentOf(String file) {
        String relative = file.substring(EnvironmentLoader.ENVIRONMENTS_DIR.length() + 1);
        return relative.contains("/") ? null : EnvironmentLoader.stripExtension(relative);
    }

    /** How the text names the environment scope: from the bundles of the applications rendered at either side. */
    private static String scopeLabel(ConfigRepo before, ConfigRepo after, Map<ObjectKey, RenderedObject> old,
                                     Map<ObjectKey, RenderedObject> now) {
        Set<String> apps = new TreeSet<>();
        old.values().forEach(o -> apps.add(o.application()));
        now.values().forEach(o -> apps.add(o.application()));
        return dev.dmreconciler.plan.ScopeLabel.of(apps.stream()
                .map(a -> after.bundles().containsKey(a) ? after.bundles().get(a) : before.bundles().get(a))
                .filter(java.util.Objects::nonNull).toList());
    }

    private static EnvironmentDiff compare(String name, Map<ObjectKey, RenderedObject> old, Map<ObjectKey, RenderedObject> now,
                                           List<ParamChange> parameters, List<String> errors, String scopeLabel) {
        List<ObjectDiff> objects = new ArrayList<>();
        long unchanged = 0;
        TreeSet<ObjectKey> keys = new TreeSet<>(old.keySet());
        keys.addAll(now.keySet());
        for (ObjectKey key : keys) {
            RenderedObject a = old.get(key);
            RenderedObject b = now.get(key);
            String[] yaml = DisplayYaml.pair(a == null ? null : a.body(), b == null ? null : b.body());
            if (yaml[0].equals(yaml[1])) {
                unchanged++;
                continue;
            }
            RenderedObject any = b != null ? b : a;
            ObjectDiff.Kind kind = a == null ? ObjectDiff.Kind.CREATE : b == null ? ObjectDiff.Kind.DELETE : ObjectDiff.Kind.UPDATE;
            objects.add(new ObjectDiff(any.dmNamespace() == null ? Plan.OPERATOR_SCOPE : any.dmNamespace(), key, kind, yaml[0], yaml[1],
                    List.of(), any.template()));
        }
        return new EnvironmentDiff(name, parameters, objects, unchanged, errors, scopeLabel);
    }

    /**
     * The prune budget's verdict, as apply and run will give it, so a pull request shows it: when the change would
     * delete more than the head's policy allows of an application (its objects at the base standing for its
     * inventory), every deletion shows as {@code keep} with the reason, unless the head commit's message carries
     * {@link PruneBudget#OVERRIDE_MARKER} (or {@code --allow-mass-prune}). Applications the head marks absent are
     * exempt, as in apply.
     */
    private EnvironmentDiff heldByBudget(EnvironmentDiff diff, Map<ObjectKey, RenderedObject> old, ConfigRepo after,
                                         String name, RepoTree head) {
        List<ObjectDiff> deletes = diff.objects().stream().filter(o -> o.kind() == ObjectDiff.Kind.DELETE).toList();
        if (deletes.isEmpty() || guard.allowMassPrune()
                || (head instanceof GitTree commit && commit.commitMessage().contains(PruneBudget.OVERRIDE_MARKER))) {
            return diff;
        }
        Set<String> exempt = new TreeSet<>();
        PruneBudget budget;
        try {
            DesiredState desired = Renderer.renderNamed(after, name);
            exempt.addAll(desired.absentApplications());
            budget = guard.rulesFor(after.tree(), desired).pruneBudget();
        } catch (RuntimeException e) {
            return diff; // it did render above; a second failure leaves the diff as it is
        }
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, Integer> sizes = new TreeMap<>();
        Map<ObjectKey, String> applicationOf = new java.util.HashMap<>();
        old.values().forEach(o -> {
            sizes.merge(o.application(), 1, Integer::sum);
            applicationOf.put(o.key(), o.application());
        });
        deletes.forEach(d -> {
            String application = applicationOf.get(d.key());
            if (application != null && !exempt.contains(application)) {
                counts.merge(application, 1, Integer::sum);
            }
        });
        String reason = budget.reason("this change", counts, sizes);
        if (reason == null) {
            return diff;
        }
        List<ObjectDiff> objects = diff.objects().stream().map(o -> o.kind() != ObjectDiff.Kind.DELETE ? o
                : new ObjectDiff(o.scope(), o.key(), ObjectDiff.Kind.KEEP, o.before(), o.before(), List.of(), reason)).toList();
        return new EnvironmentDiff(diff.environment(), diff.parameters(), objects, diff.unchanged(), diff.errors(),
                diff.environmentScope());
    }

    /** The environment's objects at one revision; empty when it does not exist there, null when it does not render. */
    private static Map<ObjectKey, RenderedObject> render(ConfigRepo repo, String name, List<String> errors, String side,
                                                         GuardOptions guard) {
        Map<ObjectKey, RenderedObject> objects = new TreeMap<>();
        try {
            if (!repo.loader().names().contains(name)) {
                return objects;
            }
            DesiredState desired = Renderer.renderNamed(repo, name);
            desired.objects().forEach(o -> objects.put(o.key(), o));
            if (guard != null) {
                GuardOptions.violations(guard.rulesFor(repo.tree(), desired), desired)
                        .forEach(v -> errors.add(side + ": " + v.toProblem()));
            }
        } catch (InvalidInputException e) {
            e.problems().all().stream().filter(Problem::isError).forEach(p -> errors.add(side + ": " + p));
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    /** Per parameter file under environments/ (shared ones included), the keys whose written value changed. */
    private static Map<String, List<ParamChange>> parameterChanges(RepoTree base, RepoTree head, Set<String> secretVariables) {
        Map<String, List<ParamChange>> changes = new TreeMap<>();
        TreeSet<String> files = new TreeSet<>(parameterFiles(base));
        files.addAll(parameterFiles(head));
        for (String file : files) {
            Map<String, String> a = flatten(base, file, secretVariables);
            Map<String, String> b = flatten(head, file, secretVariables);
            TreeSet<String> keys = new TreeSet<>(a.keySet());
            keys.addAll(b.keySet());
            List<ParamChange> fileChanges = new ArrayList<>();
            for (String key : keys) {
                if (!java.util.Objects.equals(a.get(key), b.get(key))) {
                    fileChanges.add(SecretParams.shown(new ParamChange(file, key, a.get(key), b.get(key))));
                }
            }
            if (!fileChanges.isEmpty()) {
                changes.put(file, fileChanges);
            }
        }
        return changes;
    }

    private static List<String> parameterFiles(RepoTree tree) {
        List<String> files = new ArrayList<>();
        try {
            collect(tree, EnvironmentLoader.ENVIRONMENTS_DIR, files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static void collect(RepoTree tree, String dir, List<String> into) throws IOException {
        for (String file : tree.listFiles(dir)) {
            if (file.endsWith(".yaml") || file.endsWith(".yml")) {
                into.add(dir + "/" + file);
            }
        }
        for (String sub : tree.listDirectories(dir)) {
            collect(tree, dir + "/" + sub, into);
        }
    }

    /** Scalars by dotted path, as written; a list or an unparsable file counts as one value. */
    private static Map<String, String> flatten(RepoTree tree, String file, Set<String> secretVariables) {
        Map<String, String> flat = new LinkedHashMap<>();
        try {
            Optional<byte[]> content = tree.read(file);
            if (content.isPresent()) {
                try {
                    YamlFile yaml = YamlFile.parse(file, content.get());
                    flatten("", yaml.topLevel().isEmpty() ? null : asMapping(yaml), flat);
                    SecretParams.markSecrets(yaml, asMapping(yaml), secretVariables, flat);
                } catch (InvalidInputException e) {
                    flat.put("(file)", new String(content.get(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return flat;
    }

    private static MappingNode asMapping(YamlFile yaml) {
        return yaml.root() instanceof MappingNode mapping ? mapping : null;
    }

    private static void flatten(String prefix, Node node, Map<String, String> into) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                String key = ((ScalarNode) tuple.getKeyNode()).getValue();
                flatten(prefix.isEmpty() ? key : prefix + "." + key, tuple.getValueNode(), into);
            }
        } else if (node instanceof ScalarNode scalar) {
            into.put(prefix, scalar.getValue());
        } else if (node != null) {
            into.put(prefix, Manifests.toYaml(Map.of("v", YamlFile.plain(node))).substring(3).strip());
        }
    }
}

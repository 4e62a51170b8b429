package dev.dmreconciler.params;

import dev.dmreconciler.source.RepoTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The configuration repository at one revision: its bundles and environments, and the facts that span
 * environments, such as the set of Data Manager namespaces an application is installed into on a cluster.
 */
public final class ConfigRepo {

    private final RepoTree tree;
    private final Map<String, Bundle> bundles;
    private final EnvironmentLoader loader;
    private final Problems bundleProblems = new Problems();
    private List<Environment> all;
    private Problems allProblems;
    private Map<String, Environment> inForce;

    public ConfigRepo(RepoTree tree, Function<String, String> getenv) {
        this.tree = tree;
        this.bundles = BundleLoader.loadAll(tree, bundleProblems);
        this.loader = new EnvironmentLoader(tree, bundles, getenv);
    }

    public RepoTree tree() {
        return tree;
    }

    public Map<String, Bundle> bundles() {
        return bundles;
    }

    /** Problems in the bundles themselves (a broken bundle is left out of {@link #bundles()}). */
    public Problems bundleProblems() {
        return bundleProblems;
    }

    public EnvironmentLoader loader() {
        return loader;
    }

    /** Every environment of the repository that loads; the problems of all of them are in {@link #allProblems()}. */
    public synchronized List<Environment> all() {
        if (all == null) {
            Problems problems = new Problems();
            List<Environment> environments = new ArrayList<>();
            try {
                for (String name : loader.names()) {
                    Environment environment = loader.load(name, null, problems);
                    if (environment != null) {
                        environments.add(environment);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            all = List.copyOf(environments);
            allProblems = problems;
        }
        return all;
    }

    public synchronized Problems allProblems() {
        all();
        return allProblems;
    }

    /**
     * The Data Manager namespaces an application is installed into on a cluster: the union over every
     * environment of the repository on that cluster where it is present, of its DM namespaces and of any
     * namespaces it names explicitly, plus those of {@code subject} itself (which may come from outside the
     * repository). Every environment on a cluster therefore renders the same CRD annotation.
     */
    public SortedSet<String> applicationNamespaces(Environment subject, AppInstance app) {
        SortedSet<String> namespaces = new TreeSet<>();
        addNamespaces(app, namespaces);
        boolean inRepo = inForce != null || all().stream().anyMatch(e -> e.file().equals(subject.file()));
        if (inRepo) {
            List<Environment> others = inForce == null ? all() : inForce.values().stream()
                    .filter(e -> !e.name().equals(subject.name())).toList();
            for (Environment environment : others) {
                if (environment.cluster().equals(subject.cluster())) {
                    environment.apps().stream().filter(a -> a.name().equals(app.name()) && a.present())
                            .forEach(a -> addNamespaces(a, namespaces));
                }
            }
        }
        return namespaces;
    }

    /**
     * For the long-running reconciler: the cluster-wide facts ({@link #applicationNamespaces}) come from each
     * environment's form in force (as loaded at the head revision, or its last good form when it does not load
     * there) instead of this revision's files. So an environment that breaks changes nothing of the others (the
     * shared CRD's namespace list does not flap), and an environment rendered at its last good revision agrees
     * with the others on the shared objects.
     *
     * @param inForce by environment name; the subject itself is always taken as rendered
     */
    public ConfigRepo withEnvironmentsInForce(Map<String, Environment> inForce) {
        this.inForce = Map.copyOf(inForce);
        return this;
    }

    private static void addNamespaces(AppInstance app, SortedSet<String> into) {
        into.addAll(app.instanceNamespaces());
        into.addAll(app.explicitApplicationNamespaces());
    }

    /**
     * Two environments of one cluster that install the same instance of an application into the same namespace
     * would overwrite (and later prune) each other's objects on every pass: an error naming both files. The
     * message is the same from either side, so a report over every environment can show it once. A file from
     * outside the repository ({@code --env-file}) is not compared: the repository need not be what its cluster
     * runs.
     */
    public Problems collisions(Environment subject) {
        Problems problems = new Problems();
        if (all().stream().noneMatch(e -> e.file().equals(subject.file()))) {
            return problems;
        }
        List<Environment> others = all();
        for (AppInstance app : subject.apps()) {
            if (!app.present() || app.bundle().templates().stream().noneMatch(t -> t.scope() == TemplateRef.Scope.INSTANCE)) {
                continue; // without instance-scope templates an instance owns no objects (shared ones: SharedObjects)
            }
            for (Instance instance : app.instances()) {
                for (Environment other : others) {
                    if (other.file().equals(subject.file()) || !other.cluster().equals(subject.cluster())) {
                        continue;
                    }
                    other.apps().stream().filter(a -> a.name().equals(app.name()) && a.present())
                            .flatMap(a -> a.instances().stream())
                            .filter(i -> i.name().equals(instance.name()) && i.namespace().equals(instance.namespace()))
                            .forEach(clash -> problems.add(collision(subject, instance, other, clash, app.name())));
                }
            }
        }
        return problems;
    }

    private static Problem collision(Environment a, Instance ia, Environment b, Instance ib, String app) {
        boolean aFirst = a.file().compareTo(b.file()) <= 0;
        Environment first = aFirst ? a : b;
        Environment second = aFirst ? b : a;
        String firstWhere = aFirst ? ia.where() : ib.where();
        String secondWhere = aFirst ? ib.where() : ia.where();
        return Problem.error(firstWhere, app + "/" + ia.name(), "environments " + first.name() + " (" + firstWhere
                + ") and " + second.name() + " (" + secondWhere + ") of cluster " + a.cluster() + " both install "
                + app + " instance " + ia.name() + " into namespace " + ia.namespace()
                + "; they would overwrite each other on every pass. Remove it from one of them, or give them different"
                + " clusters (cluster:, or reconciler_cluster: in an Ansible file)");
    }
}

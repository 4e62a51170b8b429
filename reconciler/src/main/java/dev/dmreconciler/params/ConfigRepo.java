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
        boolean inRepo = all().stream().anyMatch(e -> e.file().equals(subject.file()));
        if (inRepo) {
            for (Environment environment : all()) {
                if (environment.cluster().equals(subject.cluster())) {
                    environment.apps().stream().filter(a -> a.name().equals(app.name()) && a.present())
                            .forEach(a -> addNamespaces(a, namespaces));
                }
            }
        }
        return namespaces;
    }

    private static void addNamespaces(AppInstance app, SortedSet<String> into) {
        app.namespaces().forEach(n -> into.add(n.name()));
        into.addAll(app.explicitApplicationNamespaces());
    }
}

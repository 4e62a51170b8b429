package dev.dmreconciler.controller;

import dev.dmreconciler.params.Environment;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.plan.Wanted;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.source.GitSource;
import dev.dmreconciler.source.GitTree;
import dev.dmreconciler.params.ConfigRepo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Every environment of the repository at one head revision, as the passes of that head see each other. Why this
 * exists: a pass must not take cluster-wide facts from its own revision alone. An environment rendered at its last
 * good revision would disagree with the others about the shared CRD's namespace list (the two flap on every
 * resync), and another environment's broken commit must neither shrink that list nor let anything it may want be
 * pruned.
 *
 * <ul>
 *   <li>Each environment is rendered (and checked against its policy) at the head once, shared by every pass of
 *       that head: the probe. When every environment of the cluster renders, the probe is also the pass's own render
 *       (no second render).</li>
 *   <li>{@link #inForce}: each other environment's form for the namespace list — its head form when it renders there,
 *       else the form of its last good revision (else, unknown since a restart, its head form if it loads).</li>
 *   <li>{@link #wantedElsewhere}: what the other environments of the cluster render at the head. One that does not
 *       render there makes the set incomplete, so nothing is pruned until it does (like {@code apply}): its commit
 *       may have moved an object to it, and deleting that object now would lose it.</li>
 * </ul>
 */
final class ClusterAtHead {

    /** Renders an environment at a revision, with the others' forms in force (null: the revision's own files). */
    interface Render {
        Controller.Rendered render(ObjectId revision, ObjectId head, String environment, Map<String, Environment> inForce);
    }

    private final ObjectId head;
    private final Render render;
    /** Every environment of the repository at the head, with its cluster (as its file declares when it does not load). */
    private final Map<String, String> clusters;
    /** Those that load at the head (a loading one may still fail to render). */
    private final Map<String, Environment> loaded;
    private final Map<String, FutureTask<Controller.Rendered>> probes = new ConcurrentHashMap<>();
    private final Map<String, Wanted> wanted = new ConcurrentHashMap<>();
    /** Environments whose failed probe was forgotten and has not rendered since. */
    private final Set<String> retried = ConcurrentHashMap.newKeySet();
    /**
     * Epochs of every view of the process, only increasing: a view made again for a head seen before (head A, then B,
     * then A again after a force-push or reset) must not start at a number a render kept from the older view of A
     * carries; that render may have been made while another environment failed, and would be served again.
     */
    private static final java.util.concurrent.atomic.AtomicLong EPOCHS = new java.util.concurrent.atomic.AtomicLong();
    /** Changes whenever something this view answered before may be answered differently now (see {@link #epoch}). */
    private volatile long epoch = EPOCHS.incrementAndGet();

    /** @param clusters every environment at the head with its cluster; {@code loaded} those that load there */
    ClusterAtHead(ObjectId head, Render render, Map<String, String> clusters, Map<String, Environment> loaded) {
        this.head = head;
        this.render = render;
        this.clusters = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(clusters)); // name order in messages
        this.loaded = loaded;
    }

    static ClusterAtHead read(GitSource git, ObjectId head, Render render) {
        Map<String, String> clusters = new TreeMap<>();
        Map<String, Environment> loaded = new TreeMap<>();
        try (GitTree tree = git.tree(head)) {
            ConfigRepo repo = new ConfigRepo(tree, System::getenv);
            for (String name : repo.loader().names()) {
                Environment environment = repo.loader().load(name, null, new Problems());
                if (environment != null) {
                    loaded.put(name, environment);
                    clusters.put(name, environment.cluster());
                } else {
                    String declared = Controller.declaredCluster(tree, name);
                    if (declared != null) {
                        clusters.put(name, declared);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read revision " + head.name() + ": " + e.getMessage(), e);
        }
        return new ClusterAtHead(head, render, clusters, Map.copyOf(loaded));
    }

    ObjectId head() {
        return head;
    }

    /**
     * The environment rendered at the head with the head's own files, once per head whoever asks first.
     *
     * @throws RuntimeException what rendering it threw (an {@code InvalidInputException} for a render error or a
     *                          policy violation)
     */
    Controller.Rendered probe(String environment) {
        FutureTask<Controller.Rendered> task = probes.computeIfAbsent(environment,
                name -> new FutureTask<>(() -> rendered(name, render.render(head, head, name, null))));
        task.run(); // no-op when it ran or runs in another pass's thread; get() then waits for that
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering " + environment, e);
        }
    }

    /**
     * An environment whose probe failed and was forgotten renders now: every other probe of this head was made with
     * the head's files while it did not load, so without it (the shared CRD's namespace list lacks its namespaces),
     * and so was what is wanted elsewhere. They are dropped and made again; those who kept a render of this view
     * see {@link #epoch} change.
     */
    private Controller.Rendered rendered(String environment, Controller.Rendered rendered) {
        if (retried.remove(environment)) {
            probes.keySet().removeIf(other -> !other.equals(environment));
            wanted.clear();
            epoch = EPOCHS.incrementAndGet();
        }
        return rendered;
    }

    /**
     * A number that changes whenever this view forgets what it answered ({@link #forgetFailures}, an environment that
     * renders again): a render made with an older number may rest on another environment's old form and is made again
     * ({@code Controller#render}), also when the pass that made it was still running when the number changed. Unique
     * in the process: no other view, also of the same head, ever had it.
     */
    long epoch() {
        return epoch;
    }

    private Controller.Rendered probeOrNull(String environment) {
        try {
            return probe(environment);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Forgets the renders that failed, and the wanted-elsewhere sets they left incomplete, so the next pass renders
     * those environments again; what rendered stays shared. Called at each resync ({@code Controller#resync}): what
     * failed may depend on more than the commit (a mounted vault password or age key, an allowlisted environment
     * variable), and putting that right must not wait for a new commit.
     *
     * @return whether anything was forgotten
     */
    boolean forgetFailures() {
        boolean forgot = false;
        for (var probe : probes.entrySet()) {
            if (failed(probe.getValue()) && probes.remove(probe.getKey(), probe.getValue())) {
                retried.add(probe.getKey());
                forgot = true;
            }
        }
        forgot |= wanted.values().removeIf(w -> w.incomplete() != null);
        if (forgot) {
            epoch = EPOCHS.incrementAndGet();
        }
        return forgot;
    }

    private static boolean failed(FutureTask<Controller.Rendered> task) {
        if (!task.isDone()) {
            return false;
        }
        try {
            task.get();
            return false;
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The environment's cluster at the head (as its file declares when it does not load), else {@code fallback}. */
    String clusterOf(String environment, String fallback) {
        return clusters.getOrDefault(environment, fallback);
    }

    /** The other environments of {@code cluster}, in name order. */
    private List<String> others(String subject, String cluster) {
        List<String> others = new ArrayList<>();
        clusters.forEach((name, its) -> {
            if (!name.equals(subject) && its.equals(cluster)) {
                others.add(name);
            }
        });
        return others;
    }

    /** Whether every other environment of the cluster renders at the head (then the head's files are what is in force). */
    boolean othersRender(String subject, String cluster) {
        return others(subject, cluster).stream().allMatch(name -> probeOrNull(name) != null);
    }

    /** Each other environment's form in force, for the shared CRD's namespace list (see the class comment). */
    Map<String, Environment> inForce(String subject, String cluster, Map<String, Controller.Rendered> lastGood) {
        Map<String, Environment> forms = new LinkedHashMap<>();
        for (String name : others(subject, cluster)) {
            Controller.Rendered good = probeOrNull(name);
            if (good == null) {
                good = lastGood.get(name);
            }
            Environment form = good != null ? good.desired().environment() : loaded.get(name);
            if (form != null) {
                forms.put(name, form);
            }
        }
        return forms;
    }

    /** What the other environments of the cluster render at the head; incomplete while one of them does not render. */
    Wanted wantedElsewhere(String subject, String cluster) {
        String key = subject + "\n" + cluster;
        Wanted known = wanted.get(key);
        if (known != null) {
            return known;
        }
        Set<ObjectKey> keys = new HashSet<>();
        List<String> broken = new ArrayList<>();
        for (String name : others(subject, cluster)) {
            Controller.Rendered rendered = probeOrNull(name);
            if (rendered == null) {
                broken.add(name);
            } else {
                rendered.desired().objects().forEach(o -> keys.add(o.key()));
            }
        }
        Wanted result = new Wanted(Set.copyOf(keys), broken.isEmpty() ? null : "environments of cluster " + cluster
                + " do not render at revision " + head.name().substring(0, 12) + ": " + String.join(", ", broken)
                + " (what they want is unknown; pruned once they render)");
        wanted.putIfAbsent(key, result);
        return result;
    }
}

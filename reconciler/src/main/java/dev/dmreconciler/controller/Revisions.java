package dev.dmreconciler.controller;

import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.policy.GuardOptions;
import dev.dmreconciler.policy.PruneBudget;
import dev.dmreconciler.policy.Rules;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.render.WarmTemplates;
import dev.dmreconciler.source.GitSource;
import dev.dmreconciler.source.GitTree;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The form of each environment a pass applies, and its render: the head's, or the last good revision's while the
 * head does not render, rendered once per (environment, revision, head) and reused by every pass until the next
 * commit (a resync renders nothing), with the other environments' forms in force taken from the head's view
 * ({@link ClusterAtHead}). Template engines and their renderings are kept per content of the template files.
 */
final class Revisions {

    private final GitSource git;
    /** The cluster this instance serves: an environment's own when its file does not say (see ClusterAtHead#clusterOf). */
    private final String cluster;
    /** Told whenever a render is made anew (not reused): the controller gives the heap it grew back afterwards. */
    private final Runnable renderedAnew;
    private volatile GuardOptions guard = GuardOptions.NONE;
    private final Map<String, Controller.Rendered> rendered = new ConcurrentHashMap<>();
    /** The {@link ClusterAtHead#epoch} each entry of {@link #rendered} was made at: an older one is made again. */
    private final Map<String, Long> renderedAt = new ConcurrentHashMap<>();
    /** What each environment last applied without failures: its form in force when the head does not render. */
    private final Map<String, Controller.Rendered> lastGood = new ConcurrentHashMap<>();
    /**
     * Template engines by the content of the template files (at most two: the head's and a last good revision's),
     * each with the environments' last renderings: a commit that leaves the templates alone parses none again and
     * renders only what reads a changed value.
     */
    private final Map<String, WarmTemplates> warm = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, WarmTemplates> eldest) {
            return size() > 2;
        }
    };
    private volatile ClusterAtHead atHead;

    Revisions(GitSource git, String cluster, Runnable renderedAnew) {
        this.git = git;
        this.cluster = cluster;
        this.renderedAnew = renderedAnew;
    }

    /** Policy file, prune-budget override and default identity each render is checked against. */
    void guardedBy(GuardOptions guard) {
        this.guard = guard;
    }

    /**
     * Rendered and checked against its policy once per (environment, revision, head): a resync without a new
     * commit reuses it. A policy violation fails like a render error (the last good revision stays in force).
     * The shared CRD's namespace list comes from every environment's form in force ({@link ClusterAtHead#inForce}),
     * also when this environment is rendered at its last good revision, so a broken environment changes nothing
     * of the others and the environments agree on the shared objects.
     *
     * @throws dev.dmreconciler.params.InvalidInputException when it does not render or violates its policy
     */
    Controller.Rendered render(ObjectId revision, String environment, ObjectId current) {
        ClusterAtHead view = clusterAt(current);
        long epoch = view.epoch(); // read before rendering: a change meanwhile makes the next pass render again
        Controller.Rendered cached = rendered.get(environment);
        if (cached != null && cached.revision().equals(revision) && cached.head().equals(current)
                && Long.valueOf(epoch).equals(renderedAt.get(environment))) {
            return cached;
        }
        String itsCluster = view.clusterOf(environment, cluster);
        Controller.Rendered result = revision.equals(current) && view.othersRender(environment, itsCluster)
                ? view.probe(environment) // the head's own files are what is in force: no second render
                : renderAt(revision, current, environment, view.inForce(environment, itsCluster, lastGood));
        rendered.put(environment, result);
        renderedAt.put(environment, epoch);
        renderedAnew.run();
        return result;
    }

    private Controller.Rendered renderAt(ObjectId revision, ObjectId current, String environment,
                                         Map<String, Environment> inForce) {
        try (GitTree tree = git.tree(revision)) {
            ConfigRepo repo = new ConfigRepo(tree, System::getenv);
            DesiredState desired = warmFor(tree).renderNamed(inForce == null ? repo : repo.withEnvironmentsInForce(inForce),
                    environment);
            GuardOptions guard = this.guard;
            Rules rules = guard.rulesFor(tree, desired);
            GuardOptions.enforce(rules, desired);
            boolean allowMassPrune = guard.allowMassPrune() || tree.commitMessage().contains(PruneBudget.OVERRIDE_MARKER);
            // kept until the next commit and read by every pass meanwhile: compact and read-only (CompactBodies)
            return new Controller.Rendered(revision, current, CompactBodies.of(desired), rules, allowMassPrune);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read revision " + revision.name() + ": " + e.getMessage(), e);
        }
    }

    /** The engine (and renderings) for the template files of this commit, made the first time they are seen. */
    private WarmTemplates warmFor(GitTree tree) throws IOException {
        String id = WarmTemplates.idOf(tree);
        synchronized (warm) {
            return warm.computeIfAbsent(id, k -> new WarmTemplates(k, tree));
        }
    }

    /** The view of every environment at this head, read once per head (see {@link ClusterAtHead}). */
    ClusterAtHead clusterAt(ObjectId current) {
        ClusterAtHead view = atHead;
        if (view == null || !view.head().equals(current)) {
            synchronized (this) {
                view = atHead;
                if (view == null || !view.head().equals(current)) {
                    view = ClusterAtHead.read(git, current, this::renderAt);
                    atHead = view;
                }
            }
        }
        return view;
    }

    /** The environment applied this form without failures: its form in force while a later head does not render. */
    void succeeded(String environment, Controller.Rendered form) {
        lastGood.put(environment, form);
    }

    /**
     * At a resync: the head's renders that failed are forgotten, so a password, key or variable put right since is
     * seen now, and the others, rendered with its last good form in force, render again with its new one (the view's
     * epoch).
     */
    void forgetFailures() {
        ClusterAtHead view = atHead;
        if (view != null) {
            view.forgetFailures();
        }
    }

    /** The environment left git: its renders, last good form and renderings go. */
    void forget(String environment) {
        rendered.remove(environment);
        renderedAt.remove(environment);
        lastGood.remove(environment);
        synchronized (warm) {
            warm.values().forEach(w -> w.forget(environment));
        }
    }
}

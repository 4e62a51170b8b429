package dev.dmreconciler.plan;

import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.render.Renderer;
import dev.dmreconciler.render.TemplateEngine;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.RenderedObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the other environments of the cluster want, at the current revision, computed before any delete: an
 * object one of them renders is never pruned (it is handed over), so moving a namespace or an object from one
 * environment to another in one commit deletes nothing, whichever environment's pass runs first.
 *
 * @param keys       objects the other environments of the cluster render
 * @param incomplete why the set is not known (an environment did not render), or null; then nothing is pruned
 */
public record Wanted(Set<ObjectKey> keys, String incomplete) {

    /** Nothing known about other environments: the caller takes responsibility (single-environment tools, tests). */
    public static final Wanted NONE = new Wanted(Set.of(), null);

    public boolean contains(ObjectKey key) {
        return keys.contains(key);
    }

    /** The environments of the repository with the subject's cluster, except the subject itself, rendered. */
    public static Wanted elsewhere(ConfigRepo repo, Environment subject) {
        Set<ObjectKey> keys = new HashSet<>();
        List<String> broken = new ArrayList<>();
        for (Environment other : repo.all()) {
            if (!other.cluster().equals(subject.cluster()) || other.name().equals(subject.name())) {
                continue;
            }
            try {
                DesiredState state = new Renderer(repo, new TemplateEngine(repo.tree())).render(other, null);
                state.objects().stream().map(RenderedObject::key).forEach(keys::add);
            } catch (RuntimeException e) {
                broken.add(other.name());
            }
        }
        repo.allProblems().all().stream().filter(p -> p.isError()).map(p -> p.where().replaceFirst(":.*$", ""))
                .distinct().forEach(file -> broken.add(file + " (does not load)"));
        return new Wanted(Set.copyOf(keys), broken.isEmpty() ? null
                : "environments of cluster " + subject.cluster() + " do not render: " + String.join(", ", broken)
                + " (what they want is unknown)");
    }

    /** This set plus more keys (e.g. what other environments rendered at their last good revision). */
    public Wanted plus(Set<ObjectKey> more) {
        Set<ObjectKey> all = new HashSet<>(keys);
        all.addAll(more);
        return new Wanted(Set.copyOf(all), incomplete);
    }
}

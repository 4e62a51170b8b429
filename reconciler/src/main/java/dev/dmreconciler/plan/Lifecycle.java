package dev.dmreconciler.plan;

import dev.dmreconciler.resource.Stamp;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Per-object lifecycle policies from the annotation {@code dm-reconciler.dev/lifecycle} (comma-separated):
 * <ul>
 *   <li>{@code recreate}: a change to an immutable field (Job spec.template, Service clusterIP, …) deletes the
 *       object and creates it again (reported {@code replaced}); without it such a change fails once, naming
 *       the field;</li>
 *   <li>{@code create-once}: created once per distinct desired spec (hash); once created it is not created
 *       again — even after it finished and was deleted (ttlSecondsAfterFinished) — until the spec changes.
 *       A changed spec replaces it, as {@code recreate} does;</li>
 *   <li>{@code keep}: never pruned: removed from git, it is left in the cluster and dropped from the inventory.</li>
 * </ul>
 */
public enum Lifecycle {
    RECREATE, CREATE_ONCE, KEEP;

    /** The policies an object (desired or live) declares. */
    @SuppressWarnings("unchecked")
    public static Set<Lifecycle> of(Map<String, Object> body) {
        Object metadata = body == null ? null : body.get("metadata");
        if (!(metadata instanceof Map<?, ?> m) || !(m.get("annotations") instanceof Map<?, ?> annotations)) {
            return EnumSet.noneOf(Lifecycle.class);
        }
        return parse((String) ((Map<String, Object>) annotations).get(Stamp.LIFECYCLE));
    }

    /** Parses the annotation value; an unknown word is an {@link IllegalArgumentException} naming it. */
    public static Set<Lifecycle> parse(String value) {
        Set<Lifecycle> policies = EnumSet.noneOf(Lifecycle.class);
        if (value == null || value.isBlank()) {
            return policies;
        }
        for (String word : value.split(",")) {
            String trimmed = word.strip().toLowerCase(Locale.ROOT);
            switch (trimmed) {
                case "recreate" -> policies.add(RECREATE);
                case "create-once" -> policies.add(CREATE_ONCE);
                case "keep" -> policies.add(KEEP);
                case "" -> { }
                default -> throw new IllegalArgumentException("unknown lifecycle policy '" + trimmed + "' in annotation "
                        + Stamp.LIFECYCLE + " (allowed: recreate, create-once, keep)");
            }
        }
        return policies;
    }

    /** Whether a change to an immutable field may delete and re-create the object. */
    public static boolean replaces(Set<Lifecycle> policies) {
        return policies.contains(RECREATE) || policies.contains(CREATE_ONCE);
    }
}

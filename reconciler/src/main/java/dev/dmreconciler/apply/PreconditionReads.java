package dev.dmreconciler.apply;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of a pass's precondition objects are read with one LIST instead of a GET each (the decision only; no
 * request). A cold apply of N Data Manager namespaces needs the namespace and its {@code data-manager}
 * ServiceAccount in each: 2N GETs, each authenticated, authorised and read from etcd on its own. Instead:
 * <ul>
 *   <li>a cluster-scoped kind with more than {@link #GETS_BEFORE_LIST} names: one (paged) LIST of the kind;</li>
 *   <li>a namespaced kind where more than {@link #GETS_BEFORE_LIST} namespaces need an object of the same name
 *       (the ServiceAccount {@code data-manager}): one LIST across all namespaces with
 *       {@code fieldSelector=metadata.name=NAME};</li>
 *   <li>what is left of a namespaced kind, where one namespace needs more than {@link #GETS_BEFORE_LIST}
 *       objects: one LIST in that namespace;</li>
 *   <li>the rest, and every Secret: a GET each. Secrets are never listed: {@code list} on Secrets (even
 *       metadata-only) would let the reconciler read every Secret's value, which a least-privileged reconciler
 *       that may only {@code get} named Secrets must not need.</li>
 * </ul>
 * A LIST only ever confirms that an object exists. An object a LIST did not show is read by GET when its
 * precondition is checked, so "does not exist" is always the answer of a read made at that moment (see
 * {@link Preconditions#prefetch}).
 */
final class PreconditionReads {

    /** Objects of one group read by GET each; more are read with one LIST. */
    static final int GETS_BEFORE_LIST = 16;

    private PreconditionReads() {
    }

    /** One precondition object to read; {@code namespace} is "" for a cluster-scoped kind. */
    record Wanted(String apiVersion, String kind, boolean namespaced, String namespace, String name) {
    }

    /**
     * One LIST: of {@code apiVersion kind}, in {@code namespace} (null: all namespaces), only objects named
     * {@code name} (null: any name), for the objects in {@code covers}.
     */
    record Batch(String apiVersion, String kind, String namespace, String name, Set<Wanted> covers) {
    }

    /** The LISTs to send for these objects; objects in no batch are read by GET. */
    static List<Batch> plan(Collection<Wanted> wanted) {
        Map<String, List<Wanted>> byType = new LinkedHashMap<>();
        for (Wanted w : new LinkedHashSet<>(wanted)) {
            if (w.apiVersion().equals("v1") && w.kind().equals("Secret")) {
                continue;
            }
            byType.computeIfAbsent(w.apiVersion() + " " + w.kind(), t -> new ArrayList<>()).add(w);
        }
        List<Batch> batches = new ArrayList<>();
        for (List<Wanted> ofType : byType.values()) {
            Wanted first = ofType.get(0);
            if (!first.namespaced()) {
                if (ofType.size() > GETS_BEFORE_LIST) {
                    batches.add(new Batch(first.apiVersion(), first.kind(), null, null, new LinkedHashSet<>(ofType)));
                }
                continue;
            }
            Map<String, Set<Wanted>> byName = new LinkedHashMap<>();
            ofType.forEach(w -> byName.computeIfAbsent(w.name(), n -> new LinkedHashSet<>()).add(w));
            Set<Wanted> left = new LinkedHashSet<>();
            byName.forEach((name, named) -> {
                if (named.size() > GETS_BEFORE_LIST) {
                    batches.add(new Batch(first.apiVersion(), first.kind(), null, name, named));
                } else {
                    left.addAll(named);
                }
            });
            Map<String, Set<Wanted>> byNamespace = new LinkedHashMap<>();
            left.forEach(w -> byNamespace.computeIfAbsent(w.namespace(), n -> new LinkedHashSet<>()).add(w));
            byNamespace.forEach((namespace, inIt) -> {
                if (inIt.size() > GETS_BEFORE_LIST) {
                    batches.add(new Batch(first.apiVersion(), first.kind(), namespace, null, inIt));
                }
            });
        }
        return batches;
    }
}

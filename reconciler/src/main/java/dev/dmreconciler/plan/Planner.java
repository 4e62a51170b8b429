package dev.dmreconciler.plan;

import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.inventory.InventoryStore;
import dev.dmreconciler.kube.ResourceTypes;
import dev.dmreconciler.params.AppInstance;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.resource.KindOrder;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.RenderedObject;
import dev.dmreconciler.resource.Stamp;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Desired vs live → {@link Plan}, with reads only: one LIST per object type (label-selected to the
 * application's objects, across all namespaces; metadata only, see {@link LiveObjects}), one LIST of inventories per application, and a GET per object
 * that would be created (creates are rare; a no-op pass has none; a type with many creates is LISTed instead),
 * to find an object of that name that is not ours. The decisions themselves are {@link Decisions} (pure, unit-tested).
 *
 * <p>An object is unchanged when the live object carries the desired hash and the reconciler's managed fields
 * still have the fingerprint recorded in the inventory after the last apply; otherwise it is applied again.
 * That makes a no-op pass cost zero writes while still catching {@code kubectl edit} drift.
 */
public final class Planner {

    private final LiveObjects live;
    private final ResourceTypes types;
    private final InventoryStore inventories;
    private final String fieldManager;
    private final PrunePolicy prunePolicy;
    private final boolean adoptRequested;

    public Planner(KubernetesClient client, ResourceTypes types, InventoryStore inventories, String fieldManager,
                   PrunePolicy prunePolicy) {
        this(client, types, inventories, fieldManager, prunePolicy, false);
    }

    /** @param adoptRequested {@code --adopt}: take over existing objects that are not ours, for this run */
    public Planner(KubernetesClient client, ResourceTypes types, InventoryStore inventories, String fieldManager,
                   PrunePolicy prunePolicy, boolean adoptRequested) {
        this(LiveObjects.of(client), types, inventories, fieldManager, prunePolicy, adoptRequested);
    }

    /** @param live where the cluster as it is comes from: the API server, or a watch cache in {@code run} */
    public Planner(LiveObjects live, ResourceTypes types, InventoryStore inventories, String fieldManager,
                   PrunePolicy prunePolicy, boolean adoptRequested) {
        this.live = live;
        this.types = types;
        this.inventories = inventories;
        this.fieldManager = fieldManager;
        this.prunePolicy = prunePolicy;
        this.adoptRequested = adoptRequested;
    }

    public Plan plan(DesiredState desired, String onlyApp) {
        return plan(desired, onlyApp, Wanted.NONE);
    }

    /** @param elsewhere what the other environments of the cluster want now: never pruned here */
    public Plan plan(DesiredState desired, String onlyApp, Wanted elsewhere) {
        String environment = desired.environment().name();
        List<Change> changes = new ArrayList<>();
        Map<String, Inventory> previous = new LinkedHashMap<>();
        Set<ObjectKey> inventoried = new HashSet<>();
        Set<ObjectKey> wantedHere = new HashSet<>();
        desired.objects().forEach(o -> wantedHere.add(o.key()));
        for (AppInstance app : desired.environment().apps()) {
            if (onlyApp != null && !onlyApp.equals(app.name())) {
                continue;
            }
            Map<String, Inventory> all = inventories.loadAll(app.name());
            Inventory mine = all.getOrDefault(environment, Inventory.empty(environment, app.name()));
            previous.put(app.name(), mine);
            Set<ObjectKey> others = new HashSet<>();
            all.forEach((env, inventory) -> {
                inventoried.addAll(inventory.entries().keySet());
                if (!env.equals(environment)) {
                    others.addAll(inventory.entries().keySet());
                }
            });
            List<RenderedObject> objects = desired.objects().stream().filter(o -> o.application().equals(app.name())).toList();
            Map<ObjectKey, GenericKubernetesResource> live = readLive(app.name(), objects, mine);
            planDesired(desired, app, objects, mine, live, changes);
            planRemoved(app, objects, mine, live, key -> others.contains(key) || wantedHere.contains(key)
                    || elsewhere.contains(key), elsewhere.incomplete(), changes);
        }
        changes.sort(Comparator.comparing(Change::removal).thenComparing(Change::key));
        return new Plan(environment, desired.environment().cluster(), List.copyOf(changes), previous, Set.copyOf(inventoried));
    }

    private void planDesired(DesiredState desired, AppInstance app, List<RenderedObject> objects, Inventory mine,
                             Map<ObjectKey, GenericKubernetesResource> live, List<Change> into) {
        boolean adopt = adoptRequested || desired.environment().adopt();
        // Only the objects the cache does not show are stamped ahead (to find which names to read); the others are
        // stamped one at a time below, so a pass of thousands of unchanged objects never holds all their stamped
        // copies at once (they would outlive a young collection and be promoted).
        List<Stamp.Stamped> stampedAhead = new ArrayList<>(java.util.Collections.nCopies(objects.size(), null));
        Map<String, List<ObjectKey>> absentByType = new LinkedHashMap<>(); // not ours: read by name, per type at once
        for (int i = 0; i < objects.size(); i++) {
            RenderedObject object = objects.get(i);
            if (live.containsKey(object.key())) {
                continue;
            }
            Stamp.Stamped ahead = stamp(object, desired);
            stampedAhead.set(i, ahead);
            Map<String, Object> stamped = ahead.body();
            if (!Decisions.createdOnce(stamped, mine.entries().get(object.key()))) {
                absentByType.computeIfAbsent(stamped.get("apiVersion") + " " + object.key().kind(), t -> new ArrayList<>())
                        .add(object.key());
            }
        }
        Map<ObjectKey, GenericKubernetesResource> existingByKey = existing(absentByType);
        for (int i = 0; i < objects.size(); i++) {
            RenderedObject object = objects.get(i);
            Stamp.Stamped made = stampedAhead.get(i) != null ? stampedAhead.set(i, null) : stamp(object, desired);
            Map<String, Object> stamped = made.body();
            String apiVersion = (String) stamped.get("apiVersion");
            Inventory.Entry entry = mine.entries().get(object.key());
            GenericKubernetesResource ours = live.get(object.key());
            if (ours != null && entry != null && entry.pending() && ours.getMetadata().getCreationTimestamp() == null
                    && !Decisions.makerCandidates(ours, fieldManager).isEmpty()) {
                // who made it is told by times a watch cache does not keep: the API server's (rare: a pending entry)
                GenericKubernetesResource whole = recheck(apiVersion, object.key(), app.name());
                ours = whole != null ? whole : ours;
            }
            GenericKubernetesResource existing = ours == null ? existingByKey.get(object.key()) : null;
            String fingerprint = ours == null ? null : Fingerprint.of(ours, fieldManager); // once per object
            if (ours != null && ours.getMetadata().getAnnotations() != null) {
                // a shared object another environment stamped keyed over this same text: theirs stands (no fight)
                Stamp.takeKeyedStamp(stamped, ours.getMetadata().getAnnotations().get(Stamp.HASH),
                        inventories::existingSecretHashKey);
            }
            Decisions.Verdict verdict = Decisions.desired(stamped, ours, fingerprint, existing, entry, adopt, fieldManager);
            GenericKubernetesResource current = ours != null ? ours : existing;
            if (verdict.action() == Outcome.ADOPTED || wasAdopted(current)) {
                Stamp.markAdopted(stamped); // carried on every apply, so an adopted Namespace stays recognisable
            }
            into.add(new Change(object.key(), apiVersion, verdict.action(), app.name(), object.dmNamespace(),
                    verdict.action() == Outcome.UNCHANGED ? Change.identityOf(stamped) : stamped,
                    current, verdict.reason(), verdict.message(), fingerprint, made.secretPaths()));
        }
    }

    /** Stamped with the environment's own secret values deciding the keyed hash (never another environment's). */
    private Stamp.Stamped stamp(RenderedObject object, DesiredState desired) {
        return Stamp.stamped(object, desired.environment().name(), desired.environment().cluster(),
                inventories::secretHashKey, desired.environment().secrets());
    }

    /**
     * The objects of those names as they are, ours or not (absent ones are not in the map): asked per type for all
     * names at once ({@link LiveObjects#existing}: a cold apply of 3,000 namespaces needs a few LISTs, not 9,000
     * GETs). A type that is not served yet (its CRD is applied in this pass) has nothing.
     */
    private Map<ObjectKey, GenericKubernetesResource> existing(Map<String, List<ObjectKey>> byType) {
        Map<ObjectKey, GenericKubernetesResource> found = new HashMap<>();
        byType.forEach((typeKey, keys) -> {
            String[] parts = typeKey.split(" ");
            types.lookup(parts[0], parts[1]).ifPresent(type -> found.putAll(live.existing(type, keys)));
        });
        return found;
    }

    private void planRemoved(AppInstance app, List<RenderedObject> objects, Inventory mine,
                             Map<ObjectKey, GenericKubernetesResource> live,
                             java.util.function.Predicate<ObjectKey> wantedByOthers, String wantedUnknown,
                             List<Change> into) {
        Set<ObjectKey> wanted = new HashSet<>();
        objects.forEach(o -> wanted.add(o.key()));
        mine.entries().forEach((key, entry) -> {
            if (wanted.contains(key)) {
                return;
            }
            GenericKubernetesResource current = live.get(key);
            if (current == null) {
                current = recheck(entry.apiVersion(), key, app.name());
            } else if (entry.pending() && current.getMetadata().getCreationTimestamp() == null
                    && !Decisions.makerCandidates(current, fieldManager).isEmpty()) {
                // who made it is told by times a watch cache does not keep: the API server's (rare: a pending entry)
                GenericKubernetesResource whole = recheck(entry.apiVersion(), key, app.name());
                current = whole != null ? whole : current;
            }
            // a create that may have merged into someone else's object (its marks left on it) is never pruned
            Decisions.Verdict verdict = Decisions.pendingRemoval(current, entry, fieldManager);
            if (verdict == null) {
                verdict = Decisions.removed(key.kind(), current, wantedByOthers.test(key), wantedUnknown,
                        prunePolicy.refusal(key.kind(), !app.present()));
            }
            if (verdict == null) {
                return; // gone already, or handed over to whoever wants it: dropped from this inventory
            }
            String scope = entry.scope().isEmpty() ? null : entry.scope();
            into.add(new Change(key, entry.apiVersion(), verdict.action(), app.name(), scope, null, current,
                    verdict.reason(), verdict.message()));
        });
    }

    /** An inventory object the listing did not show: gone, unless the listing lags (see {@link LiveObjects#recheck}). */
    private GenericKubernetesResource recheck(String apiVersion, ObjectKey key, String application) {
        Optional<ResourceDefinitionContext> type = types.lookup(apiVersion, key.kind());
        return type.isEmpty() ? null : live.recheck(type.get(), key, application);
    }

    private static boolean wasAdopted(GenericKubernetesResource live) {
        return live != null && live.getMetadata().getAnnotations() != null
                && "true".equals(live.getMetadata().getAnnotations().get(Stamp.ADOPTED));
    }

    /** The application's live objects of every type it desires or has in its inventory. */
    private Map<ObjectKey, GenericKubernetesResource> readLive(String application, List<RenderedObject> objects,
                                                               Inventory inventory) {
        Set<String> typeKeys = new TreeSet<>();
        objects.forEach(o -> typeKeys.add(o.body().get("apiVersion") + " " + o.key().kind()));
        inventory.entries().forEach((key, entry) -> typeKeys.add(entry.apiVersion() + " " + key.kind()));
        Map<ObjectKey, GenericKubernetesResource> found = new HashMap<>();
        for (String typeKey : typeKeys) {
            String[] parts = typeKey.split(" ");
            Optional<ResourceDefinitionContext> type = types.lookup(parts[0], parts[1]);
            if (type.isEmpty()) {
                continue; // the kind is not served yet (its CRD is applied in this pass): nothing of it exists
            }
            for (GenericKubernetesResource item : live.ours(type.get(), application)) {
                ObjectKey key = new ObjectKey(type.get().getGroup(), parts[1], item.getMetadata().getNamespace(),
                        item.getMetadata().getName());
                found.put(key, item);
            }
        }
        return found;
    }

    /** Apply order for creates/updates (kind order), reverse for deletions. */
    public static Comparator<Change> deletionOrder() {
        return Comparator.comparingInt((Change c) -> KindOrder.rank(c.key().group(), c.key().kind())).reversed()
                .thenComparing(Change::key);
    }
}

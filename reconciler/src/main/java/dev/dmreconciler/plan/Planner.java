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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Desired vs live → {@link Plan}, with reads only: one LIST per object type (label-selected to the
 * application's objects, across all namespaces) and one LIST of inventories per application.
 *
 * <p>An object is UNCHANGED when the live object carries the desired hash and the reconciler's managed fields
 * still have the fingerprint recorded in the inventory after the last apply; otherwise it is applied again.
 * That makes a no-op pass cost zero writes while still catching {@code kubectl edit} drift.
 */
public final class Planner {

    private final KubernetesClient client;
    private final ResourceTypes types;
    private final InventoryStore inventories;
    private final String fieldManager;
    private final PrunePolicy prunePolicy;

    public Planner(KubernetesClient client, ResourceTypes types, InventoryStore inventories, String fieldManager,
                   PrunePolicy prunePolicy) {
        this.client = client;
        this.types = types;
        this.inventories = inventories;
        this.fieldManager = fieldManager;
        this.prunePolicy = prunePolicy;
    }

    public Plan plan(DesiredState desired, String onlyApp) {
        String environment = desired.environment().name();
        List<Change> changes = new ArrayList<>();
        Map<String, Inventory> previous = new LinkedHashMap<>();
        for (AppInstance app : desired.environment().apps()) {
            if (onlyApp != null && !onlyApp.equals(app.name())) {
                continue;
            }
            Map<String, Inventory> all = inventories.loadAll(app.name());
            Inventory mine = all.getOrDefault(environment, Inventory.empty(environment, app.name()));
            previous.put(app.name(), mine);
            Set<ObjectKey> others = new HashSet<>();
            all.forEach((env, inventory) -> {
                if (!env.equals(environment)) {
                    others.addAll(inventory.entries().keySet());
                }
            });
            List<RenderedObject> objects = desired.objects().stream().filter(o -> o.application().equals(app.name())).toList();
            Map<ObjectKey, GenericKubernetesResource> live = readLive(app.name(), objects, mine);
            planApp(desired, app, objects, mine, others, live, changes);
        }
        changes.sort(Comparator.comparing((Change c) -> c.action() == Action.PRUNE || c.action() == Action.KEEP)
                .thenComparing(Change::key));
        return new Plan(environment, desired.environment().cluster(), List.copyOf(changes), previous);
    }

    private void planApp(DesiredState desired, AppInstance app, List<RenderedObject> objects, Inventory mine,
                         Set<ObjectKey> others, Map<ObjectKey, GenericKubernetesResource> live, List<Change> into) {
        Set<ObjectKey> wanted = new HashSet<>();
        for (RenderedObject object : objects) {
            wanted.add(object.key());
            Map<String, Object> stamped = Stamp.stamp(object, desired.environment().name(), desired.environment().cluster());
            String apiVersion = (String) stamped.get("apiVersion");
            GenericKubernetesResource current = live.get(object.key());
            Action action;
            String reason;
            if (current == null) {
                action = Action.CREATE;
                reason = "not in the cluster";
            } else if (!Objects.equals(Stamp.hashOf(stamped), liveHash(current))) {
                action = Action.UPDATE;
                reason = "desired content changed";
            } else {
                Inventory.Entry entry = mine.entries().get(object.key());
                String fingerprint = Fingerprint.of(current, fieldManager);
                if (entry != null && fingerprint.equals(entry.fingerprint())) {
                    action = Action.UNCHANGED;
                    reason = "";
                } else {
                    action = Action.UPDATE;
                    reason = entry == null ? "not yet in this environment's inventory"
                            : "drift: fields changed by " + String.join(", ", Fingerprint.otherManagers(current, fieldManager));
                }
            }
            into.add(new Change(object.key(), apiVersion, action, app.name(), object.dmNamespace(), stamped, current, reason));
        }
        mine.entries().forEach((key, entry) -> {
            if (wanted.contains(key)) {
                return;
            }
            GenericKubernetesResource current = live.get(key);
            if (current == null) {
                return; // already gone (or no longer labelled as ours): nothing to delete, dropped from the inventory
            }
            if (others.contains(key)) {
                return; // another environment of the cluster still applies it: handed over, dropped from ours
            }
            String scope = entry.scope().isEmpty() ? null : entry.scope();
            String refusal = prunePolicy.refusal(key.kind(), !app.present());
            into.add(new Change(key, entry.apiVersion(), refusal == null ? Action.PRUNE : Action.KEEP, app.name(), scope,
                    null, current, refusal == null ? "no longer desired" : refusal));
        });
    }

    /** The application's live objects of every type it desires or has in its inventory. */
    private Map<ObjectKey, GenericKubernetesResource> readLive(String application, List<RenderedObject> objects,
                                                               Inventory inventory) {
        Set<String> typeKeys = new TreeSet<>();
        objects.forEach(o -> typeKeys.add(o.body().get("apiVersion") + " " + o.key().kind()));
        inventory.entries().forEach((key, entry) -> typeKeys.add(entry.apiVersion() + " " + key.kind()));
        Map<String, String> selector = Map.of(Stamp.MANAGED_BY, Stamp.MANAGER, Stamp.APPLICATION, application);
        Map<ObjectKey, GenericKubernetesResource> live = new HashMap<>();
        for (String typeKey : typeKeys) {
            String[] parts = typeKey.split(" ");
            Optional<ResourceDefinitionContext> type = types.lookup(parts[0], parts[1]);
            if (type.isEmpty()) {
                continue; // the kind is not served yet (its CRD is applied in this pass): nothing of it exists
            }
            var resources = client.genericKubernetesResources(type.get());
            List<GenericKubernetesResource> items = type.get().isNamespaceScoped()
                    ? resources.inAnyNamespace().withLabels(selector).list().getItems()
                    : resources.withLabels(selector).list().getItems();
            for (GenericKubernetesResource item : items) {
                ObjectKey key = new ObjectKey(type.get().getGroup(), parts[1], item.getMetadata().getNamespace(),
                        item.getMetadata().getName());
                live.put(key, item);
            }
        }
        return live;
    }

    private static String liveHash(GenericKubernetesResource live) {
        Map<String, String> annotations = live.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(Stamp.HASH);
    }

    /** Apply order for creates/updates (kind order), reverse for deletions. */
    public static Comparator<Change> deletionOrder() {
        return Comparator.comparingInt((Change c) -> KindOrder.rank(c.key().group(), c.key().kind())).reversed()
                .thenComparing(Change::key);
    }
}

package dev.dmreconciler.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dmreconciler.resource.Stamp;
import dev.dmreconciler.resource.ObjectKey;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps inventories as ConfigMaps in one namespace of the cluster (default {@code dm-reconciler}), one per
 * (environment, application), named {@code inventory.<environment>.<application>}. A ConfigMap rather than an
 * ApplySet parent: ApplySet labels each member with one owner, and the operator-scope objects here are shared
 * by the environments of a cluster.
 */
public final class InventoryStore {

    public static final String INVENTORY_LABEL = "dm-reconciler.dev/inventory";
    private static final String DATA_KEY = "objects.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final String namespace;
    private final String fieldManager;

    public InventoryStore(KubernetesClient client, String namespace, String fieldManager) {
        this.client = client;
        this.namespace = namespace;
        this.fieldManager = fieldManager;
    }

    /** Every inventory of an application on this cluster, by environment (one LIST request). */
    public Map<String, Inventory> loadAll(String application) {
        Map<String, Inventory> inventories = new TreeMap<>();
        for (ConfigMap map : client.configMaps().inNamespace(namespace)
                .withLabel(INVENTORY_LABEL, "true").withLabel(Stamp.APPLICATION, application).list().getItems()) {
            Inventory inventory = parse(map);
            inventories.put(inventory.environment(), inventory);
        }
        return inventories;
    }

    /** Writes the inventory; an empty one is deleted. Callers skip this when nothing changed. */
    public void save(Inventory inventory) {
        String name = name(inventory.environment(), inventory.application());
        if (inventory.entries().isEmpty()) {
            client.configMaps().inNamespace(namespace).withName(name).delete();
            return;
        }
        if (client.namespaces().withName(namespace).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                    .addToLabels(Stamp.MANAGED_BY, Stamp.MANAGER).endMetadata().build())
                    .fieldManager(fieldManager).forceConflicts().serverSideApply();
        }
        ConfigMap map = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels(INVENTORY_LABEL, "true")
                .addToLabels(Stamp.MANAGED_BY, Stamp.MANAGER)
                .addToLabels(Stamp.APPLICATION, inventory.application())
                .addToAnnotations(Stamp.ENVIRONMENT, inventory.environment())
                .endMetadata()
                .addToData(DATA_KEY, serialize(inventory)).build();
        client.configMaps().inNamespace(namespace).resource(map).fieldManager(fieldManager).forceConflicts()
                .serverSideApply();
    }

    static String name(String environment, String application) {
        String safe = (environment + "." + application).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
        return "inventory." + safe;
    }

    private static String serialize(Inventory inventory) {
        List<Map<String, String>> rows = new ArrayList<>();
        inventory.entries().forEach((key, entry) -> {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("apiVersion", entry.apiVersion());
            row.put("kind", key.kind());
            row.put("namespace", key.namespace());
            row.put("name", key.name());
            row.put("scope", entry.scope());
            row.put("hash", entry.hash());
            row.put("fields", entry.fingerprint());
            rows.add(row);
        });
        try {
            return JSON.writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Inventory parse(ConfigMap map) {
        String environment = map.getMetadata().getAnnotations().get(Stamp.ENVIRONMENT);
        String application = map.getMetadata().getLabels().get(Stamp.APPLICATION);
        Inventory inventory = Inventory.empty(environment, application);
        String data = map.getData() == null ? null : map.getData().get(DATA_KEY);
        if (data == null) {
            return inventory;
        }
        try {
            for (Map<String, String> row : (List<Map<String, String>>) JSON.readValue(data, List.class)) {
                String apiVersion = row.get("apiVersion");
                ObjectKey key = new ObjectKey(ObjectKey.groupOf(apiVersion), row.get("kind"), row.get("namespace"), row.get("name"));
                inventory.entries().put(key, new Inventory.Entry(apiVersion, row.getOrDefault("scope", ""), row.get("hash"), row.get("fields")));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("inventory ConfigMap " + map.getMetadata().getNamespace() + "/"
                    + map.getMetadata().getName() + " is corrupt: " + e.getOriginalMessage(), e);
        }
        return inventory;
    }
}

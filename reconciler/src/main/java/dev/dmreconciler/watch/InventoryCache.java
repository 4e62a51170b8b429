package dev.dmreconciler.watch;

import dev.dmreconciler.inventory.InventoryStore;
import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.resource.ObjectKey;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The inventory ConfigMaps of the reconciler's namespace, followed by a watch, for {@link InventoryStore}: a pass
 * with nothing to write reads its inventories here instead of LISTing them. They are handed out only when current:
 * listed, the watch connected, and every write of this process seen back through the watch (until then a pass
 * LISTs, so it never plans from an inventory older than the one it just saved). The Secret hash key, read once,
 * is kept here too.
 */
public final class InventoryCache implements InventoryStore.Source, AutoCloseable {

    private static final String DELETED = "";

    private final KubernetesClient client;
    private final String namespace;
    /** This process's writes not yet seen through the watch: name → resourceVersion written ("" for deleted). */
    private final Map<String, String> unseen = new ConcurrentHashMap<>();
    /** Decoded inventory ConfigMaps: name → (resourceVersion, entries), the last version seen of each. */
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();
    private volatile SharedIndexInformer<ConfigMap> informer;
    private volatile byte[] hashKey;
    private volatile boolean closed;

    public InventoryCache(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    @Override
    public List<ConfigMap> inventories() {
        SharedIndexInformer<ConfigMap> current = start();
        if (current == null || !current.hasSynced() || !current.isWatching()) {
            return null;
        }
        unseen.entrySet().removeIf(written -> caughtUp(current, written.getKey(), written.getValue()));
        return unseen.isEmpty() ? current.getStore().list() : null;
    }

    /** Whether the cache shows the write, or something later. */
    private boolean caughtUp(SharedIndexInformer<ConfigMap> informer, String name, String version) {
        ConfigMap now = informer.getStore().getByKey(MetadataStore.key(namespace, name));
        if (version.equals(DELETED)) {
            return now == null;
        }
        String seen = Optional.ofNullable(now).map(m -> m.getMetadata().getResourceVersion()).orElse(null);
        if (seen == null) {
            return false;
        }
        if (seen.equals(version)) {
            return true;
        }
        try { // resourceVersions are opaque, but etcd's are ordered integers: a later one includes ours
            return Long.parseLong(seen) > Long.parseLong(version);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** For /status: whether the inventories are served from the watch, and how many own writes it has not shown yet. */
    public Map<String, Object> state() {
        SharedIndexInformer<ConfigMap> current = informer;
        boolean watching = current != null && current.hasSynced() && current.isWatching();
        return Map.of("current", watching, "unseenWrites", unseen.size());
    }

    @Override
    public void written(String name, String resourceVersion) {
        unseen.put(name, resourceVersion == null ? DELETED : resourceVersion);
        if (resourceVersion == null) {
            parsed.remove(name);
        }
    }

    private record Parsed(String resourceVersion, SortedMap<ObjectKey, Inventory.Entry> entries) {
    }

    /**
     * Decoded once per ConfigMap and resourceVersion (the API server gives every write a new one), whether the
     * ConfigMap came from the watch or from a LIST; only the last version of each name is kept.
     */
    @Override
    public SortedMap<ObjectKey, Inventory.Entry> parsed(ConfigMap map,
                                                        Function<ConfigMap, SortedMap<ObjectKey, Inventory.Entry>> parse) {
        String name = map.getMetadata().getName();
        String version = map.getMetadata().getResourceVersion();
        Parsed known = parsed.get(name);
        if (known != null && version != null && version.equals(known.resourceVersion())) {
            return known.entries();
        }
        SortedMap<ObjectKey, Inventory.Entry> entries = Collections.unmodifiableSortedMap(parse.apply(map));
        if (version != null) {
            parsed.put(name, new Parsed(version, entries));
        }
        return entries;
    }

    @Override
    public byte[] hashKey() {
        return hashKey;
    }

    @Override
    public void hashKey(byte[] key) {
        hashKey = key;
    }

    private synchronized SharedIndexInformer<ConfigMap> start() {
        if (informer == null && !closed) {
            SharedIndexInformer<ConfigMap> started = client.configMaps().inNamespace(namespace)
                    .withLabel(InventoryStore.INVENTORY_LABEL, "true").runnableInformer(0);
            started.exceptionHandler((running, error) -> !closed);
            started.start();
            informer = started;
        }
        return informer;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (informer != null) {
            informer.stop();
        }
    }
}

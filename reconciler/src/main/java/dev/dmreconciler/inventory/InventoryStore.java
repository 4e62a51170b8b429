package dev.dmreconciler.inventory;

import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.Stamp;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Keeps inventories as ConfigMaps in one namespace of the cluster (default {@code dm-reconciler}): per
 * (environment, application) one or more shards {@code inventory.<env>.<app>.<id>.<n>} (see
 * {@link InventoryName}, {@link InventoryCodec}), each holding gzip-compressed JSON lines in
 * {@code binaryData["objects.jsonl.gz"]}. A ConfigMap rather than an ApplySet parent: ApplySet labels each
 * member with one owner, and the operator-scope objects here are shared by the environments of a cluster.
 *
 * <p>One instance serves one pass: the first read LISTs every inventory of the namespace once (one request,
 * whatever the number of environments and applications); saves write only the shards whose content changed,
 * each with the resourceVersion it was read with (a PUT that the API server refuses when someone else wrote
 * the shard meanwhile), so a pass that lost its Lease cannot overwrite a newer inventory.
 *
 * <p>Reading tolerates a save that was interrupted (a kill between two shard writes): every shard found is
 * read, and an object found in two shards takes the entry of the newer generation. An entry too many is
 * harmless (prune treats an entry whose object is gone as gone); an entry too few would orphan an object.
 */
public final class InventoryStore {

    public static final String INVENTORY_LABEL = "dm-reconciler.dev/inventory";
    public static final String INVENTORY_ID = "dm-reconciler.dev/inventory-id";
    public static final String ENVIRONMENT_ID = "dm-reconciler.dev/environment-id";
    public static final String APPLICATION = "dm-reconciler.dev/application";
    public static final String SOURCE = "dm-reconciler.dev/source";
    public static final String SHARD = "dm-reconciler.dev/inventory-shard";
    public static final String GENERATION = "dm-reconciler.dev/inventory-generation";
    public static final String ENTRIES = "dm-reconciler.dev/inventory-entries";
    public static final String DATA_KEY = "objects.jsonl.gz";
    private static final String LEGACY_DATA_KEY = "objects.json";

    /**
     * Where a long-running process keeps the inventory ConfigMaps it has seen (a watch), so that a pass with
     * nothing to write does not LIST them. Under the environment's Lease, before writing, the store always reads
     * the API server ({@link #refresh}).
     */
    public interface Source {

        /** The inventory ConfigMaps of the namespace, or null when they are not known to be current (then one LIST). */
        List<ConfigMap> inventories();

        /** This process wrote an inventory ConfigMap ({@code resourceVersion} of the write) or deleted it (null). */
        void written(String name, String resourceVersion);

        /** The Secret hash key as read by an earlier pass, or null. */
        byte[] hashKey();

        void hashKey(byte[] key);

        /**
         * The entries of an inventory ConfigMap, as {@code parse} reads them; a long-running process may keep them
         * per ConfigMap and resourceVersion (a resourceVersion names one content), so an inventory of 9,000 objects
         * is not decoded again by every pass. The result is never changed by the store.
         */
        default SortedMap<ObjectKey, Inventory.Entry> parsed(ConfigMap map,
                                                             java.util.function.Function<ConfigMap, SortedMap<ObjectKey, Inventory.Entry>> parse) {
            return parse.apply(map);
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String fieldManager;
    private final boolean writable;
    private Source seen;
    private boolean readApiServer;
    private Map<String, Stored> snapshot;
    private boolean namespaceChecked;
    private SecretHashKey secretHashKey;
    private String source;

    /** A read-only store (diff): it never writes, not even the Secret hash key. */
    public InventoryStore(KubernetesClient client, String namespace, String fieldManager) {
        this(client, namespace, fieldManager, false);
    }

    private InventoryStore(KubernetesClient client, String namespace, String fieldManager, boolean writable) {
        this.client = client;
        this.namespace = namespace;
        this.fieldManager = fieldManager;
        this.writable = writable;
    }

    /** A store that may write: inventories, and the Secret hash key on first use. */
    public static InventoryStore forApply(KubernetesClient client, String namespace, String fieldManager) {
        return new InventoryStore(client, namespace, fieldManager, true);
    }

    /** Reads inventories (until {@link #refresh}) and the Secret hash key from {@code seen} where it can. */
    public InventoryStore readingFrom(Source seen) {
        this.seen = seen;
        return this;
    }

    public String namespace() {
        return namespace;
    }

    /** Every inventory of an application on this cluster, by environment (served from one LIST per pass). */
    public Map<String, Inventory> loadAll(String application) {
        Map<String, Inventory> inventories = new TreeMap<>();
        snapshot().values().stream().filter(s -> s.application.equals(application))
                .forEach(s -> inventories.put(s.environment, new Inventory(s.environment, s.application, new TreeMap<>(s.entries))));
        return inventories;
    }

    /** Every inventory of an environment on this cluster, by application. */
    public Map<String, Inventory> loadEnvironment(String environment) {
        Map<String, Inventory> inventories = new TreeMap<>();
        snapshot().values().stream().filter(s -> s.environment.equals(environment))
                .forEach(s -> inventories.put(s.application, new Inventory(s.environment, s.application, new TreeMap<>(s.entries))));
        return inventories;
    }

    /**
     * The files other than {@code source} that an environment's inventories on this cluster were written from
     * (empty when none claims it or all agree), by application.
     */
    public Map<String, String> otherSources(String environment, String source) {
        Map<String, String> others = new TreeMap<>();
        snapshot().values().stream().filter(s -> s.environment.equals(environment))
                .filter(s -> s.source != null && !s.source.isEmpty() && !s.source.equals(source))
                .forEach(s -> others.put(s.application, s.source));
        return others;
    }

    /** The resourceVersions of an environment's inventory shards, to tell whether someone wrote them since. */
    public Map<String, String> versions(String environment) {
        Map<String, String> versions = new TreeMap<>();
        snapshot().values().stream().filter(s -> s.environment.equals(environment))
                .forEach(s -> versions.putAll(s.resourceVersions));
        return versions;
    }

    /**
     * The environment file this pass comes from, recorded in the inventories it saves (see
     * {@link #otherSources}); null keeps what is recorded.
     */
    public void claim(String source) {
        this.source = source;
    }

    /** Forgets what was read, so the next call LISTs again (from the API server, never a {@link Source}). */
    public synchronized void refresh() {
        snapshot = null;
        readApiServer = true;
    }

    /**
     * The key for keyed hashes if the cluster has one, else null: never created (for {@code Stamp.takeKeyedStamp},
     * which only needs a key someone already used). Read at most once.
     */
    public synchronized byte[] existingSecretHashKey() {
        if (seen != null && seen.hashKey() != null) {
            return seen.hashKey();
        }
        if (secretHashKey == null) {
            secretHashKey = new SecretHashKey(client, namespace, writable);
        }
        return secretHashKey.existing();
    }

    /** The key for hashes of Secrets (see {@link SecretHashKey}); read (or created) on first use. */
    public synchronized byte[] secretHashKey() {
        if (seen != null && writable && seen.hashKey() != null) {
            return seen.hashKey();
        }
        if (secretHashKey == null) {
            secretHashKey = new SecretHashKey(client, namespace, writable);
        }
        byte[] key = secretHashKey.key(this::ensureNamespace);
        if (seen != null && writable) {
            seen.hashKey(key); // read or created: the cluster's key from now on
        }
        return key;
    }

    /**
     * Writes the inventory: the shards whose content changed, then deletes shards it no longer needs (and the
     * single ConfigMap of the format before shards). An empty inventory is deleted.
     *
     * @throws InventoryException when the API server refuses a write (a conflict means another process wrote
     *                            the inventory since this pass read it)
     */
    public synchronized void save(Inventory inventory) {
        if (!writable) {
            throw new IllegalStateException("a read-only inventory store cannot save");
        }
        String id = InventoryName.inventoryId(inventory.environment(), inventory.application());
        Stored stored = snapshot().get(id);
        String recordedSource = source != null ? source : stored == null ? null : stored.source;
        Map<String, String> versions = new LinkedHashMap<>();
        Map<String, String> contents = new HashMap<>();
        List<String> obsolete = new ArrayList<>(stored == null ? List.of() : stored.resourceVersions.keySet());
        long generation = stored == null ? 1 : stored.generation + 1;
        try {
            if (!inventory.entries().isEmpty()) {
                ensureNamespace();
                List<byte[]> shards = InventoryCodec.encode(inventory.entries());
                for (int i = 0; i < shards.size(); i++) {
                    String name = InventoryName.shard(inventory.environment(), inventory.application(), i);
                    String content = InventoryCodec.base64(shards.get(i));
                    String shardLabel = i + "/" + shards.size();
                    obsolete.remove(name);
                    String version = stored == null ? null : stored.resourceVersions.get(name);
                    if (version != null && content.equals(stored.contents.get(name))
                            && Objects.equals(recordedSource, stored.source) && shardLabel.equals(stored.shardLabels.get(name))) {
                        versions.put(name, version);
                        contents.put(name, content);
                        continue;
                    }
                    ConfigMap map = shardMap(inventory, name, shardLabel, generation, recordedSource, content, version);
                    var resource = client.configMaps().inNamespace(namespace).resource(map);
                    ConfigMap written = version == null ? resource.create() : resource.update();
                    versions.put(name, written.getMetadata().getResourceVersion());
                    if (seen != null) {
                        seen.written(name, written.getMetadata().getResourceVersion());
                    }
                    contents.put(name, content);
                }
            }
            for (String name : obsolete) {
                client.configMaps().inNamespace(namespace).withName(name).delete();
                if (seen != null) {
                    seen.written(name, null);
                }
            }
        } catch (KubernetesClientException e) {
            snapshot = null; // what is stored is no longer known: the next read LISTs again
            throw new InventoryException(describe(inventory, e), e);
        }
        if (inventory.entries().isEmpty()) {
            snapshot().remove(id);
            return;
        }
        Map<String, String> shardLabels = new HashMap<>();
        versions.keySet().forEach(n -> shardLabels.put(n, n.substring(n.lastIndexOf('.') + 1) + "/" + versions.size()));
        snapshot().put(id, new Stored(inventory.environment(), inventory.application(), recordedSource, generation,
                new TreeMap<>(inventory.entries()), versions, contents, shardLabels));
    }

    private String describe(Inventory inventory, KubernetesClientException e) {
        String what = "inventory of " + inventory.application() + " in environment " + inventory.environment()
                + " (ConfigMaps " + namespace + "/" + InventoryName.shard(inventory.environment(), inventory.application(), 0)
                .replaceFirst("\\.0$", ".*") + ")";
        if (e.getCode() == 409) {
            return what + " was written by another process since this pass read it; the next pass plans again from it";
        }
        return what + " could not be saved: " + (e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage() : e.getMessage());
    }

    private ConfigMap shardMap(Inventory inventory, String name, String shardLabel, long generation, String source,
                               String content, String version) {
        ConfigMapBuilder map = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withResourceVersion(version)
                .addToLabels(INVENTORY_LABEL, "true")
                .addToLabels(INVENTORY_ID, InventoryName.inventoryId(inventory.environment(), inventory.application()))
                .addToLabels(ENVIRONMENT_ID, InventoryName.environmentId(inventory.environment()))
                .addToLabels(APPLICATION, inventory.application())
                .addToAnnotations(Stamp.ENVIRONMENT, inventory.environment())
                .addToAnnotations(SHARD, shardLabel)
                .addToAnnotations(GENERATION, Long.toString(generation))
                .addToAnnotations(ENTRIES, Integer.toString(inventory.entries().size()))
                .endMetadata();
        if (source != null) {
            map.editMetadata().addToAnnotations(SOURCE, source).endMetadata();
        }
        return map.addToBinaryData(DATA_KEY, content).build();
    }

    private synchronized Map<String, Stored> snapshot() {
        if (snapshot == null) {
            snapshot = read();
        }
        return snapshot;
    }

    /** Every inventory ConfigMap of the namespace (one LIST, or the source's), grouped by identity. */
    private Map<String, Stored> read() {
        Map<String, Stored> stored = new HashMap<>();
        Map<String, Map<ObjectKey, Long>> generations = new HashMap<>();
        List<ConfigMap> maps = seen == null || readApiServer ? null : seen.inventories();
        if (maps == null) {
            maps = client.configMaps().inNamespace(namespace).withLabel(INVENTORY_LABEL, "true").list().getItems();
            if (!maps.isEmpty()) {
                namespaceChecked = true; // it holds inventories: it exists, no GET of it needed before a write
            }
        }
        for (ConfigMap map : maps) {
            Map<String, String> annotations = map.getMetadata().getAnnotations() == null ? Map.of() : map.getMetadata().getAnnotations();
            Map<String, String> labels = map.getMetadata().getLabels() == null ? Map.of() : map.getMetadata().getLabels();
            String environment = annotations.get(Stamp.ENVIRONMENT);
            String application = labels.get(APPLICATION);
            if (environment == null || application == null) {
                continue; // not one of ours after all
            }
            String id = InventoryName.inventoryId(environment, application);
            long generation = parseLong(annotations.get(GENERATION));
            SortedMap<ObjectKey, Inventory.Entry> entries = seen != null ? seen.parsed(map, InventoryStore::parse) : parse(map);
            Stored s = stored.computeIfAbsent(id, i -> new Stored(environment, application, null, 0, new TreeMap<>(),
                    new TreeMap<>(), new HashMap<>(), new HashMap<>()));
            Map<ObjectKey, Long> seen = generations.computeIfAbsent(id, i -> new HashMap<>());
            entries.forEach((key, entry) -> {
                Long before = seen.get(key);
                if (before == null || before < generation) {
                    s.entries.put(key, entry);
                    seen.put(key, generation);
                }
            });
            String content = map.getBinaryData() == null ? null : map.getBinaryData().get(DATA_KEY);
            s.resourceVersions.put(map.getMetadata().getName(), map.getMetadata().getResourceVersion());
            if (content != null) {
                s.contents.put(map.getMetadata().getName(), content);
                s.shardLabels.put(map.getMetadata().getName(), annotations.getOrDefault(SHARD, ""));
            }
            Stored updated = s.withGenerationAndSource(Math.max(s.generation, generation),
                    s.source != null && generation < s.generation ? s.source : annotations.getOrDefault(SOURCE, s.source));
            stored.put(id, updated);
        }
        return stored;
    }

    private static SortedMap<ObjectKey, Inventory.Entry> parse(ConfigMap map) {
        try {
            String content = map.getBinaryData() == null ? null : map.getBinaryData().get(DATA_KEY);
            if (content != null) {
                return InventoryCodec.decode(Base64.getDecoder().decode(content));
            }
            String legacy = map.getData() == null ? null : map.getData().get(LEGACY_DATA_KEY);
            return legacy == null ? new TreeMap<>() : InventoryCodec.decodeLegacy(legacy);
        } catch (IllegalArgumentException e) {
            throw new InventoryException("inventory ConfigMap " + map.getMetadata().getNamespace() + "/"
                    + map.getMetadata().getName() + " is corrupt: " + e.getMessage(), e);
        }
    }

    private static long parseLong(String text) {
        try {
            return text == null ? 0 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Creates the inventory namespace when it does not exist yet: one GET per pass that writes, none when this pass's
     * LIST of inventories found any there (then it exists; one being deleted fails the write that follows, as before).
     */
    public synchronized void ensureNamespace() {
        if (namespaceChecked) {
            return;
        }
        if (client.namespaces().withName(namespace).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                    .addToLabels(Stamp.MANAGED_BY, Stamp.MANAGER).endMetadata().build())
                    .fieldManager(fieldManager).forceConflicts().serverSideApply();
        }
        namespaceChecked = true;
    }

    /** What one inventory identity holds in the cluster: merged entries and the shards they came from. */
    private record Stored(String environment, String application, String source, long generation,
                          SortedMap<ObjectKey, Inventory.Entry> entries, Map<String, String> resourceVersions,
                          Map<String, String> contents, Map<String, String> shardLabels) {

        Stored withGenerationAndSource(long newGeneration, String newSource) {
            return new Stored(environment, application, newSource, newGeneration, entries, resourceVersions, contents, shardLabels);
        }
    }
}

package dev.dmreconciler.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.resource.ObjectKey;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class InventoryCodecTest {

    /** Entries as a Jupyter environment of n Data Manager namespaces has them: three objects per namespace. */
    static SortedMap<ObjectKey, Inventory.Entry> dataManagerNamespaces(int n) {
        SortedMap<ObjectKey, Inventory.Entry> entries = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String ns = "data-manager-api-" + i;
            // hashes and fingerprints are SHA-256 prefixes: as incompressible as the real ones
            entries.put(new ObjectKey("rbac.authorization.k8s.io", "Role", ns, "data-manager-jupyter-operator"),
                    new Inventory.Entry("rbac.authorization.k8s.io/v1", ns, sha("r" + i), sha("rf" + i)));
            entries.put(new ObjectKey("rbac.authorization.k8s.io", "RoleBinding", ns, "data-manager-jupyter-operator"),
                    new Inventory.Entry("rbac.authorization.k8s.io/v1", ns, sha("b" + i), sha("bf" + i)));
            entries.put(new ObjectKey("", "ConfigMap", ns, "jupyternotebooks.squonk.it"),
                    new Inventory.Entry("v1", ns, sha("c" + i), sha("cf" + i)));
        }
        return entries;
    }

    private static String sha(String text) {
        return dev.dmreconciler.resource.Digests.sha256(text, 32);
    }

    private static SortedMap<ObjectKey, Inventory.Entry> decodeAll(List<byte[]> shards) {
        SortedMap<ObjectKey, Inventory.Entry> all = new TreeMap<>();
        shards.forEach(s -> all.putAll(InventoryCodec.decode(s)));
        return all;
    }

    @Test
    void roundTripKeepsPendingAndExtraAttributes() {
        SortedMap<ObjectKey, Inventory.Entry> entries = new TreeMap<>();
        entries.put(new ObjectKey("", "Namespace", "", "ops"), Inventory.Entry.pending("v1", "", "abc"));
        entries.put(new ObjectKey("batch", "Job", "ns", "migrate"),
                new Inventory.Entry("batch/v1", "ns", "h", "f", false, Map.of("lifecycle", "create-once")));
        List<byte[]> shards = InventoryCodec.encode(entries);
        assertEquals(1, shards.size());
        SortedMap<ObjectKey, Inventory.Entry> back = InventoryCodec.decode(shards.get(0));
        assertEquals(entries, back);
        assertTrue(back.get(new ObjectKey("", "Namespace", "", "ops")).pending());
        assertEquals("create-once", back.get(new ObjectKey("batch", "Job", "ns", "migrate")).extra().get("lifecycle"));
    }

    @Test
    void sixThousandObjectsSplitIntoShardsWellUnderOneMebibyteAndReadBackWhole() {
        SortedMap<ObjectKey, Inventory.Entry> entries = dataManagerNamespaces(2000);
        List<byte[]> shards = InventoryCodec.encode(entries);
        assertEquals(4, shards.size(), "6,000 entries at most 2,500 per shard, a power of two");
        for (byte[] shard : shards) {
            int base64 = InventoryCodec.base64(shard).length();
            assertTrue(base64 < 512 * 1024, "shard of " + base64 + " base64 bytes");
            assertTrue(InventoryCodec.decode(shard).size() > 1000, "shards are balanced");
        }
        assertEquals(entries, decodeAll(shards));
    }

    @Test
    void aChangeInOneNamespaceRewritesOneShard() {
        SortedMap<ObjectKey, Inventory.Entry> entries = dataManagerNamespaces(2000);
        List<byte[]> before = InventoryCodec.encode(entries);
        ObjectKey changed = new ObjectKey("", "ConfigMap", "data-manager-api-7", "jupyternotebooks.squonk.it");
        entries.put(changed, new Inventory.Entry("v1", "data-manager-api-7", "new", "new"));
        List<byte[]> after = InventoryCodec.encode(entries);
        int differing = 0;
        for (int i = 0; i < before.size(); i++) {
            differing += java.util.Arrays.equals(before.get(i), after.get(i)) ? 0 : 1;
        }
        assertEquals(1, differing);
    }

    @Test
    void encodingIsDeterministic() {
        SortedMap<ObjectKey, Inventory.Entry> entries = dataManagerNamespaces(10);
        assertEquals(InventoryCodec.base64(InventoryCodec.encode(entries).get(0)),
                InventoryCodec.base64(InventoryCodec.encode(new TreeMap<>(entries)).get(0)));
    }

    @Test
    void emptyInventoryIsOneEmptyShard() {
        List<byte[]> shards = InventoryCodec.encode(new TreeMap<>());
        assertEquals(1, shards.size());
        assertTrue(InventoryCodec.decode(shards.get(0)).isEmpty());
    }

    @Test
    void concatenatedShardsGunzipToEveryLine() throws Exception {
        // what `kubectl get cm -l … -o jsonpath=… | base64 -d | gunzip` relies on (see the README)
        SortedMap<ObjectKey, Inventory.Entry> entries = dataManagerNamespaces(2000);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] shard : InventoryCodec.encode(entries)) {
            all.write(shard);
        }
        assertEquals(entries, InventoryCodec.decodeLines(InventoryCodec.gunzip(all.toByteArray())));
    }

    @Test
    void shardsGrowWhenLongNamesWouldOverflowOne() {
        SortedMap<ObjectKey, Inventory.Entry> entries = new TreeMap<>();
        String longName = "n".repeat(240);
        for (int i = 0; i < 2400; i++) {
            byte[] noise = new byte[400];
            new java.util.Random(i).nextBytes(noise);
            String random = java.util.HexFormat.of().formatHex(noise); // 400 incompressible bytes per entry
            entries.put(new ObjectKey("example.org", "Thing", "ns" + i, longName + i),
                    new Inventory.Entry("example.org/v1", random, random, random));
        }
        List<byte[]> shards = InventoryCodec.encode(entries);
        assertTrue(shards.size() > 1, "one shard would be " + shards.get(0).length + " bytes");
        shards.forEach(s -> assertTrue(s.length <= InventoryCodec.MAX_SHARD_BYTES));
        assertEquals(entries, decodeAll(shards));
    }

    @Test
    void legacyArrayIsRead() {
        SortedMap<ObjectKey, Inventory.Entry> entries = InventoryCodec.decodeLegacy("""
                [{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","namespace":"dm-a","name":"r","scope":"dm-a","hash":"h","fields":"f"},
                 {"apiVersion":"v1","kind":"Namespace","namespace":"","name":"ops","hash":"h2","fields":"f2"}]""");
        assertEquals(2, entries.size());
        Inventory.Entry role = entries.get(new ObjectKey("rbac.authorization.k8s.io", "Role", "dm-a", "r"));
        assertEquals(new Inventory.Entry("rbac.authorization.k8s.io/v1", "dm-a", "h", "f"), role);
        assertEquals("", entries.get(new ObjectKey("", "Namespace", "", "ops")).scope());
    }

    @Test
    void linesReadInOneParseAsEachLinesMapWas() {
        // the streamed reading against the map-per-entry one (decodeLegacy reads each entry as a map, as lines were)
        List<String> lines = List.of(
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"namespace\":\"dm-a\",\"name\":\"c\",\"scope\":\"dm-a\",\"hash\":\"h\",\"fields\":\"f\"}",
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"namespace\":\"op\",\"name\":\"d\",\"scope\":\"\",\"hash\":\"h2\",\"fields\":\"\",\"pending\":true}",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"name\":\"ops\",\"hash\":null,\"pending\":false,\"later\":\"x\",\"n\":3,"
                        + "\"b\":true,\"o\":{\"k\":[1,\"v\"]},\"gone\":null}",
                "{\"kind\":\"Role\",\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"name\":\"r\",\"namespace\":\"dm-b\",\"name\":\"r2\",\"x\":\"1\",\"x\":null}");
        SortedMap<ObjectKey, Inventory.Entry> streamed = InventoryCodec.decodeLines(String.join("\n", lines) + "\n\n  \n");
        assertEquals(InventoryCodec.decodeLegacy("[" + String.join(",", lines) + "]"), streamed);
        assertEquals(4, streamed.size());
        Inventory.Entry namespace = streamed.get(new ObjectKey("", "Namespace", "", "ops"));
        assertEquals(Map.of("later", "x", "n", "3", "b", "true", "o", "{k=[1, v]}"), namespace.extra());
        assertTrue(streamed.get(new ObjectKey("apps", "Deployment", "op", "d")).pending());
        assertTrue(streamed.containsKey(new ObjectKey("rbac.authorization.k8s.io", "Role", "dm-b", "r2")), "a repeated key: the last");
        assertEquals(Map.of(), InventoryCodec.decodeLines(""));
        assertThrows(IllegalArgumentException.class, () -> InventoryCodec.decodeLines("[1]\n"));
        assertThrows(IllegalArgumentException.class, () -> InventoryCodec.decodeLines("{\"apiVersion\":\"v1\",\"kind\":"));
        assertThrows(IllegalArgumentException.class, () -> InventoryCodec.decodeLines("{\"apiVersion\":\"v1\",\"kind\":\"Role\"}\n"));
    }

    @Test
    void corruptDataIsAnErrorNotAnEmptyInventory() {
        assertThrows(IllegalArgumentException.class, () -> InventoryCodec.decode(new byte[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> InventoryCodec.decode(InventoryCodec.gzip("{\"kind\":\"Role\"}\n")));
        assertNotEquals(0, InventoryCodec.gzip("").length);
    }

    @Test
    void bytesPerObject() {
        // measured, printed for the record (not asserted): raw JSON line and compressed bytes per object
        SortedMap<ObjectKey, Inventory.Entry> entries = dataManagerNamespaces(2000);
        long raw = entries.entrySet().stream().mapToLong(e -> InventoryCodec.line(e.getKey(), e.getValue()).length() + 1).sum();
        long stored = InventoryCodec.encode(entries).stream().mapToLong(s -> InventoryCodec.base64(s).length()).sum();
        System.out.printf("inventory of %d objects: %d bytes JSON lines (%.0f/object), %d bytes stored base64 gzip (%.0f/object)%n",
                entries.size(), raw, raw / (double) entries.size(), stored, stored / (double) entries.size());
    }
}

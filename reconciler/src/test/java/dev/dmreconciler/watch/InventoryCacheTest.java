package dev.dmreconciler.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.resource.ObjectKey;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** An inventory ConfigMap is decoded once per resourceVersion, not once per pass. */
class InventoryCacheTest {

    private static ConfigMap shard(String name, String resourceVersion) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("dm-reconciler")
                .withResourceVersion(resourceVersion).endMetadata().build();
    }

    @Test
    void decodesEachResourceVersionOnceAndForgetsDeletedShards() {
        InventoryCache cache = new InventoryCache(null, "dm-reconciler"); // the client is used only by the watch
        AtomicInteger decoded = new AtomicInteger();
        Function<ConfigMap, SortedMap<ObjectKey, Inventory.Entry>> parse = map -> {
            decoded.incrementAndGet();
            SortedMap<ObjectKey, Inventory.Entry> entries = new TreeMap<>();
            entries.put(new ObjectKey("", "ConfigMap", "ns", String.valueOf(map.getMetadata().getResourceVersion())), null);
            return entries;
        };
        SortedMap<ObjectKey, Inventory.Entry> first = cache.parsed(shard("inventory.a.0", "10"), parse);
        assertSame(first, cache.parsed(shard("inventory.a.0", "10"), parse), "same name and resourceVersion");
        assertEquals(1, decoded.get());
        assertThrows(UnsupportedOperationException.class, () -> first.clear(), "shared: read-only");

        SortedMap<ObjectKey, Inventory.Entry> written = cache.parsed(shard("inventory.a.0", "11"), parse);
        assertEquals("11", written.firstKey().name(), "a new resourceVersion is decoded again");
        cache.parsed(shard("inventory.a.1", "11"), parse);
        assertEquals(3, decoded.get());

        cache.written("inventory.a.0", null);
        cache.parsed(shard("inventory.a.0", "11"), parse);
        assertEquals(4, decoded.get(), "a deleted shard's entries are dropped");
        cache.parsed(shard("inventory.a.2", null), parse);
        cache.parsed(shard("inventory.a.2", null), parse);
        assertEquals(6, decoded.get(), "without a resourceVersion nothing is kept");
    }
}

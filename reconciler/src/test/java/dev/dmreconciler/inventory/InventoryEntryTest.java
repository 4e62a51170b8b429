package dev.dmreconciler.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Entry's written-out equals and hashCode are the record's own: the same answers and the same hash. */
class InventoryEntryTest {

    /** The same components as a plain record: its generated equals and hashCode are the reference. */
    record Reference(String apiVersion, String scope, String hash, String fingerprint, boolean pending,
                     Map<String, String> extra) {
        static Reference of(Inventory.Entry e) {
            return new Reference(e.apiVersion(), e.scope(), e.hash(), e.fingerprint(), e.pending(), e.extra());
        }
    }

    private static final Inventory.Entry BASE = new Inventory.Entry("v1", "ns", "h", "f", false, Map.of("a", "1"));

    @Test
    void equalsAndHashAreTheRecordsOwn() {
        List<Inventory.Entry> entries = List.of(BASE,
                new Inventory.Entry("v1", "ns", "h", "f", false, Map.of("a", "1")),
                new Inventory.Entry("apps/v1", "ns", "h", "f", false, Map.of("a", "1")),
                new Inventory.Entry("v1", "", "h", "f", false, Map.of("a", "1")),
                new Inventory.Entry("v1", "ns", "other", "f", false, Map.of("a", "1")),
                new Inventory.Entry("v1", "ns", "h", "", false, Map.of("a", "1")),
                new Inventory.Entry("v1", "ns", "h", "f", true, Map.of("a", "1")),
                new Inventory.Entry("v1", "ns", "h", "f", false, Map.of()),
                new Inventory.Entry("v1", "ns", "h", "f", false, Map.of("a", "2")),
                new Inventory.Entry(null, null, null, null, false, null),
                new Inventory.Entry(null, null, null, null, false, null),
                Inventory.Entry.pending("v1", "ns", "h"),
                BASE.withExtra(Inventory.CREATE, "true"));
        for (Inventory.Entry a : entries) {
            assertEquals(Reference.of(a).hashCode(), a.hashCode(), a.toString());
            for (Inventory.Entry b : entries) {
                assertEquals(Reference.of(a).equals(Reference.of(b)), a.equals(b), a + " vs " + b);
            }
        }
        assertNotEquals(BASE, null);
        assertNotEquals(BASE, "v1");
        assertEquals(BASE, BASE);
    }
}

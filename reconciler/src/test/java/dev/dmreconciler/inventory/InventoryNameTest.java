package dev.dmreconciler.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InventoryNameTest {

    private static final String DNS_SUBDOMAIN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

    @Test
    void namesThatSanitiseAlikeStayDistinct() {
        assertNotEquals(InventoryName.shard("team_a", "jupyter-operator", 0), InventoryName.shard("team-a", "jupyter-operator", 0));
        assertNotEquals(InventoryName.inventoryId("team_a", "jupyter-operator"), InventoryName.inventoryId("team-a", "jupyter-operator"));
        assertNotEquals(InventoryName.lease("team_a"), InventoryName.lease("team-a"));
        assertNotEquals(InventoryName.inventoryId("a.b", "c"), InventoryName.inventoryId("a", "b.c"));
        assertNotEquals(InventoryName.inventoryId("Staging", "x"), InventoryName.inventoryId("staging", "x"));
    }

    @Test
    void namesAreReadableAndValidKubernetesNames() {
        String name = InventoryName.shard("team_a", "jupyter-operator", 3);
        assertTrue(name.startsWith("inventory.team-a.jupyter-operator."), name);
        assertTrue(name.endsWith(".3"), name);
        for (String environment : new String[] {"team_a", "-x-", "___", "Ünïcode env", "a".repeat(300), "parameters-dls-dev"}) {
            String shard = InventoryName.shard(environment, "jupyter-operator", 12);
            String lease = InventoryName.lease(environment);
            assertTrue(shard.matches(DNS_SUBDOMAIN) && shard.length() <= 253, shard);
            assertTrue(lease.matches(DNS_SUBDOMAIN) && lease.length() <= 253, lease);
        }
    }

    @Test
    void idsAreStableAndFitALabelValue() {
        assertEquals(InventoryName.inventoryId("example", "jupyter-operator"), InventoryName.inventoryId("example", "jupyter-operator"));
        assertEquals(10, InventoryName.environmentId("example").length());
    }
}

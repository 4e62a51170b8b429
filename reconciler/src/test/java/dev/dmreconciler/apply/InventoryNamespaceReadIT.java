package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.plan.Outcome;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory namespace is read (and made) before the first write only when the pass's LIST of inventories found
 * none there: a pass that writes into an environment with inventories knows the namespace exists and saves that GET.
 */
class InventoryNamespaceReadIT extends OnRealApiServer {

    private static final String NAMESPACE_GET = "GET /api/v1/namespaces/dm-reconciler";

    @TempDir
    static Path dir;

    private static List<String> namespaceGets() {
        return harness.counter.requestLog().stream().filter(NAMESPACE_GET::equals).toList();
    }

    @Test
    void theNamespaceIsReadOnlyWhenNoInventoryIsThere() {
        RealApiServer.createDataManagerNamespace(client, "nsread-dm");
        TestRepo repo = ShopBundle.repo(dir.resolve("r")).write("environments/nsread.yaml", """
                applications:
                  shop:
                    values: {sh_home: nsread-home}
                    namespaces: [nsread-dm]
                """);

        ApplyReport first = harness.apply(repo, "nsread");
        assertTrue(first.succeeded(), first.toText());
        assertEquals(List.of(NAMESPACE_GET), namespaceGets(), "no inventory yet: read, and made: " + harness.counter.requestLog());
        assertNotNull(client.namespaces().withName("dm-reconciler").get());

        repo.write("environments/nsread.yaml", """
                applications:
                  shop:
                    values: {sh_home: nsread-home, sh_port: 8080}
                    namespaces: [nsread-dm]
                """);
        ApplyReport changed = harness.apply(repo, "nsread");
        assertTrue(changed.succeeded(), changed.toText());
        assertTrue(changed.results().stream().anyMatch(r -> r.outcome() == Outcome.CONFIGURED), changed.toText());
        assertTrue(harness.counter.writes() > 0);
        assertEquals(List.of(), namespaceGets(), "inventories listed there: no GET of it: " + harness.counter.requestLog());
        assertTrue(changed.inventoriesWritten().contains("shop"), "the inventory is still saved there: " + changed.toText());
    }
}

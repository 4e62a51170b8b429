package dev.dmreconciler.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A SnakeYAML dump that fails (a lone surrogate: SnakeYAML refuses it, BlockYaml declines it) must leave nothing
 * behind for the next dump of the same map instances on this thread ({@code run} keeps bodies between passes).
 */
class ManifestsDumperTest {

    @Test
    void aFailedDumpLeavesNoStaleNodesForTheNextDumpOfTheSameMaps() {
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("app", "web");
        labels.put("bad", "x\ud800y");
        labels.put("tier", "front");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "ConfigMap");
        body.put("labels", labels);
        assertThrows(RuntimeException.class, () -> Manifests.toYaml(body));

        labels.remove("bad");
        // the same labels map, now valid; a tab makes BlockYaml decline, so SnakeYAML prints it
        Map<String, Object> again = new LinkedHashMap<>();
        again.put("note", "a\tb");
        again.put("labels", labels);
        assertEquals(Manifests.yaml().dump(again), Manifests.toYaml(again));
        assertEquals("note: \"a\\tb\"\nlabels:\n  app: web\n  tier: front\n", Manifests.toYaml(again));
    }

    @Test
    void theSameFailingBodyFailsAgainInsteadOfPrintingAPartialDocument() {
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("app", "web");
        labels.put("bad", "x\ud800y");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "ConfigMap");
        body.put("labels", labels);
        assertThrows(RuntimeException.class, () -> Manifests.toYaml(body));
        assertThrows(RuntimeException.class, () -> Manifests.toYaml(body));
    }
}

package dev.dmreconciler.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.resource.SecretPaths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The live diff hides the live values at the places where the object held a secret of its environment when it was
 * applied (its inventory entry's paths), also when that secret has left git and this process never read it (review
 * S11-F14), in metadata too (S11B-F4), and nothing else (S11B-F5: an image bump still shows from which version).
 * The values here are registered nowhere: the redactor cannot be what hides them.
 */
class SecretPlacesDiffTest {

    private static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static Map<String, Object> configMap(Map<String, Object> data, Map<String, Object> annotations) {
        Map<String, Object> metadata = map("name", "app-config", "namespace", "dm-a");
        if (annotations != null) {
            metadata.put("annotations", annotations);
        }
        return map("apiVersion", "v1", "kind", "ConfigMap", "metadata", metadata, "data", data);
    }

    @Test
    void aSecretMovedOutOfAConfigMapIsNotPrintedFromTheCluster() {
        Map<String, Object> live = configMap(map("conf", "rotated-secret-AAAA-f14", "LOG", "info"), null);
        Map<String, Object> wanted = configMap(map("passwordFrom", "secret db-credentials", "LOG", "info"), null);
        String[] unmarked = DisplayYaml.pair(live, wanted);
        assertTrue(unmarked[0].contains("rotated-secret-AAAA-f14"), "the finding, without the recorded places:\n" + unmarked[0]);

        String[] pair = DisplayYaml.pair(live, wanted, List.of("/data/conf"));
        assertFalse(pair[0].contains("rotated-secret-AAAA-f14"), pair[0]);
        assertTrue(pair[0].contains("conf: <redacted>"), pair[0]);
        assertTrue(pair[1].contains("passwordFrom: secret db-credentials"), pair[1]);
        assertTrue(pair[0].contains("LOG: info"), "the other values stay readable:\n" + pair[0]);
    }

    @Test
    void onlyThePlacesAreHiddenAnImageBumpStillShowsFromWhichVersion() {
        Map<String, Object> live = deployment("reg/api:1.4.2", "old-db-password-f5");
        Map<String, Object> wanted = deployment("reg/api:1.5.0", "new-db-password-f5");
        String[] pair = DisplayYaml.pair(live, wanted, List.of("/spec/template/spec/containers/0/env/0/value"));
        assertTrue(pair[0].contains("image: reg/api:1.4.2"), pair[0]);
        assertFalse(pair[0].contains("old-db-password-f5"), pair[0]);
    }

    @Test
    void aPlaceInTheMetadataIsHiddenAndAPrunedObjectsToo() {
        Map<String, Object> live = configMap(map("a", "b"), map("example.com/webhook-token", "s3cr3t-vault-token-OLD-f4"));
        String[] pruned = DisplayYaml.pair(live, null, List.of("/metadata/annotations/example.com~1webhook-token"));
        assertFalse(pruned[0].contains("s3cr3t-vault-token-OLD-f4"), pruned[0]);
        assertTrue(pruned[0].contains("example.com/webhook-token: <redacted>"), pruned[0]);
    }

    @Test
    void aPlaceWhoseLiveValueIsWhatIsWantedShowsIt() {
        Map<String, Object> live = configMap(map("conf", "same-on-both-sides"), null);
        String[] pair = DisplayYaml.pair(live, configMap(map("conf", "same-on-both-sides", "x", "y"), null), List.of("/data/conf"));
        assertEquals(pair[0].contains("same-on-both-sides"), pair[1].contains("same-on-both-sides"));
    }

    @Test
    void aKeyThatWasTheSecretHidesItsWholeMap() {
        Map<String, Object> live = configMap(map("key-was-secret-f14", "on"), null);
        String[] pair = DisplayYaml.pair(live, configMap(map(), null), List.of("/data"));
        assertFalse(pair[0].contains("key-was-secret-f14"), pair[0]);
    }

    @Test
    void thePlacesSurviveTheInventoryEntry() {
        List<String> places = List.of("/data/app.ini", "/metadata/annotations/example.com~1t", "/data/we\"ird\\key\n");
        Inventory.Entry entry = new Inventory.Entry("v1", "dm-a", "h", "f").withSecretPaths(places);
        assertEquals(places, entry.secretPaths());
        assertEquals(SecretPaths.encode(places), entry.extra().get(Inventory.SECRET_PATHS));
        assertEquals(Map.of(), entry.withSecretPaths(List.of()).extra(), "no places: no attribute");
        assertEquals(entry, entry.withSecretPaths(places));
        assertEquals(List.of(), new Inventory.Entry("v1", "", "h", "f").secretPaths());
        assertEquals(List.of(), SecretPaths.decode("not json"), "a damaged attribute hides nothing it cannot name");
    }

    private static Map<String, Object> deployment(String image, String password) {
        Map<String, Object> container = map("name", "api", "image", image, "env",
                new ArrayList<>(List.of(map("name", "DB_PASSWORD", "value", password))));
        return map("apiVersion", "apps/v1", "kind", "Deployment", "metadata", map("name", "api", "namespace", "dm-a"),
                "spec", map("replicas", 2, "template", map("spec", map("containers", new ArrayList<>(List.of(container))))));
    }
}

package dev.dmreconciler.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 9 item 6: no unsalted digest of a Secret's body in its annotation (nor, therefore, in the inventory). */
class StampSecretHashTest {

    private static final byte[] KEY_A = "a-cluster-key-of-thirty-two-byte".getBytes();
    private static final byte[] KEY_B = "another-cluster-key-of-32-bytes!".getBytes();

    private static RenderedObject object(String kind, String password) {
        Map<String, Object> metadata = new LinkedHashMap<>(Map.of("name", "creds", "namespace", "dm-a"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", "v1");
        body.put("kind", kind);
        body.put("metadata", metadata);
        body.put("stringData", new LinkedHashMap<>(Map.of("password", password)));
        return new RenderedObject(new ObjectKey("", kind, "dm-a", "creds"), body, "app", "t.ftl", "dm-a");
    }

    @Test
    void aSecretsHashIsKeyedAndNotThePlainDigest() {
        Map<String, Object> withA = Stamp.stamp(object("Secret", "hunter2"), "env", "c", () -> KEY_A);
        Map<String, Object> withB = Stamp.stamp(object("Secret", "hunter2"), "env", "c", () -> KEY_B);
        String plain = Stamp.hash(withA);
        assertNotEquals(plain, Stamp.hashOf(withA), "a word list must not recover the password from the annotation");
        assertNotEquals(Stamp.hashOf(withA), Stamp.hashOf(withB), "the key decides the hash");
        assertEquals(Stamp.hashOf(withA), Stamp.hashOf(Stamp.stamp(object("Secret", "hunter2"), "env", "c", () -> KEY_A)),
                "the same key gives the same hash, so an unchanged Secret is recognised without a write");
        assertNotEquals(Stamp.hashOf(withA), Stamp.hashOf(Stamp.stamp(object("Secret", "hunter3"), "env", "c", () -> KEY_A)),
                "a changed value changes the hash");
        assertEquals(32, Stamp.hashOf(withA).length());
    }

    @Test
    void otherObjectsKeepThePlainDigestAndNeverAskForTheKey() {
        Map<String, Object> config = Stamp.stamp(object("ConfigMap", "x"), "env", "c", () -> {
            throw new AssertionError("the key is read only for Secrets");
        });
        assertEquals(Stamp.hash(config), Stamp.hashOf(config));
    }

    @Test
    void withoutTheClusterKeyASecretStillGetsNoPlainDigest() {
        Map<String, Object> secret = Stamp.stamp(object("Secret", "hunter2"), "env", "c");
        assertNotEquals(Stamp.hash(secret), Stamp.hashOf(secret));
    }
}

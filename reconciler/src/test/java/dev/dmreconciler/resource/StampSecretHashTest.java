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

    /** A secret value in a ConfigMap (a vault value a template put there) gets the same protection (review S11-F8). */
    @Test
    void anObjectHoldingARegisteredSecretValueIsHashedWithTheKeyToo() {
        dev.dmreconciler.secrets.Redactor.global().add("stamp-summer2026!");
        Map<String, Object> holding = Stamp.stamp(object("ConfigMap", "stamp-summer2026!"), "env", "c", () -> KEY_A);
        assertNotEquals(Stamp.hash(holding), Stamp.hashOf(holding), "no plain digest of a body holding a secret");
        assertEquals(Stamp.hashOf(holding), Stamp.hashOf(Stamp.stamp(object("ConfigMap", "stamp-summer2026!"), "env", "c",
                () -> KEY_A)), "stable");
        Map<String, Object> plain = Stamp.stamp(object("ConfigMap", "no-secret-here"), "env", "c", () -> {
            throw new AssertionError("the key is not needed for an object without secrets");
        });
        assertEquals(Stamp.hash(plain), Stamp.hashOf(plain));
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

package dev.dmreconciler.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.secrets.SecretValues;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link Stamp#takeKeyedStamp}, whole table: an operator-scope object one environment stamps plain takes the live
 * hash when it is the cluster key's HMAC of exactly its desired text (another environment of the cluster holds a
 * secret in it); nothing else is taken, and the environment that holds the secret never accepts a plain digest.
 */
class StampKeyedSharedTest {

    private static final byte[] KEY = "a-cluster-key-of-thirty-two-byte".getBytes(StandardCharsets.UTF_8);
    private static final String VALUE = "operator-shared-value-77";
    private static final Supplier<byte[]> NO_KEY = () -> {
        throw new AssertionError("the key is asked only when the hashes differ");
    };

    private static RenderedObject object(String kind, String value, String dmNamespace) {
        Map<String, Object> metadata = new LinkedHashMap<>(Map.of("name", "shared", "namespace", "op"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", "v1");
        body.put("kind", kind);
        body.put("metadata", metadata);
        body.put(kind.equals("Secret") ? "stringData" : "data", new LinkedHashMap<>(Map.of("conf", value)));
        return new RenderedObject(ObjectKey.of(body), body, "app", "t.ftl", dmNamespace);
    }

    private static Map<String, Object> stamped(RenderedObject object, SecretValues secrets) {
        return Stamp.stamped(object, "env", "cluster", () -> KEY, secrets).body();
    }

    private static SecretValues secret(String value) {
        SecretValues.Collector collector = new SecretValues.Collector();
        collector.add(value);
        return collector.build();
    }

    @Test
    void thePlainSideTakesTheKeyedStampOfItsOwnText() {
        RenderedObject shared = object("ConfigMap", VALUE, null);
        String keyed = Stamp.hashOf(stamped(shared, secret(VALUE))); // as the environment holding the secret stamps it
        Map<String, Object> plain = stamped(shared, SecretValues.NONE);
        assertNotEquals(keyed, Stamp.hashOf(plain));
        assertTrue(Stamp.takeKeyedStamp(plain, keyed, () -> KEY));
        assertEquals(keyed, Stamp.hashOf(plain));
        assertEquals(keyed, Stamp.keyedHash(plain, KEY), "still a true stamp of the same text");
    }

    @Test
    void nothingElseIsTaken() {
        RenderedObject shared = object("ConfigMap", VALUE, null);
        Map<String, Object> plain = stamped(shared, SecretValues.NONE);
        String plainHash = Stamp.hashOf(plain);
        String otherText = Stamp.hashOf(stamped(object("ConfigMap", VALUE + "-old", null), secret(VALUE + "-old")));
        String keyed = Stamp.hashOf(stamped(shared, secret(VALUE)));

        assertFalse(Stamp.takeKeyedStamp(plain, plainHash, NO_KEY), "the same hash: nothing to take");
        assertFalse(Stamp.takeKeyedStamp(plain, null, NO_KEY), "no live hash");
        assertFalse(Stamp.takeKeyedStamp(plain, otherText, () -> KEY), "keyed, but of another text: a real change");
        assertFalse(Stamp.takeKeyedStamp(plain, keyed, () -> null), "no key in the cluster");
        assertFalse(Stamp.takeKeyedStamp(plain, keyed, () -> "another-key-another-key-another-k".getBytes(
                StandardCharsets.UTF_8)), "another cluster's key");
        assertEquals(plainHash, Stamp.hashOf(plain), "the stamp is unchanged");

        RenderedObject namespaced = object("ConfigMap", VALUE, "dm-a");
        Map<String, Object> namespacedPlain = stamped(namespaced, SecretValues.NONE);
        assertFalse(Stamp.takeKeyedStamp(namespacedPlain, Stamp.hashOf(stamped(namespaced, secret(VALUE))), NO_KEY),
                "only operator-scope objects are shared between environments");

        Map<String, Object> secretSide = stamped(shared, secret(VALUE));
        assertFalse(Stamp.takeKeyedStamp(secretSide, Stamp.hash(secretSide), NO_KEY),
                "the side holding the secret never accepts a plain digest (an older release's would stay for ever)");
        assertEquals(keyed, Stamp.hashOf(secretSide));

        RenderedObject secretObject = object("Secret", VALUE, null);
        Map<String, Object> secretStamp = stamped(secretObject, SecretValues.NONE);
        assertFalse(Stamp.takeKeyedStamp(secretStamp, Stamp.hash(secretStamp), NO_KEY), "a Secret is always keyed");
    }
}

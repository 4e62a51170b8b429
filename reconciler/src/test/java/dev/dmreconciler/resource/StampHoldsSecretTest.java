package dev.dmreconciler.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.dmreconciler.secrets.Redactor;
import dev.dmreconciler.secrets.SecretValues;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The hash decision, whole table (reviews S11-F8, S11B-F1): an object is hashed with the cluster's key when it is a
 * Secret or holds one of ITS environment's secret values, in any form a template may print it; its places are
 * recorded (paths, never values). A value only another environment read (the process-wide redactor holds it in
 * {@code run}) changes nothing: neither the hash nor the places. An environment without secrets hashes exactly as
 * before, and never asks for the key.
 */
class StampHoldsSecretTest {

    private static final byte[] KEY = "a-cluster-key-of-thirty-two-byte".getBytes(StandardCharsets.UTF_8);
    private static final String VAULT = "summer2026!-holds";
    private static final Supplier<byte[]> NO_KEY = () -> {
        throw new AssertionError("the key is not needed for an object without secrets");
    };

    private static SecretValues secrets(String... values) {
        SecretValues.Collector collector = new SecretValues.Collector();
        for (String value : values) {
            collector.add(value);
        }
        return collector.build();
    }

    private static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static RenderedObject configMap(Map<String, Object> data, Map<String, Object> annotations) {
        Map<String, Object> metadata = map("name", "app-config", "namespace", "dm-a");
        if (annotations != null) {
            metadata.put("annotations", annotations);
        }
        Map<String, Object> body = map("apiVersion", "v1", "kind", "ConfigMap", "metadata", metadata, "data", data);
        return new RenderedObject(ObjectKey.of(body), body, "app", "t.ftl", "dm-a");
    }

    private static RenderedObject deployment(String envValue, String image) {
        Map<String, Object> container = map("name", "api", "image", image, "env",
                new ArrayList<>(List.of(map("name", "LOG", "value", "info"), map("name", "DB_PASSWORD", "value", envValue))));
        Map<String, Object> body = map("apiVersion", "apps/v1", "kind", "Deployment",
                "metadata", map("name", "api", "namespace", "dm-a"),
                "spec", map("template", map("spec", map("containers", new ArrayList<>(List.of(container))))));
        return new RenderedObject(ObjectKey.of(body), body, "app", "t.ftl", "dm-a");
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
                .substring(0, 32);
    }

    static List<Object[]> table() {
        String b64 = Base64.getEncoder().encodeToString(VAULT.getBytes(StandardCharsets.UTF_8));
        return List.of(
                // what the object holds, the environment's values, keyed?, the places recorded
                new Object[] {"a value as it is", configMap(map("password", VAULT), null), secrets(VAULT), true,
                        List.of("/data/password")},
                new Object[] {"inside a longer string (an INI file)", configMap(map("app.ini", "[db]\npassword = " + VAULT + "\n"),
                        null), secrets(VAULT), true, List.of("/data/app.ini")},
                new Object[] {"its base64", configMap(map("token", b64), null), secrets(VAULT), true, List.of("/data/token")},
                new Object[] {"with quotes and a backslash (canonical text escapes them)",
                        configMap(map("x", "pre-a\"b\\c-secret-post"), null), secrets("a\"b\\c-secret"), true, List.of("/data/x")},
                new Object[] {"as a key: the map is the place (the path names no key)",
                        configMap(map(VAULT, "on"), null), secrets(VAULT), true, List.of("/data")},
                new Object[] {"in an annotation (key with a slash)", configMap(map("a", "b"), map("example.com/token", VAULT)),
                        secrets(VAULT), true, List.of("/metadata/annotations/example.com~1token")},
                new Object[] {"in an env var of a list", deployment(VAULT, "reg/api:1.4.2"), secrets(VAULT), true,
                        List.of("/spec/template/spec/containers/0/env/1/value")},
                new Object[] {"a number value", configMap(map("port", 8080123), null), secrets("8080123"), true,
                        List.of("/data/port")},
                new Object[] {"nothing of the environment's", configMap(map("password", "nothing-secret"), null), secrets(VAULT),
                        false, List.of()},
                new Object[] {"the value split over two strings", configMap(map("a", "summer2026", "b", "!-holds"), null),
                        secrets(VAULT), false, List.of()},
                new Object[] {"an environment without secrets", configMap(map("password", VAULT), null), SecretValues.NONE,
                        false, List.of()},
                new Object[] {"a value shorter than 6 characters is not a secret", configMap(map("tls", "yes"), null),
                        secrets("yes"), false, List.of()});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void keyedExactlyWhenItHoldsOneOfItsEnvironmentsValues(String what, RenderedObject object, SecretValues values,
                                                          boolean keyed, List<String> places) throws Exception {
        Stamp.Stamped stamped = Stamp.stamped(object, "env", "c", keyed ? () -> KEY : NO_KEY, values);
        String plain = sha256(Stamp.canonical(stamped.body()));
        assertEquals(places, stamped.secretPaths(), what);
        if (keyed) {
            assertNotEquals(plain, Stamp.hashOf(stamped.body()), "no word-list oracle in the annotation or inventory: " + what);
            assertEquals(Stamp.keyedHash(stamped.body(), KEY), Stamp.hashOf(stamped.body()), what);
        } else {
            assertEquals(plain, Stamp.hashOf(stamped.body()), what);
        }
    }

    @Test
    void anotherEnvironmentsValueInTheProcessChangesNothing() {
        Redactor.global().add("postgres-holds-other-env"); // read by run for another environment
        RenderedObject object = configMap(map("DB_HOST", "postgres-holds-other-env.svc"), null);
        Stamp.Stamped inRun = Stamp.stamped(object, "team-a", "c", NO_KEY, SecretValues.NONE);
        Stamp.Stamped alone = Stamp.stamped(object, "team-a", "c", NO_KEY, SecretValues.NONE);
        assertEquals(List.of(), inRun.secretPaths(), "no mark: that would tell team-a a guess of team-b's secret");
        assertEquals(Stamp.hashOf(alone.body()), Stamp.hashOf(inRun.body()), "no flip between apply --env and run");
        assertEquals(Stamp.hash(inRun.body()), Stamp.hashOf(inRun.body()));
    }

    @Test
    void withoutSecretsTheHashIsTheOneEveryLiveObjectAlreadyCarries() {
        RenderedObject object = deployment("plain-value", "reg/api:1.4.2");
        Map<String, Object> legacy = Stamp.stamp(object, "env", "c", NO_KEY);
        Stamp.Stamped now = Stamp.stamped(object, "env", "c", NO_KEY, secrets("unrelated-secret-value"));
        assertEquals(Stamp.hash(legacy), Stamp.hashOf(legacy));
        assertEquals(Stamp.hashOf(legacy), Stamp.hashOf(now.body()), "no mass re-apply on upgrade");
        assertEquals(legacy, now.body());
    }

    @Test
    void aSecretIsKeyedAlwaysAndItsDataIsNoPlace() {
        Map<String, Object> body = map("apiVersion", "v1", "kind", "Secret", "metadata", map("name", "s", "namespace", "dm-a"),
                "stringData", map("password", VAULT));
        RenderedObject secret = new RenderedObject(ObjectKey.of(body), body, "app", "t.ftl", "dm-a");
        Stamp.Stamped stamped = Stamp.stamped(secret, "env", "c", () -> KEY, secrets(VAULT));
        assertEquals(List.of(), stamped.secretPaths(), "every value of data/stringData is hidden anyway");
        assertEquals(Stamp.keyedHash(stamped.body(), KEY), Stamp.hashOf(stamped.body()));
        assertEquals(Stamp.hashOf(stamped.body()), Stamp.hashOf(Stamp.stamp(secret, "env", "c", () -> KEY)),
                "a Secret's hash does not depend on the environment's values");
    }
}

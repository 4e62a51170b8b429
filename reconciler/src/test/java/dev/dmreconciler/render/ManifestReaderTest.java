package dev.dmreconciler.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.secrets.Redactor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a rendered document must be before anything uses it: names and namespaces the API server would accept (they
 * also become paths: URLs, {@code render --out} files; review S11-F6), string keys only (review S11-F7), and an
 * error about invalid YAML that quotes the rendered line only when it holds no secret (review S11-F1).
 */
class ManifestReaderTest {

    private static String error(String yaml) {
        return assertThrows(ManifestReader.BadManifest.class, () -> ManifestReader.read(yaml)).getMessage();
    }

    @Test
    void aNameOrNamespaceThatWouldBeAPathIsRefused() {
        String cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s, namespace: %s}\n";
        assertEquals(1, ManifestReader.read(cm.formatted("a.b-c", "apps-1")).size());
        assertEquals(1, ManifestReader.read("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
                + "metadata: {name: 'system:reader'}\n").size(), "a cluster object's name may hold ':'");
        assertEquals(1, ManifestReader.read("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
                + "metadata: {name: reader, namespace: ''}\n").size(), "an empty namespace is no namespace (Helm style)");
        for (String name : new String[] {"'..'", "'.'", "'a/b'", "'../../x'", "'a%2fb'"}) {
            assertTrue(error(cm.formatted(name, "apps")).contains("is not a valid object name"), name);
        }
        for (String namespace : new String[] {"'apps/../../../../tmp/x'", "'..'", "Apps", "'-a'", "'a_b'", "12", "'"
                + "a".repeat(64) + "'"}) {
            String message = error(cm.formatted("x", namespace));
            assertTrue(message.contains("is not a valid namespace name"), namespace + ": " + message);
        }
    }

    @Test
    void integerBooleanAndDateKeysAreReadAsKubectlReadsThem() {
        Map<String, Object> object = ManifestReader.read("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: tcp-services}
                data:
                  9000: "default/example-go:8080"
                  -12: minus
                  0x1F: hex
                  0X20: upper-hex
                  010: octal
                  0o17: go-octal
                  0b11: binary
                  1_000: underscores
                  yes: yaml11
                  n: go-bool
                  2024-01-05: date
                  1:20: base-sixty
                  '8080': quoted
                  "y": quoted-go-bool
                """).get(0);
        assertEquals(List.of("9000", "-12", "31", "32", "8", "15", "3", "1000", "true", "false", "2024-01-05",
                "1:20", "8080", "y"), List.copyOf(((Map<?, ?>) object.get("data")).keySet()));
    }

    @Test
    void aKeyThatIsStillNotAStringIsAnInputErrorNamingIt() {
        String message = error("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b, 1.5: tcp}\n");
        assertTrue(message.contains("(ConfigMap x): the key data.1.5 is not a string"), message);
        message = error("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n  - name: a\n    env: {~: x}\n");
        assertTrue(message.contains("the key spec.containers[0].env.null is not a string"), message);
        message = error("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {99999999999999999999: x}\n");
        assertTrue(message.contains("is not a string"), message);
    }

    @Test
    void twoKeysThatAreOneForKubectlAreADuplicate() {
        String message = error("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {8080: a, '8080': b}\n");
        assertTrue(message.contains("duplicate key 8080"), message);
        message = error("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {0x10: a, 16: b}\n");
        assertTrue(message.contains("duplicate key 16"), message);
    }

    @Test
    void mergedMappingsKeysToo() {
        Map<String, Object> object = ManifestReader.read("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: x}
                base: &base {80: http, 443: https}
                data:
                  <<: *base
                  8080: alt
                """).get(0);
        assertEquals(Map.of("80", "http", "443", "https", "8080", "alt"), object.get("data"));
        object = ManifestReader.read("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {Off: a, Y: b}\n").get(0);
        assertEquals(List.of("false", "true"), List.copyOf(((Map<?, ?>) object.get("data")).keySet()));
    }

    @Test
    void invalidYamlQuotesTheRenderedLineUnlessItHoldsASecret() {
        String plain = error("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: first\nsecond: mrt-line: x\n");
        assertTrue(plain.contains("(rendered line 6: `second: mrt-line: x`)"), plain);
        Redactor.global().add("mrt-first-line-secret\nsecond: mrt-secret: line");
        String secret = error("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: mrt-first-line-secret\n"
                + "second: mrt-secret: line\n");
        assertTrue(secret.contains("(rendered line 6)"), secret);
        assertFalse(secret.contains("mrt-secret"), secret);
    }
}

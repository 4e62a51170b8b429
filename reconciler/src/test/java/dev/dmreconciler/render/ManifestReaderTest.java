package dev.dmreconciler.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.secrets.Redactor;
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
    void aKeyYamlReadsAsANumberBooleanOrNullIsAnInputErrorNamingIt() {
        String message = error("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b, 8080: tcp}\n");
        assertTrue(message.contains("(ConfigMap x): the key data.8080 is not a string"), message);
        message = error("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n  - name: a\n    env: {~: x}\n");
        assertTrue(message.contains("the key spec.containers[0].env.null is not a string"), message);
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

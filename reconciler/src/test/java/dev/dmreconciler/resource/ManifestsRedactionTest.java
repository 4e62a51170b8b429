package dev.dmreconciler.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.diff.DisplayYaml;
import dev.dmreconciler.secrets.Redactor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A secret value this process read, placed in an object that is not a Secret (a vault value in a Deployment's env,
 * the usual mistake of a migrated playbook), is hidden in every printed form: YAML (a multi-line value is a literal
 * block, a tab forces double quotes, a quote single quotes), JSON, and both sides of a diff (review S11-F1). The
 * values are unique to this test: the redactor is the process's one.
 */
class ManifestsRedactionTest {

    private static final String MULTI = "-----BEGIN KEY-----\nmri-line-one-s11\nmri-line-two-s11\n-----END KEY-----\n";
    private static final String TAB = "mri-tab\tsecret-s11";
    private static final String QUOTE = "#mri-it's-secret-s11";
    private static final String ESCAPES = "mri-back\\slash\"secret-s11";
    private static final String EMBEDDED = "mri-embedded-secret-s11";

    static {
        for (String value : List.of(MULTI, TAB, QUOTE, ESCAPES, EMBEDDED)) {
            Redactor.global().add(value);
        }
    }

    private static Map<String, Object> deployment(String env1, String env2) {
        List<Object> env = new ArrayList<>();
        env.add(new LinkedHashMap<>(Map.of("name", "KEY", "value", env1)));
        env.add(new LinkedHashMap<>(Map.of("name", "TAB", "value", TAB)));
        env.add(new LinkedHashMap<>(Map.of("name", "QUOTE", "value", QUOTE)));
        env.add(new LinkedHashMap<>(Map.of("name", "ESCAPES", "value", ESCAPES)));
        env.add(new LinkedHashMap<>(Map.of("name", "URL", "value", env2)));
        Map<String, Object> container = new LinkedHashMap<>(Map.of("name", "app", "env", env));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", "apps/v1");
        body.put("kind", "Deployment");
        body.put("metadata", new LinkedHashMap<>(Map.of("name", "web", "namespace", "ns",
                "annotations", new LinkedHashMap<>(Map.of(EMBEDDED, "as a key")))));
        body.put("spec", new LinkedHashMap<>(Map.of("template", new LinkedHashMap<>(Map.of("spec",
                new LinkedHashMap<>(Map.of("containers", new ArrayList<>(List.of(container)))))))));
        return body;
    }

    private static void assertHidden(String text) {
        for (String leak : List.of("mri-line", "mri-tab", "mri-it", "mri-back", "mri-embedded", "secret-s11")) {
            assertFalse(text.contains(leak), () -> leak + " printed:\n" + text);
        }
    }

    @Test
    void aSecretInAnObjectThatIsNotASecretIsHiddenInYamlAndJson() {
        Map<String, Object> body = deployment(MULTI, "postgres://app:" + EMBEDDED + "@db/app");
        RenderedObject object = new RenderedObject(ObjectKey.of(body), body, "app", "deployment.yaml.ftl", "ns");
        String yaml = Manifests.toYaml(List.of(object));
        String json = Manifests.toJson(List.of(object));
        assertHidden(yaml);
        assertHidden(json);
        assertTrue(yaml.contains("value: postgres://app:<redacted>@db/app"), yaml);
        assertEquals(5, yaml.split("value: <redacted>", -1).length, "the four secret values:\n" + yaml);
        assertEquals(MULTI, ((Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>)
                body.get("spec")).get("template")).get("spec")).get("containers")).get(0)).get("env")).get(0)).get("value"),
                "the object itself is left as it is (it is what is applied)");
    }

    @Test
    void anObjectWithoutSecretsIsPrintedFromItselfWithoutACopy() {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("apiVersion", "v1", "kind", "ConfigMap", "data",
                new LinkedHashMap<>(Map.of("url", "postgres://db/app", "list", List.of("mri-not-a-secret")))));
        assertSame(body, Manifests.redacted(body));
    }

    @Test
    void aDiffHidesTheLiveValueWhereTheWantedOneIsASecret() {
        Map<String, Object> live = deployment("mri-previous-key-s11", "postgres://app:old-password@db/app");
        Map<String, Object> wanted = deployment(MULTI, "postgres://app:" + EMBEDDED + "@db/app");
        String[] pair = DisplayYaml.pair(live, wanted);
        assertHidden(pair[0] + pair[1]);
        assertFalse(pair[0].contains("mri-previous-key") || pair[0].contains("old-password"),
                "the live side's previous value at a secret's place:\n" + pair[0]);
        assertTrue(pair[1].contains(Manifests.REDACTED_CHANGED), "the wanted side says it changed:\n" + pair[1]);
    }
}

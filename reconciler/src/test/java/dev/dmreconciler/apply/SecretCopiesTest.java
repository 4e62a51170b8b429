package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.render.SecretCopyResolver;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.RenderedObject;
import dev.dmreconciler.secrets.Redactor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a copy is made of: only the source's type and data, stringData folded in, every value registered as secret. */
class SecretCopiesTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> placeholder() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", "aws");
        metadata.put("namespace", "team-a");
        metadata.put("annotations", new LinkedHashMap<>(Map.of(SecretCopyResolver.COPY_OF, "aws-system/aws-credentials")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", "v1");
        body.put("kind", "Secret");
        body.put("metadata", metadata);
        return body;
    }

    @Test
    void aCopyHasTheSourcesTypeAndDataAndNothingElseOfIt() {
        String value = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY-" + System.nanoTime();
        Map<String, Object> copy = SecretCopies.filled(placeholder(),
                new SecretCopies.Source("kubernetes.io/dockerconfigjson", Map.of("k", b64(value)), null, null));
        assertEquals("kubernetes.io/dockerconfigjson", copy.get("type"));
        assertEquals(Map.of("k", b64(value)), copy.get("data"));
        assertEquals(List.of("apiVersion", "kind", "metadata", "type", "data"), List.copyOf(copy.keySet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) copy.get("metadata");
        assertEquals(List.of("name", "namespace", "annotations"), List.copyOf(metadata.keySet()), "no owner references, labels of the source");
        assertTrue(Redactor.global().contains("x " + value + " y"), "the copied value is secret everywhere");
        assertTrue(Redactor.global().contains(b64(value)), "and its base64");
    }

    @Test
    void anUntypedSourceGivesAnOpaqueCopy() {
        Map<String, Object> copy = SecretCopies.filled(placeholder(), new SecretCopies.Source(null, Map.of(), null, null));
        assertEquals("Opaque", copy.get("type"));
        assertEquals(Map.of(), copy.get("data"));
    }

    @Test
    void aSourceOfTheEnvironmentsOwnDesiredStateIsTakenAsTheServerWillStoreIt() {
        Map<String, Object> desired = new LinkedHashMap<>(placeholder());
        desired.put("type", "Opaque");
        desired.put("data", Map.of("a", b64("from-data"), "b", b64("overridden")));
        desired.put("stringData", Map.of("b", "from-stringData-123", "c", "plain-text-456"));
        SecretCopies.Source source = SecretCopies.fromDesired(desired);
        assertEquals(Map.of("a", b64("from-data"), "b", b64("from-stringData-123"), "c", b64("plain-text-456")), source.data(),
                "stringData wins over data, as the API server merges it");
        assertEquals("Opaque", source.type());
    }

    @Test
    void onlySecretsCarryingTheMarkAreCopies() {
        Map<String, Object> configMap = placeholder();
        configMap.put("kind", "ConfigMap");
        assertTrue(SecretCopies.isCopy(new RenderedObject(ObjectKey.of(placeholder()), placeholder(), "web", "t", null)));
        assertFalse(SecretCopies.isCopy(new RenderedObject(ObjectKey.of(configMap), configMap, "web", "t", null)));
    }

    @Test
    void theSourcesOwnerDecidesWhereItMayBeCopied() {
        List<String> any = SecretCopies.allowedTo(Map.of(SecretCopies.COPY_TO, "*"));
        List<String> some = SecretCopies.allowedTo(Map.of(SecretCopies.COPY_TO, " cellxgene, team-* ,geo-?"));
        assertEquals(List.of("cellxgene", "team-*", "geo-?"), some);
        assertEquals(List.of(), SecretCopies.allowedTo(Map.of()));
        assertEquals(List.of(), SecretCopies.allowedTo(null));
        // {allowed, namespace, copied?}
        Object[][] table = {
            {null, "anywhere", true},            // a Secret of the environment's own desired state
            {any, "kube-system", true},
            {some, "cellxgene", true},
            {some, "team-a", true},
            {some, "geo-1", true},
            {some, "geo-12", false},
            {some, "cellxgene-portal", false},
            {List.of(), "cellxgene", false},     // no annotation: no copies
        };
        for (Object[] row : table) {
            @SuppressWarnings("unchecked")
            String refusal = SecretCopies.refusal("src/aws", (List<String>) row[0], (String) row[1]);
            assertEquals(row[2], refusal == null, java.util.Arrays.toString(row) + ": " + refusal);
        }
        assertEquals("source Secret src/aws does not allow copies (its owner lists the namespaces in its annotation "
                + "dm-reconciler.dev/copy-to, comma-separated, * for any)", SecretCopies.refusal("src/aws", List.of(), "cellxgene"));
        assertEquals("source Secret src/aws allows copies only to cellxgene, team-*, geo-? (dm-reconciler.dev/copy-to)",
                SecretCopies.refusal("src/aws", some, "other"));
    }
}

package dev.dmreconciler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.RenderedObject;
import dev.dmreconciler.resource.Stamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What run keeps of a render between passes: equal to it, in its key order, read-only, with shared strings. */
class CompactBodiesTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(String namespace) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", "data-manager");
        metadata.put("namespace", new String(namespace)); // a new instance each, as a parser makes them
        metadata.put("labels", new LinkedHashMap<>(Map.of("app.kubernetes.io/part-of", new String("data-manager"))));
        metadata.put("annotations", new LinkedHashMap<>());
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("verbs", new ArrayList<>(List.of("get", "list")));
        rule.put("resourceNames", new ArrayList<>(Arrays.asList("a", null)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "Role"); // not alphabetical: the template's order must stay
        body.put("apiVersion", "rbac.authorization.k8s.io/v1");
        body.put("metadata", metadata);
        body.put("rules", new ArrayList<>(List.of(rule)));
        body.put("replicas", 3);
        body.put("paused", false);
        body.put("empty", null);
        body.put("none", new ArrayList<>());
        return body;
    }

    private static RenderedObject object(String namespace) {
        return new RenderedObject(new ObjectKey("rbac.authorization.k8s.io", "Role", namespace, "data-manager"),
                body(namespace), "jupyter-operator", "rbac/jupyter-operator/dm-role.yaml.ftl", namespace);
    }

    private static DesiredState compact(RenderedObject... objects) {
        return CompactBodies.of(new DesiredState(null, List.of(objects), List.of("cellxgene")));
    }

    @Test
    void equalToTheRenderInTheTemplatesKeyOrderWithTheSameHash() throws Exception {
        RenderedObject original = object("dm-1");
        RenderedObject kept = compact(original).objects().get(0);
        assertEquals(original.body(), kept.body());
        assertEquals(kept.body(), original.body());
        assertEquals(original.body().hashCode(), kept.body().hashCode());
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.writeValueAsString(original.body()), json.writeValueAsString(kept.body()), "same order, same JSON");
        assertEquals(List.of("kind", "apiVersion", "metadata", "rules", "replicas", "paused", "empty", "none"),
                List.copyOf(kept.body().keySet()));
        assertEquals(Stamp.stamp(original, "env", "cluster", () -> null), Stamp.stamp(kept, "env", "cluster", () -> null),
                "a pass stamps and hashes it as the render");
        assertEquals(original.key(), kept.key());
        assertEquals(original.application(), kept.application());
        assertEquals(original.template(), kept.template());
        assertEquals(original.dmNamespace(), kept.dmNamespace());
    }

    @Test
    void lookupsNullsAndAbsentKeys() {
        Map<String, Object> kept = compact(object("dm-1")).objects().get(0).body();
        assertEquals("Role", kept.get("kind"));
        assertEquals(3, kept.get("replicas"));
        assertTrue(kept.containsKey("empty"));
        assertNull(kept.get("empty"));
        assertFalse(kept.containsKey("spec"));
        assertNull(kept.get("spec"));
        assertEquals(8, kept.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> rule = (Map<String, Object>) ((List<Object>) kept.get("rules")).get(0);
        assertEquals(Arrays.asList("a", null), rule.get("resourceNames"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void readOnlyAllTheWayDown() {
        Map<String, Object> kept = compact(object("dm-1")).objects().get(0).body();
        assertThrows(UnsupportedOperationException.class, () -> kept.put("kind", "ClusterRole"));
        assertThrows(UnsupportedOperationException.class, () -> kept.remove("kind"));
        Map<String, Object> metadata = (Map<String, Object>) kept.get("metadata");
        assertThrows(UnsupportedOperationException.class, () -> metadata.put("namespace", "other"));
        assertThrows(UnsupportedOperationException.class,
                () -> ((Map<String, Object>) metadata.get("labels")).put("x", "y"));
        assertThrows(UnsupportedOperationException.class,
                () -> ((Map<String, Object>) metadata.get("annotations")).put("x", "y"));
        List<Object> rules = (List<Object>) kept.get("rules");
        assertThrows(UnsupportedOperationException.class, () -> rules.set(0, Map.of()));
        assertThrows(UnsupportedOperationException.class, () -> rules.add(Map.of()));
        assertThrows(UnsupportedOperationException.class,
                () -> ((List<Object>) ((Map<String, Object>) rules.get(0)).get("verbs")).set(0, "delete"));
        assertThrows(UnsupportedOperationException.class, () -> ((List<Object>) kept.get("none")).add("x"));
        assertThrows(UnsupportedOperationException.class, () -> kept.entrySet().iterator().next().setValue("x"));
        // a pass's copy is its own to change
        Map<String, Object> copy = Stamp.deepCopy(kept);
        ((Map<String, Object>) copy.get("metadata")).put("namespace", "other");
        assertEquals("dm-1", metadata.get("namespace"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void equalStringsOfTheRenderAreOneInstanceAndTheRestIsKept() {
        DesiredState kept = compact(object("dm-1"), object("dm-2"), object("dm-1"));
        Map<String, Object> first = (Map<String, Object>) kept.objects().get(0).body().get("metadata");
        Map<String, Object> third = (Map<String, Object>) kept.objects().get(2).body().get("metadata");
        assertSame(first.get("namespace"), third.get("namespace"));
        assertSame(((Map<String, Object>) first.get("labels")).get("app.kubernetes.io/part-of"),
                ((Map<String, Object>) third.get("labels")).get("app.kubernetes.io/part-of"));
        assertEquals(3, kept.objects().size());
        assertEquals(List.of("cellxgene"), kept.absentApplications());
        assertEquals(List.of(), kept.preconditions());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBodyPartAlreadyReadOnlyIsSharedNotCopiedAgain() {
        // a render's memo hit shares everything below the top level and metadata with the memo (RenderMemo#hit)
        Map<String, Object> shared = compact(object("dm-1")).objects().get(0).body();
        Map<String, Object> body = new LinkedHashMap<>(shared);
        body.put("metadata", new LinkedHashMap<>((Map<String, Object>) shared.get("metadata")));
        RenderedObject hit = object("dm-1");
        Map<String, Object> kept = compact(new RenderedObject(hit.key(), body, hit.application(), hit.template(),
                hit.dmNamespace())).objects().get(0).body();
        assertEquals(shared, kept);
        assertSame(((List<Object>) shared.get("rules")).get(0), ((List<Object>) kept.get("rules")).get(0),
                "the shared read-only part is taken as it is");
        assertSame(((Map<String, Object>) shared.get("metadata")).get("labels"),
                ((Map<String, Object>) kept.get("metadata")).get("labels"));
    }
}

package dev.dmreconciler.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.RenderedObject;
import dev.dmreconciler.resource.Stamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What an unchanged object's change keeps of its stamped body ({@link Change#identityOf}): everything a pass reads
 * of an unchanged object (the hash for the inventory and the drift watch, the environment, lifecycle and adoption
 * marks), none of its content.
 */
class ChangeIdentityTest {

    private static Map<String, Object> stamped() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", "app");
        metadata.put("namespace", "dm-1");
        metadata.put("annotations", new LinkedHashMap<>(Map.of(Stamp.LIFECYCLE, "create-once")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", "apps/v1");
        body.put("kind", "Deployment");
        body.put("metadata", metadata);
        body.put("spec", new LinkedHashMap<>(Map.of("replicas", 2, "template", Map.of("spec", Map.of("containers", List.of())))));
        RenderedObject object = new RenderedObject(new ObjectKey("apps", "Deployment", "dm-1", "app"), body, "jupyter",
                "t.ftl", "dm-1");
        Map<String, Object> stamped = Stamp.stamp(object, "prod", "c");
        Stamp.markAdopted(stamped);
        return stamped;
    }

    @Test
    void keepsWhatAPassReadsOfAnUnchangedObject() {
        Map<String, Object> stamped = stamped();
        Map<String, Object> identity = Change.identityOf(stamped);
        assertEquals(Stamp.hashOf(stamped), Stamp.hashOf(identity), "the inventory and the drift watch record this hash");
        assertEquals("prod", Stamp.annotation(identity, Stamp.ENVIRONMENT));
        assertEquals("true", Stamp.annotation(identity, Stamp.ADOPTED));
        assertEquals(Lifecycle.of(stamped), Lifecycle.of(identity));
        assertTrue(Decisions.createdOnce(identity, new Inventory.Entry("apps/v1", "dm-1", Stamp.hashOf(stamped), "fp")));
        assertEquals("apps/v1", identity.get("apiVersion"));
        assertEquals("Deployment", identity.get("kind"));
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) identity.get("metadata");
        assertEquals("app", metadata.get("name"));
        assertEquals("dm-1", metadata.get("namespace"));
        assertEquals(Stamp.MANAGER, ((Map<?, ?>) metadata.get("labels")).get(Stamp.MANAGED_BY));
    }

    @Test
    void dropsTheContentAndCannotBeWrittenTo() {
        Map<String, Object> identity = Change.identityOf(stamped());
        assertFalse(identity.containsKey("spec"), "the content is what a pass of thousands of objects must not hold");
        assertEquals(3, identity.size());
        assertThrows(UnsupportedOperationException.class, () -> identity.put("spec", Map.of()));
    }
}

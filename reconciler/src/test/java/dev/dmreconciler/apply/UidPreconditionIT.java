package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.kube.RawApi;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the API server does with {@code metadata.uid} in a server-side apply body, which {@link ServerSideApply} relies
 * on to bind a write to the object the plan read: the same UID writes as without it and is not recorded in the managed
 * fields (so the fingerprint does not change); another object of that name is refused with 422 on
 * {@code metadata.uid} (when forced; unforced, a field conflict with its manager comes first), a missing object with
 * 409 "uid mismatch", and nothing is written. Both
 * refusals are recognised by {@link ServerSideApply#notThePlannedObject}, and an ordinary conflict is not.
 */
class UidPreconditionIT {

    private static RealApiServer server;
    private static KubernetesClient client;
    private static final String PATH = "/api/v1/namespaces/default/configmaps/uid-precondition?fieldManager=dm-reconciler";

    @BeforeAll
    static void start() {
        server = RealApiServer.start();
        client = server.client();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String body(String uid, String value) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"uid-precondition\",\"namespace\":\"default\""
                + (uid == null ? "" : ",\"uid\":\"" + uid + "\"") + "},\"data\":{\"k\":\"" + value + "\"}}";
    }

    private static void apply(String uid, String value, boolean force) {
        new RawApi(client).send("PATCH", PATH + (force ? "&force=true" : ""), ServerSideApply.APPLY_PATCH,
                body(uid, value).getBytes(StandardCharsets.UTF_8));
    }

    private static ConfigMap live() {
        return client.configMaps().inNamespace("default").withName("uid-precondition").get();
    }

    @Test
    void aWriteBoundToAUidReachesOnlyThatObject() {
        KubernetesClientException absent = assertThrows(KubernetesClientException.class,
                () -> apply("00000000-0000-0000-0000-000000000001", "a", true));
        assertEquals(409, absent.getCode(), absent.getMessage());
        assertTrue(ServerSideApply.notThePlannedObject(absent), absent.getMessage());
        assertEquals(null, live(), "nothing created");

        apply(null, "a", false);
        ConfigMap created = live();
        String fingerprint = created.getMetadata().getManagedFields().toString();
        apply(created.getMetadata().getUid(), "b", false);
        assertEquals("b", live().getData().get("k"), "the same UID: written");
        assertEquals(fingerprint.replaceAll("time=[^,]*", ""), live().getMetadata().getManagedFields().toString()
                .replaceAll("time=[^,]*", ""), "the UID is not a managed field: the fingerprint stays");

        client.configMaps().inNamespace("default").withName("uid-precondition").delete();
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("uid-precondition").endMetadata().addToData("k", "by hand").build()).create();
        // unforced, the field conflict with the hand-made object's manager is answered first (a 409 like any other);
        // forced (as ServerSideApply retries it), the UID
        KubernetesClientException unforced = assertThrows(KubernetesClientException.class,
                () -> apply(created.getMetadata().getUid(), "c", false));
        assertEquals(409, unforced.getCode(), unforced.getMessage());
        KubernetesClientException other = assertThrows(KubernetesClientException.class,
                () -> apply(created.getMetadata().getUid(), "c", true));
        assertEquals(422, other.getCode(), other.getMessage());
        assertTrue(ServerSideApply.notThePlannedObject(other), other.getMessage());
        assertEquals("by hand", live().getData().get("k"), "another object of that name: not written");

        KubernetesClientException conflict = assertThrows(KubernetesClientException.class, () -> apply(null, "d", false));
        assertEquals(409, conflict.getCode(), "an ordinary field conflict with the manager who made it");
        assertFalse(ServerSideApply.notThePlannedObject(conflict), conflict.getMessage());
    }
}

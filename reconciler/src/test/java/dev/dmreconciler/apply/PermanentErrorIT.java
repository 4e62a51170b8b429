package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.kube.ResourceTypes;
import dev.dmreconciler.plan.Outcome;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors that can never succeed on a retry are sent once and reported in one useful sentence (real API server;
 * requests counted): a Service port without {@code protocol} (a 500 from the server's typed patch) and a
 * changed Job template (422, immutable field).
 */
class PermanentErrorIT extends OnRealApiServer {

    @TempDir
    static Path dir;

    private static TestRepo repo(Path root, String image, String port) {
        return TestRepo.empty(root).write("templates/probe/bundle.yaml", """
                name: probe
                prefix: pr_
                namespaceVariable: pr_namespace
                stateVariable: pr_state
                templates:
                  - file: templates/probe/objects.yaml.ftl
                variables:
                  pr_state: {default: present}
                  pr_namespace: {default: perm}
                """).write("templates/probe/objects.yaml.ftl", """
                apiVersion: v1
                kind: Namespace
                metadata: {name: perm}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: perm}
                spec:
                  selector: {app: web}
                  ports:
                    - %s
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {name: once, namespace: perm}
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: main, image: "%s"}]
                """.formatted(port, image)).write("environments/env.yaml", "pr_state: present\n");
    }

    private static Result result(ApplyReport report, String kind) {
        return report.results().stream().filter(r -> r.change().key().kind().equals(kind)).findFirst().orElseThrow();
    }

    @Test
    void portWithoutProtocolAndImmutableJobTemplateAreTriedOnceWithAShortMessage() {
        ApplyReport first = harness.apply(repo(dir.resolve("a"), "busybox:1", "{port: 80, protocol: TCP}"), "env");
        assertTrue(first.succeeded(), first.toText());

        ApplyReport second = harness.apply(repo(dir.resolve("b"), "busybox:2", "{port: 80, protocol: TCP}\n    - {port: 81}"), "env");
        Result service = result(second, "Service");
        assertEquals(Outcome.FAILED, service.outcome(), second.toText());
        assertEquals("API error 500: .spec.ports: element 1: associative list with keys has an element that omits "
                + "key field \"protocol\"", service.message());
        Result job = result(second, "Job");
        assertEquals(Outcome.FAILED, job.outcome(), second.toText());
        assertEquals("cannot change immutable field spec.template; annotation dm-reconciler.dev/lifecycle: recreate "
                + "replaces the object", job.message());
        assertFalse(second.toText().contains("core.PodTemplateSpec"), second.toText());

        ServerSideApply apply = new ServerSideApply(harness.client(), new ResourceTypes(harness.client()), "dm-reconciler", false);
        for (Result failed : new Result[] {service, job}) {
            harness.counter.reset();
            KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> apply.apply(failed.change(), false));
            assertEquals(1, harness.counter.count("PATCH"), failed.change().key() + " (" + e.getCode() + "): "
                    + harness.counter.snapshot());
        }
    }
}

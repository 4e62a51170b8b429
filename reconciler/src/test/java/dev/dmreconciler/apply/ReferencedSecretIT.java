package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Secret that an environment-scope precondition references (kept outside git, e.g. a registry credential) fails
 * the whole environment before any write while it is missing: nothing applied in any of its namespaces, nothing
 * pruned, nothing created empty — counted on the real API server. One of instance scope fails only its instance.
 */
class ReferencedSecretIT extends OnRealApiServer {

    @TempDir
    static Path dir;

    /** Bundle "ref": a ConfigMap per namespace; an environment-scope Secret in rs-vault, an instance-scope one. */
    private static TestRepo repo(Path root, String value, boolean extra) {
        return repo(root, value, extra, "refs", "rs-a, rs-b");
    }

    private static TestRepo repo(Path root, String value, boolean extra, String environment, String namespaces) {
        return TestRepo.empty(root).write("templates/ref/bundle.yaml", """
                name: ref
                prefix: rf_
                namespaceVariable: rf_namespace
                preconditions:
                  - {apiVersion: v1, kind: Secret, name: registry, namespace: rs-vault, scope: environment}
                  - {apiVersion: v1, kind: Secret, name: "${rf_user_secret}", scope: instance}
                templates:
                  - file: templates/ref/cm.yaml.ftl
                    scope: namespace
                variables:
                  rf_namespace: {default: dm}
                  rf_value: {default: "1"}
                  rf_user_secret: {default: user}
                  rf_extra: {type: boolean, default: no}
                """).write("templates/ref/cm.yaml.ftl", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {value: "${rf_value}"}
                <#if rf_extra>
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: extra}
                data: {value: "${rf_value}"}
                </#if>
                """).write("environments/" + environment + ".yaml", """
                applications:
                  ref:
                    values: {rf_value: '%s', rf_extra: %s}
                    namespaces: [%s]
                """.formatted(value, extra, namespaces));
    }

    private static void secret(String namespace, String name) {
        client.secrets().resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withStringData(Map.of("k", "v")).build()).forceConflicts().serverSideApply();
    }

    private static void namespace(String name) {
        if (client.namespaces().withName(name).get() == null) {
            RealApiServer.createDataManagerNamespace(client, name);
        }
    }

    private static void noSecret(String namespace, String name) {
        client.secrets().inNamespace(namespace).withName(name).delete();
        await(() -> client.secrets().inNamespace(namespace).withName(name).get() == null);
    }

    private static String value(String namespace, String name) {
        var cm = client.configMaps().inNamespace(namespace).withName(name).get();
        return cm == null ? null : cm.getData().get("value");
    }

    @Test
    void aMissingEnvironmentSecretStopsEveryWriteAndEveryPruneOfTheEnvironment() {
        for (String ns : List.of("rs-vault", "rs-a", "rs-b")) {
            namespace(ns);
        }
        noSecret("rs-vault", "registry");
        secret("rs-a", "user");
        secret("rs-b", "user");

        // missing from the start: nothing at all is written
        SecretsUnavailable first = assertThrows(SecretsUnavailable.class, () -> harness.apply(repo(dir.resolve("r"), "1", true), "refs"));
        assertTrue(first.getMessage().contains("Secret rs-vault/registry does not exist"), first.getMessage());
        assertTrue(first.getMessage().contains("nothing of environment refs was applied or pruned"), first.getMessage());
        assertEquals(0, harness.counter.writes(), harness.counter.writeLog().toString());

        secret("rs-vault", "registry");
        assertTrue(harness.apply(repo(dir.resolve("r"), "1", true), "refs").succeeded());
        assertEquals("1", value("rs-a", "extra"));

        // the Secret goes; a commit changes a value and drops "extra" (a prune): neither happens
        client.secrets().inNamespace("rs-vault").withName("registry").delete();
        await(() -> client.secrets().inNamespace("rs-vault").withName("registry").get() == null);
        assertThrows(SecretsUnavailable.class, () -> harness.apply(repo(dir.resolve("r"), "2", false), "refs"));
        assertEquals(0, harness.counter.writes(), "no apply, no prune, no inventory or Lease write: " + harness.counter.writeLog());
        assertEquals("1", value("rs-a", "settings"));
        assertNotNull(value("rs-b", "extra"), "not pruned");

        // an unchanged environment needs no check (and costs no read of it)
        secret("rs-vault", "registry");
        assertTrue(harness.apply(repo(dir.resolve("r"), "2", false), "refs").succeeded());
        assertEquals("2", value("rs-b", "settings"));
        assertEquals(null, value("rs-b", "extra"), "pruned once the Secret is back");
        client.secrets().inNamespace("rs-vault").withName("registry").delete();
        await(() -> client.secrets().inNamespace("rs-vault").withName("registry").get() == null);
        assertTrue(harness.apply(repo(dir.resolve("r"), "2", false), "refs").succeeded(), "nothing to write: nothing to stop");
        assertEquals(0, harness.counter.writes());
    }

    @Test
    void aMissingInstanceSecretStopsOnlyItsInstance() {
        for (String ns : List.of("rs-vault", "rs-c", "rs-d")) {
            namespace(ns);
        }
        secret("rs-vault", "registry");
        secret("rs-c", "user"); // rs-d has none
        TestRepo repo = repo(dir.resolve("i"), "5", false, "inst", "rs-c, rs-d");
        ApplyReport report = harness.apply(repo, "inst");
        assertEquals("5", value("rs-c", "settings"));
        assertEquals(null, value("rs-d", "settings"));
        assertTrue(report.toText().contains("Secret rs-d/user does not exist"), report.toText());
    }

    @Test
    void aSecretTheEnvironmentMakesItselfIsNotRequiredBeforehand() {
        namespace("rs-own");
        namespace("rs-vault");
        noSecret("rs-vault", "registry");
        secret("rs-own", "user");
        TestRepo repo = repo(dir.resolve("own"), "7", false, "own", "rs-own")
                .write("secrets/registry.yaml", """
                        apiVersion: v1
                        kind: Secret
                        metadata: {name: registry}
                        stringData: {k: v}
                        """)
                .write("environments/own.yaml", """
                        manifests:
                          - {file: secrets/registry.yaml, namespace: rs-vault}
                        applications:
                          ref:
                            values: {rf_value: '7'}
                            namespaces: [rs-own]
                        """);
        ApplyReport first = harness.apply(repo, "own");
        assertNotNull(client.secrets().inNamespace("rs-vault").withName("registry").get(), "the manifest's Secret, applied");
        assertTrue(first.succeeded() || "7".equals(value("rs-own", "settings")), first.toText());
        ApplyReport second = harness.apply(repo, "own");
        assertTrue(second.succeeded(), "converges: " + second.toText());
        assertEquals("7", value("rs-own", "settings"));
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long end = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

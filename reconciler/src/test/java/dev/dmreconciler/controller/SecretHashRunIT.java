package dev.dmreconciler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.apply.ApplyOptions;
import dev.dmreconciler.apply.ApplyPass;
import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.inventory.InventoryStore;
import dev.dmreconciler.kube.RequestCounter;
import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.plan.Wanted;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.render.Renderer;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.RenderedObject;
import dev.dmreconciler.resource.Stamp;
import dev.dmreconciler.secrets.AnsibleVault;
import dev.dmreconciler.secrets.Fixtures;
import dev.dmreconciler.secrets.Redactor;
import dev.dmreconciler.secrets.SecretKeys;
import dev.dmreconciler.source.GitAuth;
import dev.dmreconciler.status.Metrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review S11B-F1 on a real API server: two environments of one cluster, {@code team-b} with a vault value in its
 * ConfigMap, {@code team-a} without secrets but with team-b's value as a plain substring of its own ConfigMap (what an
 * oracle probe puts there). Whether an object holds a secret is decided by its own environment's values only, so
 * team-a's ConfigMap is never keyed nor marked, whether team-a is applied alone ({@code apply --env team-a}) or in
 * {@code run} next to team-b (whose value the process then holds); team-b's is keyed and its place recorded in both.
 * Alternating one-shot applies and {@code run} writes nothing (requests counted).
 */
class SecretHashRunIT {

    private static final PersonIdent AUTHOR = new PersonIdent("Test", "test@example.org");
    private static final String VALUE = "postgres-team-b-vault-s11b";
    /** The shared fixtures' vault password (../shared/secret-fixtures/ansible-vault/vault-password.txt). */
    private static final String PASSWORD = Fixtures.read("ansible-vault/vault-password.txt").strip();
    private static final ObjectKey A_CONFIG = new ObjectKey("", "ConfigMap", "dm-team-a", "app-config");
    private static final ObjectKey B_CONFIG = new ObjectKey("", "ConfigMap", "dm-team-b", "app-config");
    private static RealApiServer server;
    private static KubernetesClient admin;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        server = RealApiServer.start();
        admin = server.client();
    }

    @AfterAll
    static void stop() {
        SecretKeys.install(SecretKeys.NONE);
        server.close();
    }

    private static String inlineVault(String key, String value) {
        StringBuilder out = new StringBuilder(key).append(": !vault |\n");
        AnsibleVault.encrypt(value.getBytes(StandardCharsets.UTF_8), PASSWORD.toCharArray()).lines()
                .forEach(line -> out.append("  ").append(line).append('\n'));
        return out.toString();
    }

    /** {@code apply --env NAME} as the CLI does it (the cluster's other environments rendered, never pruned). */
    private static List<String> applyOneShot(TestRepo repo, String name) {
        RequestCounter counter = new RequestCounter();
        try (KubernetesClient client = server.client(counter)) {
            ConfigRepo config = repo.open();
            DesiredState desired = Renderer.renderNamed(config, name);
            Wanted elsewhere = Wanted.elsewhere(config, desired.environment());
            counter.reset();
            new ApplyPass(client, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler").run(desired, null, () -> true,
                    elsewhere);
            return counter.writeLog();
        }
    }

    private static String liveHash(ObjectKey key) {
        return admin.configMaps().inNamespace(key.namespace()).withName(key.name()).get().getMetadata().getAnnotations()
                .get(Stamp.HASH);
    }

    private static Inventory.Entry entry(String environment, ObjectKey key) {
        Map<String, Inventory> all = new InventoryStore(admin, "dm-reconciler", ApplyOptions.defaults().fieldManager())
                .loadAll("vaultapp");
        return all.get(environment).entries().get(key);
    }

    /** An environment's ConfigMap stamped as if it held no secret: the plain SHA-256 of its canonical text. */
    private static String plainHash(TestRepo repo, String environment, ObjectKey key) {
        DesiredState desired = Renderer.renderNamed(repo.open(), environment);
        RenderedObject object = desired.objects().stream().filter(o -> o.key().equals(key)).findFirst().orElseThrow();
        return Stamp.hash(Stamp.stamp(object, environment, "it", () -> {
            throw new AssertionError("no key for an object without secrets");
        }));
    }

    private void assertDecided(TestRepo repo, String when) {
        assertEquals(plainHash(repo, "team-a", A_CONFIG), liveHash(A_CONFIG), "team-a's ConfigMap keeps the plain digest " + when);
        assertEquals(List.of(), entry("team-a", A_CONFIG).secretPaths(), "and no place is recorded " + when);
        assertEquals(Set.of(Stamp.ENVIRONMENT, Stamp.HASH), admin.configMaps().inNamespace("dm-team-a").withName("app-config")
                .get().getMetadata().getAnnotations().keySet(), "no mark on team-a's object " + when);
        assertEquals(List.of("/data/conf"), entry("team-b", B_CONFIG).secretPaths(), when);
        assertEquals(entry("team-b", B_CONFIG).hash(), liveHash(B_CONFIG));
        assertNotEquals(plainHash(repo, "team-b", B_CONFIG), liveHash(B_CONFIG), "team-b's is keyed " + when);
    }

    @Test
    void anotherEnvironmentsSecretNeitherMarksNorRehashesAndNothingFlips() throws Exception {
        SecretKeys.install(Fixtures.keys());
        RealApiServer.createDataManagerNamespace(admin, "dm-team-a");
        RealApiServer.createDataManagerNamespace(admin, "dm-team-b");
        Path bare = dir.resolve("remote.git");
        TestRepo work = TestRepo.empty(dir.resolve("work")).write("templates/vaultapp/bundle.yaml", """
                        name: vaultapp
                        prefix: va_
                        namespaceVariable: va_namespace
                        templates:
                          - {file: templates/vaultapp/cm.yaml.ftl, scope: namespace}
                        variables:
                          va_namespace: {default: SetMe}
                          va_conf: {default: none}
                          va_host: {default: db}
                        """)
                .write("templates/vaultapp/cm.yaml.ftl", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: app-config}
                        data:
                          conf: "${va_conf}"
                          DB_HOST: "${va_host}"
                        """)
                .write("environments/team-a.yaml", """
                        cluster: it
                        applications:
                          vaultapp:
                            values: {va_host: %s.svc, va_conf: plain-conf}
                            namespaces: [dm-team-a]
                        """.formatted(VALUE))
                .write("environments/team-b.yaml", """
                        cluster: it
                        applications:
                          vaultapp:
                            values:
                              va_host: db.team-b
                        %s    namespaces: [dm-team-b]
                        """.formatted(inlineVault("va_conf", VALUE).indent(6)));

        // one-shot, team-a first: the process has not read team-b's value yet (apply --env team-a renders the
        // cluster's other environments too, so from here on it has)
        applyOneShot(work, "team-a");
        applyOneShot(work, "team-b");
        assertTrue(Redactor.global().contains(VALUE), "the process holds team-b's value (for output redaction)");
        assertDecided(work, "after apply --env");
        assertEquals(List.of(), applyOneShot(work, "team-a"), "apply --env team-a again: nothing written");

        // run: both environments in one process
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        RequestCounter counter = new RequestCounter();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (Git git = Git.init().setDirectory(work.root().toFile()).setInitialBranch("main").call()) {
            git.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish(bare.toUri().toString())).call();
            git.add().addFilepattern(".").call();
            git.commit().setMessage("two teams").setAuthor(AUTHOR).setCommitter(AUTHOR).call();
            git.push().setRemote("origin").add("main").call();
        }
        Controller.Settings settings = new Controller.Settings(bare.toString(), "branch", "main", Set.of(), "it",
                Duration.ofSeconds(1), Duration.ofSeconds(2), ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler",
                false, "dm-reconciler", "dm-reconciler-hash-run-it", "s", dir.resolve("cache"), GitAuth.NONE);
        try (Controller controller = new Controller(settings, server.client(counter), new Metrics(),
                new Log(new PrintStream(log, true, StandardCharsets.UTF_8)))) {
            controller.start();
            for (String env : List.of("team-a", "team-b")) {
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (!succeeded(controller, env)) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError(env + " not applied by run: " + controller.status() + "\n" + log);
                    }
                    Thread.sleep(50);
                }
            }
            Thread.sleep(4_500); // two more resyncs
        }
        List<String> writes = counter.writeLog().stream().filter(w -> w.contains("/namespaces/dm-team-")
                || w.contains("inventory.team-")).toList();
        assertEquals(List.of(), writes, "run rewrites neither team's objects nor inventories: " + counter.writeLog());
        assertDecided(work, "after run");

        // and back to one-shot applies: nothing flips
        assertEquals(List.of(), applyOneShot(work, "team-a"), "apply --env team-a after run");
        assertEquals(List.of(), applyOneShot(work, "team-b"), "apply --env team-b after run");
        assertDecided(work, "after apply --env again");
    }

    @SuppressWarnings("unchecked")
    private static boolean succeeded(Controller controller, String environment) {
        Map<String, Object> environments = (Map<String, Object>) controller.status().get("environments");
        Object status = environments == null ? null : environments.get(environment);
        return status instanceof Map<?, ?> map && map.get("lastSuccess") != null;
    }
}

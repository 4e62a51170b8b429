package dev.dmreconciler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.apply.ApplyOptions;
import dev.dmreconciler.apply.ApplyPass;
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
 * An operator-scope object two environments of one cluster share, holding a value {@code team-b} reads from a vault
 * and {@code team-a} has in plain text: team-b stamps it keyed, team-a plain, and before {@code Stamp.takeKeyedStamp}
 * they rewrote it in turn, every pass. Now team-a takes a live hash that is the cluster key's HMAC of its own desired
 * text: the object settles keyed whichever environment writes first, and one-shot applies and {@code run} write
 * nothing more (requests counted on a real API server).
 */
class SharedSecretHashIT {

    private static final PersonIdent AUTHOR = new PersonIdent("Test", "test@example.org");
    private static final String VALUE = "shared-operator-vault-value-9x";
    private static final String PASSWORD = Fixtures.read("ansible-vault/vault-password.txt").strip();
    private static final ObjectKey SHARED = new ObjectKey("", "ConfigMap", "va-shared", "shared-config");
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

    private static List<String> applyOneShot(TestRepo repo, String name) {
        RequestCounter counter = new RequestCounter();
        try (KubernetesClient client = server.client(counter)) {
            ConfigRepo config = repo.open();
            DesiredState desired = Renderer.renderNamed(config, name);
            Wanted elsewhere = Wanted.elsewhere(config, desired.environment());
            counter.reset();
            new ApplyPass(client, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler").run(desired, null, () -> true,
                    elsewhere);
            return counter.writeLog().stream().filter(w -> w.contains("/namespaces/va-shared/")).toList();
        }
    }

    private static String liveHash() {
        return admin.configMaps().inNamespace(SHARED.namespace()).withName(SHARED.name()).get().getMetadata()
                .getAnnotations().get(Stamp.HASH);
    }

    private static String plainHash(TestRepo repo) {
        DesiredState desired = Renderer.renderNamed(repo.open(), "team-a");
        RenderedObject object = desired.objects().stream().filter(o -> o.key().equals(SHARED)).findFirst().orElseThrow();
        return Stamp.hash(Stamp.stamp(object, "team-a", "it", () -> {
            throw new AssertionError("no key for an object without secrets");
        }));
    }

    private static TestRepo repo(Path where) {
        return TestRepo.empty(where).write("templates/sharedapp/bundle.yaml", """
                        name: sharedapp
                        prefix: sa_
                        namespaceVariable: sa_namespace
                        templates:
                          - {file: templates/sharedapp/shared.yaml.ftl, scope: environment, namespaces: [va-shared]}
                          - {file: templates/sharedapp/cm.yaml.ftl, scope: namespace}
                        variables:
                          sa_namespace: {default: SetMe}
                          sa_conf: {default: none}
                        """)
                .write("templates/sharedapp/shared.yaml.ftl", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: shared-config, namespace: va-shared}
                        data:
                          conf: "${sa_conf}"
                        """)
                .write("templates/sharedapp/cm.yaml.ftl", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: app-config}
                        data:
                          team: "${sa_namespace}"
                        """)
                .write("environments/team-a.yaml", """
                        cluster: it
                        applications:
                          sharedapp:
                            values: {sa_conf: %s}
                            namespaces: [dm-shared-a]
                        """.formatted(VALUE))
                .write("environments/team-b.yaml", """
                        cluster: it
                        applications:
                          sharedapp:
                            values:
                        %s    namespaces: [dm-shared-b]
                        """.formatted(inlineVault("sa_conf", VALUE).indent(6)));
    }

    @Test
    void theSharedObjectSettlesKeyedAndNeitherEnvironmentRewritesIt() throws Exception {
        SecretKeys.install(Fixtures.keys());
        RealApiServer.createDataManagerNamespace(admin, "dm-shared-a");
        RealApiServer.createDataManagerNamespace(admin, "dm-shared-b");
        admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("va-shared").endMetadata().build()).create();
        TestRepo work = repo(dir.resolve("work"));
        String plain = plainHash(work);

        // the plain side first: it writes the plain digest, the secret side re-keys it once, then nothing
        assertEquals(1, applyOneShot(work, "team-a").size(), "team-a creates the shared object");
        assertEquals(plain, liveHash());
        assertEquals(1, applyOneShot(work, "team-b").size(), "team-b re-keys it (it holds team-b's secret)");
        String keyed = liveHash();
        assertNotEquals(plain, keyed);
        for (int round = 0; round < 2; round++) {
            assertEquals(List.of(), applyOneShot(work, "team-a"), "team-a takes the keyed stamp of its own text");
            assertEquals(List.of(), applyOneShot(work, "team-b"), "team-b finds its own stamp");
        }
        assertEquals(keyed, liveHash());

        // a changed value: both render the new text; the first to write wins the form, the keyed one stays
        work.write("environments/team-a.yaml", java.nio.file.Files.readString(work.root().resolve("environments/team-a.yaml"))
                .replace(VALUE, VALUE + "-2"));
        work.write("environments/team-b.yaml", """
                cluster: it
                applications:
                  sharedapp:
                    values:
                %s    namespaces: [dm-shared-b]
                """.formatted(inlineVault("sa_conf", VALUE + "-2").indent(6)));
        assertEquals(1, applyOneShot(work, "team-b").size(), "team-b writes the new text, keyed");
        assertEquals(List.of(), applyOneShot(work, "team-a"), "team-a takes it");
        assertNotEquals(plainHash(work), liveHash());

        // run: both environments in one process, resyncs every second: no write to the shared object
        Path bare = dir.resolve("remote.git");
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
                false, "dm-reconciler", "dm-reconciler-shared-hash-it", "s", dir.resolve("cache"), GitAuth.NONE);
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
            Thread.sleep(4_500); // more resyncs
        }
        List<String> writes = counter.writeLog().stream().filter(w -> w.contains("/namespaces/va-shared/")).toList();
        assertEquals(List.of(), writes, "run rewrites the shared object: " + counter.writeLog());
        assertEquals(List.of(), applyOneShot(work, "team-a"), "apply --env team-a after run");
        assertEquals(List.of(), applyOneShot(work, "team-b"), "apply --env team-b after run");
    }

    @SuppressWarnings("unchecked")
    private static boolean succeeded(Controller controller, String environment) {
        Map<String, Object> environments = (Map<String, Object>) controller.status().get("environments");
        Object status = environments == null ? null : environments.get(environment);
        return status instanceof Map<?, ?> map && map.get("lastSuccess") != null;
    }
}

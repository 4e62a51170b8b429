package dev.dmreconciler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.apply.ApplyOptions;
import dev.dmreconciler.kube.RequestCounter;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.secrets.AnsibleVault;
import dev.dmreconciler.secrets.Fixtures;
import dev.dmreconciler.secrets.SecretKeys;
import dev.dmreconciler.source.GitAuth;
import dev.dmreconciler.status.Metrics;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets in {@code run}, on a real API server, with four environments of one cluster: {@code viz} (an inline
 * {@code !vault} pull secret), {@code flux} (Flux's sops+age Secret in its manifests), {@code copying} (a Secret
 * copied from another namespace) and {@code plain} (no secrets). A wrong vault password (the mounted password file
 * changes), a tampered sops file and a copy source that disappears each fail only their environment, before any
 * write — the API requests of the reconciler are logged, and none of them touches that environment's namespaces,
 * inventory or Lease — while {@code plain} keeps converging; {@code /status} says why without the value. Then the
 * log, {@code /status} and every Event are grepped for each secret value and its base64: nothing.
 */
class SecretsRunIT {

    private static final PersonIdent AUTHOR = new PersonIdent("Test", "test@example.org");
    private static final String PULL_CONFIG = "{\"auths\":{\"ghcr.io\":{\"auth\":\"cnVuLXVzZXI6cnVuLXRva2VuLTc3MjE=\"}}}";
    private static final String PULL_SECRET = b64(PULL_CONFIG); // svo_github_image_pull_secret holds the base64
    private static final String AWS_KEY = "run-mode-aws-secret-key-4d1e";
    private static final String AWS_ROTATED = "run-mode-rotated-aws-key-9f0b";
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

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void namespace(String name) {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    private static String inlineVault(String key, String value) {
        StringBuilder out = new StringBuilder(key).append(": !vault |\n");
        AnsibleVault.encrypt(value.getBytes(StandardCharsets.UTF_8), "fixture-vault-password".toCharArray()).lines()
                .forEach(line -> out.append("          ").append(line).append('\n'));
        return out.toString();
    }

    private static String viz(String cost) {
        return """
                cluster: it
                applications:
                  viz-operator:
                    values:
                      svo_image_tag: '35.0.0'
                      svo_cost_cost: '%s'
                %s    namespaces: [dm-viz]
                """.formatted(cost, inlineVault("svo_github_image_pull_secret", PULL_SECRET).indent(6));
    }

    private static String plain(String cost) {
        return """
                cluster: it
                applications:
                  jupyter-operator:
                    values: {jo_image_tag: 7.0.0}
                    namespaces:
                      dm-plain: {jo_cost_cost: '%s'}
                """.formatted(cost);
    }

    private static long await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long started = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - started > timeout.toNanos()) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting until " + what);
            }
            Thread.sleep(50);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Controller controller, String name) {
        Map<String, Object> environments = (Map<String, Object>) controller.status().get("environments");
        Object status = environments.get(name);
        return status == null ? Map.of() : (Map<String, Object>) status;
    }

    private static String error(Controller controller, String name) {
        Object error = environment(controller, name).get("error");
        return error == null ? "" : error.toString();
    }

    private static String plainCost() {
        var map = admin.configMaps().inNamespace("dm-plain").withName("jupyternotebooks.squonk.it").get();
        return map == null ? null : map.getData().get("dm-app.config").replaceAll("(?s).*cost = ([^\\n]*).*", "$1");
    }

    /** Writes of the reconciler that touch an environment: its namespaces, its inventory, its Lease. */
    private static List<String> writesOf(RequestCounter counter, String environment, String... namespaces) {
        List<String> hits = new ArrayList<>();
        for (String write : counter.writeLog()) {
            boolean ours = write.contains("inventory." + environment + ".") || write.contains("dm-reconciler-apply." + environment + ".");
            for (String namespace : namespaces) {
                ours |= write.contains("/namespaces/" + namespace + "/") || write.endsWith("/namespaces/" + namespace);
            }
            if (ours) {
                hits.add(write);
            }
        }
        return hits;
    }

    @Test
    void eachSecretFailureStopsOnlyItsEnvironmentBeforeAnyWriteAndNothingShowsAValue() throws Exception {
        Path password = Files.writeString(dir.resolve("vault-password"), "fixture-vault-password\n"); // as a mounted Secret
        SecretKeys.install(new SecretKeys(password, Fixtures.path("sops-age/age.agekey"), null));
        RealApiServer.createDataManagerNamespace(admin, "dm-viz");
        RealApiServer.createDataManagerNamespace(admin, "dm-plain");
        for (String ns : List.of("apps", "src", "team-x")) {
            namespace(ns);
        }
        admin.secrets().inNamespace("src").resource(new SecretBuilder().withNewMetadata().withName("aws")
                .addToAnnotations("dm-reconciler.dev/copy-to", "team-x").endMetadata()
                .addToData("AWS_SECRET_ACCESS_KEY", b64(AWS_KEY)).build()).create();

        Path bare = dir.resolve("remote.git");
        TestRepo work = TestRepo.withProjectBundles(dir.resolve("work"))
                .write("templates/web/bundle.yaml", """
                        name: web
                        prefix: web_
                        namespaceVariable: web_namespace
                        templates:
                          - {file: templates/web/cm.yaml.ftl, scope: instance}
                        secretCopies:
                          - {from: {namespace: src, name: aws}, scope: instance}
                        variables:
                          web_namespace: {default: SetMe}
                        """)
                .write("templates/web/cm.yaml.ftl", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata: {a: b}\n")
                .write("secrets/age.sops.yaml", Fixtures.read("sops-age/secret.sops.yaml"))
                .write("manifests/config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n  namespace: apps\ndata:\n  a: b\n")
                .write("environments/viz.yaml", viz("1.00"))
                .write("environments/plain.yaml", plain("1.00"))
                .write("environments/flux.yaml", """
                        cluster: it
                        manifests:
                          - {file: secrets/age.sops.yaml, namespace: apps}
                          - manifests/config.yaml
                        applications: {}
                        """)
                .write("environments/copying.yaml", """
                        cluster: it
                        applications:
                          web:
                            instances: {x: {namespace: team-x}}
                        """);
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RequestCounter counter = new RequestCounter();
        try (Git git = Git.init().setDirectory(work.root().toFile()).setInitialBranch("main").call()) {
            git.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish(bare.toUri().toString())).call();
            Runnable push = () -> {
                try {
                    git.add().addFilepattern(".").call();
                    git.commit().setMessage("change").setAuthor(AUTHOR).setCommitter(AUTHOR).call();
                    git.push().setRemote("origin").add("main").call();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            push.run();
            Controller.Settings settings = new Controller.Settings(bare.toString(), "branch", "main", Set.of(), "it",
                    Duration.ofSeconds(1), Duration.ofSeconds(2), ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler",
                    false, "dm-reconciler", "dm-reconciler-secrets-it", "s", dir.resolve("cache"), GitAuth.NONE);
            try (Controller controller = new Controller(settings, server.client(counter), new Metrics(),
                    new Log(new PrintStream(log, true, StandardCharsets.UTF_8)))) {
                controller.start();
                for (String env : List.of("viz", "plain", "flux", "copying")) {
                    await(() -> environment(controller, env).get("lastSuccess") != null, Duration.ofSeconds(90), env + " applied");
                }
                Secret pull = admin.secrets().inNamespace("dm-viz").withName("svo-pullsecret").get();
                assertEquals(PULL_SECRET, pull.getData().get(".dockerconfigjson"), "the vault value, applied as the role does");
                assertNotNull(admin.secrets().inNamespace("apps").withName("age").get(), "the sops Secret");
                assertEquals(b64(AWS_KEY), admin.secrets().inNamespace("team-x").withName("aws").get().getData()
                        .get("AWS_SECRET_ACCESS_KEY"), "the copy");

                // 1. the mounted vault password changes to a wrong one; a commit changes viz (and plain)
                Files.writeString(password, "not-the-password\n");
                counter.reset();
                work.write("environments/viz.yaml", viz("2.00")).write("environments/plain.yaml", plain("2.00"));
                push.run();
                await(() -> "2.00".equals(plainCost()), Duration.ofSeconds(60), "plain proceeds");
                await(() -> error(controller, "viz").contains("HMAC"), Duration.ofSeconds(60), "viz reports why");
                Thread.sleep(4_500); // two more resyncs
                assertTrue(error(controller, "viz").contains("environments/viz.yaml:7: svo_github_image_pull_secret: Ansible Vault HMAC"
                        + " does not match"), error(controller, "viz"));
                assertEquals(List.of(), writesOf(counter, "viz", "dm-viz", "data-manager-viz-operator"),
                        "nothing of viz written or deleted: " + counter.writeLog());
                assertTrue(writesOf(counter, "plain", "dm-plain").stream().anyMatch(w -> w.contains("inventory.plain.")),
                        "the check sees an environment's writes (plain's object, inventory, Lease): " + counter.writeLog());
                assertEquals(PULL_SECRET, admin.secrets().inNamespace("dm-viz").withName("svo-pullsecret").get()
                        .getData().get(".dockerconfigjson"));
                Files.writeString(password, "fixture-vault-password\n"); // put right: the next resync renders viz again
                await(() -> environment(controller, "viz").get("error") == null, Duration.ofSeconds(60),
                        "viz recovers at a resync, without a new commit");

                // 2. a tampered sops file, in a commit that also drops a manifest (which would be pruned)
                counter.reset();
                work.write("secrets/age.sops.yaml", Fixtures.read("sops-age/secret.sops.yaml").replace("name: age", "name: age2"))
                        .write("environments/flux.yaml", """
                                cluster: it
                                manifests:
                                  - {file: secrets/age.sops.yaml, namespace: apps}
                                applications: {}
                                """)
                        .write("environments/plain.yaml", plain("3.00"));
                push.run();
                await(() -> "3.00".equals(plainCost()), Duration.ofSeconds(60), "plain proceeds");
                await(() -> error(controller, "flux").contains("MAC mismatch"), Duration.ofSeconds(60), "flux reports why");
                await(() -> environment(controller, "viz").get("error") == null, Duration.ofSeconds(60), "viz recovers");
                Thread.sleep(4_500);
                assertEquals(List.of(), writesOf(counter, "flux", "apps"), "nothing of flux written or deleted: " + counter.writeLog());
                assertNotNull(admin.configMaps().inNamespace("apps").withName("plain").get(), "not pruned");
                assertNotNull(admin.secrets().inNamespace("apps").withName("age").get());

                // 3. a rotated source reaches its copy at the next resync, without a commit
                admin.secrets().inNamespace("src").withName("aws").edit(sec -> {
                    sec.getData().put("AWS_SECRET_ACCESS_KEY", b64(AWS_ROTATED));
                    return sec;
                });
                await(() -> b64(AWS_ROTATED).equals(admin.secrets().inNamespace("team-x").withName("aws").get().getData()
                        .get("AWS_SECRET_ACCESS_KEY")), Duration.ofSeconds(30), "the rotated source is copied");
                await(() -> admin.v1().events().inNamespace("team-x").list().getItems().stream().anyMatch(e ->
                        "Configured".equals(e.getReason())), Duration.ofSeconds(30), "that pass has finished (its Event)");

                // 4. the copy's source disappears: copying fails at its next pass, before any write
                counter.reset();
                admin.secrets().inNamespace("src").withName("aws").delete();
                work.write("environments/plain.yaml", plain("4.00"));
                push.run();
                await(() -> "4.00".equals(plainCost()), Duration.ofSeconds(60), "plain proceeds");
                await(() -> error(controller, "copying").contains("source Secret src/aws does not exist"), Duration.ofSeconds(60),
                        "copying reports why");
                Thread.sleep(4_500);
                assertEquals(List.of(), writesOf(counter, "copying", "team-x"), "nothing of copying written: " + counter.writeLog());
                assertEquals(b64(AWS_ROTATED), admin.secrets().inNamespace("team-x").withName("aws").get().getData()
                        .get("AWS_SECRET_ACCESS_KEY"), "the copy stays as it was (not emptied, not deleted)");

                // 5. nothing shows a value: the log, /status, every Event
                String status = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(controller.status());
                StringBuilder events = new StringBuilder();
                admin.v1().events().inAnyNamespace().list().getItems().forEach(e -> events.append(e.getReason()).append(' ')
                        .append(e.getMessage()).append('\n'));
                String everything = log.toString(StandardCharsets.UTF_8) + status + events;
                assertTrue(events.toString().contains("Created"), "Events were recorded: " + events);
                for (String secret : List.of(PULL_CONFIG, PULL_SECRET, b64(PULL_SECRET), "cnVuLXVzZXI6cnVuLXRva2VuLTc3MjE=",
                        AWS_KEY, b64(AWS_KEY), AWS_ROTATED, b64(AWS_ROTATED), "fixture-vault-password")) {
                    assertFalse(everything.contains(secret), "a secret (" + secret.substring(0, 6) + "…) in the log, /status or an Event:\n"
                            + everything);
                }
                // viz is ready again (the password file was put right); flux and copying still say why
                assertTrue(status.contains("sops MAC mismatch") && status.contains("source Secret src/aws does not exist"), status);
            }
        }
    }
}

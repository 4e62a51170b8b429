package dev.dmreconciler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.apply.ApplyOptions;
import dev.dmreconciler.kube.RequestCounter;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.source.GitAuth;
import dev.dmreconciler.status.Metrics;
import dev.dmreconciler.status.StatusServer;
import dev.dmreconciler.status.WebhookSignature;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
 * The long-running reconciler against a real API server, with a bare git repository made in the test as
 * its remote: commits reach the cluster by polling and by webhook, a broken commit leaves the last good
 * revision in force, drift is repaired at resync, a restart writes nothing, and of two replicas one writes.
 */
class RunIT {

    private static final PersonIdent AUTHOR = new PersonIdent("Test", "test@example.org");
    private static RealApiServer server;
    private static KubernetesClient admin;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = RealApiServer.start();
        admin = server.client();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A remote (bare) repository and a clone to commit to it. */
    private final class Remote implements AutoCloseable {
        final Path bare = dir.resolve("remote.git");
        final TestRepo work = TestRepo.withProjectBundles(dir.resolve("work"));
        final Git git;

        Remote(String environment, String namespace, String cost) throws Exception {
            Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
            git = Git.init().setDirectory(work.root().toFile()).setInitialBranch("main").call();
            git.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish(bare.toUri().toString())).call();
            RealApiServer.createDataManagerNamespace(admin, namespace);
            commit(environment, namespace, cost);
        }

        void commit(String environment, String namespace, String cost) throws Exception {
            work.write("environments/" + environment + ".yaml", """
                    cluster: it
                    applications:
                      jupyter-operator:
                        values: {jo_image_tag: 7.0.0, jo_namespace: %s-operator}
                        namespaces:
                          %s: {jo_cost_cost: %s}
                    """.formatted(namespace, namespace, cost));
            push("set cost " + cost);
        }

        void push(String message) throws Exception {
            git.add().addFilepattern(".").call();
            git.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).call();
            git.push().setRemote("origin").add("main").call();
        }

        @Override
        public void close() {
            git.close();
        }
    }

    private Controller controller(Path bare, Duration interval, Duration resync, KubernetesClient client, boolean elect,
                                  String identity, ByteArrayOutputStream log) {
        return controller(bare, interval, resync, client, elect, identity, log, new Metrics());
    }

    private Controller controller(Path bare, Duration interval, Duration resync, KubernetesClient client, boolean elect,
                                  String identity, ByteArrayOutputStream log, Metrics metrics) {
        Controller.Settings settings = new Controller.Settings(bare.toString(), "branch", "main", Set.of(), "it", interval,
                resync, ApplyOptions.defaults(), PrunePolicy.SAFE, "dm-reconciler", elect, "dm-reconciler", "dm-reconciler-it",
                identity, dir.resolve("cache-" + identity), GitAuth.NONE);
        return new Controller(settings, client, metrics, new Log(new PrintStream(log, true, StandardCharsets.UTF_8)));
    }

    private static String cost(String namespace) {
        ConfigMap map = admin.configMaps().inNamespace(namespace).withName("jupyternotebooks.squonk.it").get();
        if (map == null) {
            return null;
        }
        String config = map.getData().get("dm-app.config");
        int at = config.indexOf("cost = ");
        return at < 0 ? config : config.substring(at + 7, config.indexOf('\n', at));
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

    @Test
    void aCommitIsAppliedWithinOneIntervalAndDriftIsRepairedAtResync() throws Exception {
        try (Remote remote = new Remote("poll", "dm-poll", "'1.00'");
             Controller controller = controller(remote.bare, Duration.ofSeconds(1), Duration.ofSeconds(3), admin, false, "a",
                     new ByteArrayOutputStream())) {
            controller.start();
            await(() -> "1.00".equals(cost("dm-poll")), Duration.ofSeconds(60), "the first revision is applied");
            assertTrue(controller.ready());

            remote.commit("poll", "dm-poll", "'2.00'");
            long latency = await(() -> "2.00".equals(cost("dm-poll")), Duration.ofSeconds(30), "the commit is applied");
            System.out.println("[measure] commit-to-applied latency with 1 s polling: " + latency + " ms");
            await(() -> admin.v1().events().inNamespace("dm-poll").list().getItems().stream().anyMatch(e ->
                            "Configured".equals(e.getReason()) && "jupyternotebooks.squonk.it".equals(e.getInvolvedObject().getName())
                                    && e.getMessage().contains("environment poll")),
                    Duration.ofSeconds(10), "a Kubernetes Event tells what changed the ConfigMap");

            admin.configMaps().inNamespace("dm-poll").withName("jupyternotebooks.squonk.it")
                    .edit(map -> { map.getData().put("dm-app.config", "edited by hand"); return map; });
            await(() -> "2.00".equals(cost("dm-poll")), Duration.ofSeconds(30), "the edit is reverted at resync");
        }
    }

    @Test
    void aSignedWebhookFetchesAtOnceAndABadOneIsRefused() throws Exception {
        byte[] secret = "hook-secret".getBytes(StandardCharsets.UTF_8);
        try (Remote remote = new Remote("hook", "dm-hook", "'1.00'");
             Controller controller = controller(remote.bare, Duration.ofHours(1), Duration.ofHours(1), admin, false, "b",
                     new ByteArrayOutputStream());
             StatusServer http = new StatusServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), controller,
                     new Metrics(), secret, controller::requestFetch, 1 << 20)) {
            http.start();
            controller.start();
            await(() -> "1.00".equals(cost("dm-hook")), Duration.ofSeconds(60), "the first revision is applied");

            remote.commit("hook", "dm-hook", "'3.00'");
            byte[] body = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);
            assertEquals(401, post(http.port(), body, WebhookSignature.sign("wrong".getBytes(StandardCharsets.UTF_8), body)));
            assertEquals(401, post(http.port(), body, null));
            Thread.sleep(1500);
            assertEquals("1.00", cost("dm-hook"), "an unsigned or badly signed delivery triggers nothing");

            long sent = System.nanoTime();
            assertEquals(202, post(http.port(), body, WebhookSignature.sign(secret, body)));
            await(() -> "3.00".equals(cost("dm-hook")), Duration.ofSeconds(30), "the webhook's fetch is applied");
            System.out.println("[measure] commit-to-applied latency with the webhook: "
                    + (System.nanoTime() - sent) / 1_000_000 + " ms");
        }
    }

    private static int post(int port, byte[] body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hooks/git"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("X-GitHub-Event", "push");
        if (signature != null) {
            request.header(WebhookSignature.HEADER, signature);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBrokenCommitKeepsTheLastGoodRevisionInForceAndSaysWhy() throws Exception {
        try (Remote remote = new Remote("broken", "dm-broken", "'1.00'");
             Controller controller = controller(remote.bare, Duration.ofSeconds(1), Duration.ofSeconds(2), admin, false, "c",
                     new ByteArrayOutputStream())) {
            controller.start();
            await(() -> "1.00".equals(cost("dm-broken")), Duration.ofSeconds(60), "the first revision is applied");
            await(() -> environment(controller, "broken").get("lastSuccess") != null, Duration.ofSeconds(30), "success");
            String good = (String) environment(controller, "broken").get("revision");

            remote.work.write("environments/broken.yaml", """
                    cluster: it
                    applications:
                      jupyter-operator:
                        values: {jo_image_tag: SetMe, jo_namespace: dm-broken-operator}
                        namespaces:
                          dm-broken: {jo_cost_cost: '9.00'}
                    """);
            remote.push("break it");
            await(() -> environment(controller, "broken").get("error") != null, Duration.ofSeconds(30), "the error is reported");
            Map<String, Object> status = environment(controller, "broken");
            assertTrue(((String) status.get("error")).contains("jo_image_tag"), status.toString());
            assertTrue(((String) status.get("error")).contains("stays in force"), status.toString());
            assertEquals(good, status.get("lastGoodRevision"));
            assertEquals("1.00", cost("dm-broken"), "nothing of the broken revision is applied");

            admin.configMaps().inNamespace("dm-broken").withName("jupyternotebooks.squonk.it")
                    .edit(map -> { map.getData().put("dm-app.config", "edited by hand"); return map; });
            await(() -> "1.00".equals(cost("dm-broken")), Duration.ofSeconds(30),
                    "the last good revision is re-applied at resync while head is broken");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Controller controller, String name) {
        Map<String, Object> environments = (Map<String, Object>) controller.status().get("environments");
        Object status = environments.get(name);
        return status == null ? Map.of() : (Map<String, Object>) status;
    }

    @Test
    void aRestartResumesWithoutWriting() throws Exception {
        try (Remote remote = new Remote("restart", "dm-restart", "'1.00'")) {
            try (Controller first = controller(remote.bare, Duration.ofSeconds(1), Duration.ofHours(1), admin, false, "d",
                    new ByteArrayOutputStream())) {
                first.start();
                await(() -> "1.00".equals(cost("dm-restart")), Duration.ofSeconds(60), "the first revision is applied");
                await(() -> environment(first, "restart").get("lastSuccess") != null, Duration.ofSeconds(30), "success");
            }
            RequestCounter counter = new RequestCounter();
            try (KubernetesClient client = server.client(counter);
                 Controller second = controller(remote.bare, Duration.ofSeconds(1), Duration.ofHours(1), client, false, "d",
                         new ByteArrayOutputStream())) {
                second.start();
                await(() -> environment(second, "restart").get("lastSuccess") != null, Duration.ofSeconds(60),
                        "the restarted reconciler has done its pass");
                assertEquals("Op: 0 create, 0 delete, 0 update, 9 noop", environment(second, "restart").get("total"));
                assertEquals(0, counter.writes(), "no duplicate work after a restart: " + counter.snapshot());
            }
        }
    }

    @Test
    void ofTwoReplicasOneWritesAndTheOtherTakesOverWhenItStops() throws Exception {
        try (Remote remote = new Remote("ha", "dm-ha", "'1.00'")) {
            RequestCounter firstCounter = new RequestCounter();
            RequestCounter secondCounter = new RequestCounter();
            KubernetesClient firstClient = server.client(firstCounter);
            KubernetesClient secondClient = server.client(secondCounter);
            Controller first = controller(remote.bare, Duration.ofSeconds(1), Duration.ofHours(1), firstClient, true, "first",
                    new ByteArrayOutputStream());
            first.start();
            await(() -> "1.00".equals(cost("dm-ha")), Duration.ofSeconds(60), "the leader applies");
            try (Controller second = controller(remote.bare, Duration.ofSeconds(1), Duration.ofHours(1), secondClient, true,
                    "second", new ByteArrayOutputStream())) {
                second.start();
                await(second::ready, Duration.ofSeconds(30), "the standby has fetched");
                remote.commit("ha", "dm-ha", "'4.00'");
                await(() -> "4.00".equals(cost("dm-ha")), Duration.ofSeconds(30), "the leader applies the commit");
                assertEquals(Boolean.TRUE, first.status().get("leader"));
                assertEquals(Boolean.FALSE, second.status().get("leader"));
                assertFalse(environment(second, "ha").containsKey("lastAttempt") && environment(second, "ha").get("lastAttempt") != null,
                        "the standby never reconciles");
                assertEquals(0, secondCounter.count("PATCH") + secondCounter.count("DELETE"),
                        "the standby writes no object: " + secondCounter.snapshot());

                first.close();
                firstClient.close();
                await(() -> Boolean.TRUE.equals(second.status().get("leader")), Duration.ofSeconds(60), "the standby takes over");
                remote.commit("ha", "dm-ha", "'5.00'");
                await(() -> "5.00".equals(cost("dm-ha")), Duration.ofSeconds(30), "the new leader applies");
                assertNotNull(environment(second, "ha").get("lastSuccess"));
            } finally {
                secondClient.close();
            }
        }
    }

    /** Passes of an environment so far, failed ones included: the reconcile-duration histogram's count. */
    static long passes(Metrics metrics, String environment) {
        String prefix = "dmr_reconcile_duration_seconds_count{environment=\"" + environment + "\"";
        return metrics.scrape().lines().filter(l -> l.startsWith(prefix))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /**
     * A namespace whose precondition fails is a steady state (WAIT): no retry, so the environment costs one pass per
     * resync. Counted from the end of a pass: a pass running when counting starts, and the one a resync during it left
     * due, belong to resyncs before the window (counting from the moment the first pass applied its good namespace
     * counted both, 13 under load). In W seconds the 1 s resync fires at most floor(W) + 1 times, plus the one pass a
     * resync during the pass before the window left due. Every pass is a resync's: none is started by the watch
     * (its own writes seen as drift) or by a retry.
     */
    @Test
    void aPermanentlyFailingNamespaceCostsOnePassPerResync() throws Exception {
        Metrics metrics = new Metrics();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (Remote remote = new Remote("steady", "dm-steady", "'1.00'")) {
            remote.work.write("environments/steady.yaml", """
                    cluster: it
                    applications:
                      jupyter-operator:
                        values: {jo_image_tag: 7.0.0, jo_namespace: dm-steady-operator}
                        namespaces:
                          dm-steady: {jo_cost_cost: '1.00'}
                          dm-steady-missing: {jo_cost_cost: '1.00'}
                    """);
            remote.push("a namespace that does not exist");
            try (Controller controller = controller(remote.bare, Duration.ofHours(1), Duration.ofSeconds(1), admin, false,
                    "steady", log, metrics)) {
                controller.start();
                await(() -> "1.00".equals(cost("dm-steady")), Duration.ofSeconds(60), "the good namespace is applied");
                long ended = passes(metrics, "steady");
                await(() -> passes(metrics, "steady") > ended, Duration.ofSeconds(60), "a pass ends");
                long first = passes(metrics, "steady");
                int logFrom = log.size();
                long started = System.nanoTime();
                Thread.sleep(10_500);
                double periods = (System.nanoTime() - started) / 1e9;
                long passes = passes(metrics, "steady") - first;
                System.out.println("[measure] passes in " + String.format("%.1f", periods)
                        + " resync periods of 1 s with a namespace whose precondition fails: " + passes);
                String window = log.toString(StandardCharsets.UTF_8).substring(logFrom);
                assertTrue(passes <= (long) periods + 2, "passes " + passes + " <= periods + 2 (" + periods + "):\n" + window);
                assertTrue(passes >= 5, "the resync still runs: " + passes);
                assertTrue(window.lines().noneMatch(l -> l.contains("changed in the cluster") || l.contains("retryIn")),
                        "every pass is a resync's:\n" + window);
                Map<String, Object> status = environment(controller, "steady");
                assertEquals("failed", status.get("state"), status.toString());
                assertTrue(String.valueOf(status.get("scopes")).contains("dm-steady-missing"), status.toString());
            }
        }
    }

    @Test
    void anEnvironmentRemovedFromGitStopsAndIsReportedRemovedWhileOneBrokenSinceItsFirstCommitIsReported() throws Exception {
        Metrics metrics = new Metrics();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (Remote remote = new Remote("staying", "dm-staying", "'1.00'")) {
            RealApiServer.createDataManagerNamespace(admin, "dm-leaving");
            remote.work.write("environments/leaving.yaml", """
                    cluster: it
                    applications:
                      jupyter-operator:
                        values: {jo_image_tag: 7.0.0, jo_namespace: dm-leaving-operator}
                        namespaces:
                          dm-leaving: {jo_cost_cost: '1.00'}
                    """);
            remote.work.write("environments/neverworked.yaml", """
                    cluster: it
                    applications:
                      jupyter-operator:
                        values: {jo_image_tag: SetMe, jo_namespace: dm-never-operator, jo_state: ghp_pastedTokenNotMarkedSecret}
                        namespaces:
                          dm-never: {jo_cost_cost: '1.00'}
                    """);
            remote.push("two more environments");
            try (Controller controller = controller(remote.bare, Duration.ofSeconds(1), Duration.ofSeconds(2), admin, false,
                    "removal", log, metrics)) {
                controller.start();
                await(() -> "1.00".equals(cost("dm-leaving")), Duration.ofSeconds(60), "the leaving environment is applied");
                await(() -> environment(controller, "neverworked").get("error") != null, Duration.ofSeconds(30),
                        "the environment broken since its first commit is reported");
                Map<String, Object> broken = environment(controller, "neverworked");
                assertEquals("failed", broken.get("state"), broken.toString());
                assertTrue(String.valueOf(broken.get("error")).contains("jo_image_tag"), broken.toString());
                assertTrue(log.toString(StandardCharsets.UTF_8).lines().anyMatch(l -> l.contains("env=neverworked")
                        && l.contains("jo_image_tag")), "and logged:\n" + log);
                assertTrue(String.valueOf(broken.get("error")).contains("jo_state: '…' is not one of"), broken.toString());
                assertTrue(!controller.status().toString().contains("ghp_") && !log.toString(StandardCharsets.UTF_8).contains("ghp_"),
                        "a value is never echoed in /status or the log, only its key and location");

                remote.git.rm().addFilepattern("environments/leaving.yaml").call();
                remote.push("remove an environment");
                await(() -> "removed".equals(environment(controller, "leaving").get("state")), Duration.ofSeconds(30),
                        "the removed environment is reported as removed");
                Thread.sleep(1000); // a pass already running at the removal ends (writing nothing more)
                long after = passes(metrics, "leaving");
                Thread.sleep(4500); // two resyncs
                assertEquals(after, passes(metrics, "leaving"), "a removed environment is not reconciled any more");
                assertEquals("1.00", cost("dm-leaving"), "its objects stay");
                assertTrue(passes(metrics, "staying") > 0);
            }
        }
    }

    private static String applicationNamespaces() {
        var crd = admin.apiextensions().v1().customResourceDefinitions().withName("jupyternotebooks.squonk.it").get();
        return crd == null ? null : crd.getMetadata().getAnnotations().get("data-manager.informaticsmatters.com/application-namespaces");
    }

    private static String operatorEnvironment(String namespace, String tag, String operator) {
        return """
                cluster: it
                applications:
                  jupyter-operator:
                    values: {jo_image_tag: %s, jo_namespace: %s}
                    namespaces:
                      %s: {jo_cost_cost: '1.00'}
                """.formatted(tag, operator, namespace);
    }

    /**
     * Issue 10 item 5 in run mode: environment b's commit moves its namespace to one the cluster's policy does not
     * allow, so b's file loads but does not render (b's last good revision stays in force). Taking b's head file for
     * the shared CRD's namespace list in a's passes while b's passes (at its last good revision) take their own
     * makes the CRD's annotation flap on every resync. Both take b's last good form.
     */
    @Test
    void aBrokenEnvironmentChangesNothingOfTheSharedCrdOfTheOthers() throws Exception {
        try (Remote remote = new Remote("union-a", "dm-union-a", "'1.00'")) {
            RealApiServer.createDataManagerNamespace(admin, "dm-union-b");
            remote.work.write("environments/union-a.yaml", operatorEnvironment("dm-union-a", "7.0.0", "dm-union-operator"));
            remote.work.write("environments/union-b.yaml", operatorEnvironment("dm-union-b", "7.0.0", "dm-union-operator"));
            remote.work.write("policy/it.yaml", """
                    defaults:
                      namespaces: [dm-union-a, dm-union-b, dm-union-operator]
                      allow: [wildcard, escalate, bind, impersonate]
                    """);
            remote.push("a second environment of the cluster, and a policy");
            try (Controller controller = controller(remote.bare, Duration.ofSeconds(1), Duration.ofSeconds(1), admin, false,
                    "union", new ByteArrayOutputStream())) {
                controller.start();
                await(() -> "1.00".equals(cost("dm-union-a")) && "1.00".equals(cost("dm-union-b")), Duration.ofSeconds(60),
                        "both environments are applied");
                await(() -> String.valueOf(applicationNamespaces()).contains("dm-union-a")
                        && String.valueOf(applicationNamespaces()).contains("dm-union-b"), Duration.ofSeconds(30), "the union");
                await(() -> environment(controller, "union-a").get("lastSuccess") != null
                        && environment(controller, "union-b").get("lastSuccess") != null, Duration.ofSeconds(30), "both good");
                remote.work.write("environments/union-b.yaml", operatorEnvironment("dm-union-c", "7.0.0", "dm-union-operator"));
                remote.push("move union-b to a namespace the policy does not allow");
                await(() -> String.valueOf(environment(controller, "union-b").get("error")).contains("dm-union-c"),
                        Duration.ofSeconds(30), "b is refused by the policy: " + environment(controller, "union-b"));
                String version = admin.apiextensions().v1().customResourceDefinitions().withName("jupyternotebooks.squonk.it")
                        .get().getMetadata().getResourceVersion();
                Thread.sleep(6000); // six resyncs of both environments
                var crd = admin.apiextensions().v1().customResourceDefinitions().withName("jupyternotebooks.squonk.it").get();
                String union = String.valueOf(applicationNamespaces());
                assertTrue(union.contains("dm-union-b") && !union.contains("dm-union-c"),
                        "b's last good namespaces, not its broken head's: " + union);
                assertEquals(version, crd.getMetadata().getResourceVersion(), "the shared CRD was not updated (no flap)");
                assertEquals("1.00", cost("dm-union-b"), "b's last good revision stays in force");
            }
        }
    }

    /**
     * The flap's second half (issue 10 item 5, fixed in {@code Controller#resync}): environment b's commit adds a
     * namespace while the mounted vault password is wrong, so b does not render at the head and both environments use
     * b's last good form for the shared CRD's namespace list. The password is put right, without a commit: at the next
     * resync b renders at the head, with its new namespace. Environment a's render of this head was made with b's old
     * form; unless it is dropped too, a's passes write the list without b's new namespace and b's passes with it, and
     * the CRD flaps on every resync (counted: writes of the CRD while nothing changes). With the renders dropped, both
     * agree: no CRD write at all.
     */
    @Test
    void whenAFailedEnvironmentRendersAgainAtAResyncTheSharedCrdStopsChanging() throws Exception {
        Path password = java.nio.file.Files.writeString(dir.resolve("vault-password"), "fixture-vault-password\n");
        dev.dmreconciler.secrets.SecretKeys.install(new dev.dmreconciler.secrets.SecretKeys(password, null, null));
        RequestCounter counter = new RequestCounter();
        try (Remote remote = new Remote("flap-a", "dm-flap-a", "'1.00'");
             KubernetesClient client = server.client(counter)) {
            for (String namespace : List.of("dm-flap-b1", "dm-flap-b2")) {
                RealApiServer.createDataManagerNamespace(admin, namespace);
            }
            String operator = "dm-flap-operator";
            remote.work.write("environments/flap-a.yaml", operatorEnvironment("dm-flap-a", "7.0.0", operator));
            remote.work.write("environments/flap-b.yaml", vaultedOperatorEnvironment(operator, "dm-flap-b1"));
            remote.push("two environments sharing the operator's CRD; b holds a vault value");
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            try (Controller controller = controller(remote.bare, Duration.ofSeconds(1), Duration.ofSeconds(1), client, false,
                    "flap", log)) {
                controller.start();
                await(() -> "1.00".equals(cost("dm-flap-a")) && "1.00".equals(cost("dm-flap-b1")), Duration.ofSeconds(60),
                        "both environments are applied");
                await(() -> environment(controller, "flap-a").get("lastSuccess") != null
                        && environment(controller, "flap-b").get("lastSuccess") != null, Duration.ofSeconds(30), "both good");

                java.nio.file.Files.writeString(password, "not-the-password\n");
                remote.work.write("environments/flap-b.yaml", vaultedOperatorEnvironment(operator, "dm-flap-b1", "dm-flap-b2"));
                remote.push("b gets a second namespace (its vault value no longer decrypts)");
                String head = remote.git.log().setMaxCount(1).call().iterator().next().getName();
                await(() -> String.valueOf(environment(controller, "flap-b").get("error")).contains("HMAC"),
                        Duration.ofSeconds(30), "b does not render: " + environment(controller, "flap-b"));
                await(() -> converged(controller, "flap-a", head), Duration.ofSeconds(30), "a applies the head");
                assertTrue(!String.valueOf(applicationNamespaces()).contains("dm-flap-b2"),
                        "b's last good namespaces while it does not render: " + applicationNamespaces());

                java.nio.file.Files.writeString(password, "fixture-vault-password\n"); // put right, no commit
                await(() -> converged(controller, "flap-b", head) && "1.00".equals(cost("dm-flap-b2")),
                        Duration.ofSeconds(30), "b renders again at a resync: " + environment(controller, "flap-b"));
                await(() -> String.valueOf(applicationNamespaces()).contains("dm-flap-b2"), Duration.ofSeconds(30),
                        "b's new namespace is in the list");
                Thread.sleep(2000); // the passes of that resync end
                counter.reset();
                Thread.sleep(6000); // six resyncs of both environments
                List<String> crdWrites = counter.writeLog().stream()
                        .filter(w -> w.contains("customresourcedefinitions/jupyternotebooks.squonk.it")).toList();
                System.out.println("[measure] CRD writes in six resyncs after a failed environment rendered again: "
                        + crdWrites.size());
                assertEquals(List.of(), crdWrites, "the environments agree on the shared CRD: no flap\n" + log);
                String union = String.valueOf(applicationNamespaces());
                assertTrue(union.contains("dm-flap-a") && union.contains("dm-flap-b1") && union.contains("dm-flap-b2"), union);
            }
        } finally {
            dev.dmreconciler.secrets.SecretKeys.install(dev.dmreconciler.secrets.SecretKeys.NONE);
        }
    }

    /** The operator environment with its image tag as an inline Ansible Vault value (password "fixture-vault-password"). */
    private static String vaultedOperatorEnvironment(String operator, String... namespaces) {
        StringBuilder tag = new StringBuilder("jo_image_tag: !vault |\n");
        dev.dmreconciler.secrets.AnsibleVault.encrypt("7.0.0".getBytes(StandardCharsets.UTF_8),
                "fixture-vault-password".toCharArray()).lines().forEach(line -> tag.append("  ").append(line).append('\n'));
        StringBuilder out = new StringBuilder("cluster: it\napplications:\n  jupyter-operator:\n    values:\n");
        tag.toString().lines().forEach(line -> out.append("      ").append(line).append('\n'));
        out.append("      jo_namespace: ").append(operator).append("\n    namespaces:\n");
        for (String namespace : namespaces) {
            out.append("      ").append(namespace).append(": {jo_cost_cost: '1.00'}\n");
        }
        return out.toString();
    }

    /**
     * Issue 10 item 3 in run mode, where environments run in parallel: a namespace moved from one environment to
     * another in one commit is never deleted (the audit of the controller's requests shows no DELETE in it; the
     * ConfigMap keeps its UID). And a namespace moved into an environment whose commit does not render is not pruned
     * by the environment it left (what the broken one wants is unknown) until that one renders and takes it over.
     */
    @Test
    void aNamespaceMovedBetweenEnvironmentsIsNeverDeletedNotEvenWhenItsNewEnvironmentIsBroken() throws Exception {
        RequestCounter counter = new RequestCounter();
        try (Remote remote = new Remote("mv-a", "dm-mv-1", "'1.00'");
             KubernetesClient client = server.client(counter)) {
            for (String namespace : java.util.List.of("dm-mv-2", "dm-mv-3")) {
                RealApiServer.createDataManagerNamespace(admin, namespace);
            }
            String operator = "dm-mv-operator";
            remote.work.write("environments/mv-a.yaml", operatorEnvironment("dm-mv-1", "7.0.0", operator)
                    + "      dm-mv-2: {jo_cost_cost: '1.00'}\n");
            remote.work.write("environments/mv-b.yaml", operatorEnvironment("dm-mv-3", "7.0.0", operator));
            remote.push("two environments");
            try (Controller controller = controller(remote.bare, Duration.ofSeconds(1), Duration.ofSeconds(2), client, false,
                    "move", new ByteArrayOutputStream())) {
                controller.start();
                await(() -> "1.00".equals(cost("dm-mv-2")) && "1.00".equals(cost("dm-mv-3")), Duration.ofSeconds(60),
                        "both environments are applied");
                String uid2 = uid("dm-mv-2");
                String uid3 = uid("dm-mv-3");

                remote.work.write("environments/mv-a.yaml", operatorEnvironment("dm-mv-1", "7.0.0", operator));
                remote.work.write("environments/mv-b.yaml", operatorEnvironment("dm-mv-3", "7.0.0", operator)
                        + "      dm-mv-2: {jo_cost_cost: '1.00'}\n");
                remote.push("move dm-mv-2 from mv-a to mv-b");
                String moved = remote.git.log().setMaxCount(1).call().iterator().next().getName();
                await(() -> converged(controller, "mv-a", moved) && converged(controller, "mv-b", moved), Duration.ofSeconds(60),
                        "the move has converged");
                Thread.sleep(2500); // one more resync of each
                assertEquals(uid2, uid("dm-mv-2"), "the moved namespace's ConfigMap was never deleted");

                remote.work.write("environments/mv-a.yaml", operatorEnvironment("dm-mv-1", "SetMe", operator)
                        + "      dm-mv-3: {jo_cost_cost: '1.00'}\n");
                remote.work.write("environments/mv-b.yaml", operatorEnvironment("dm-mv-2", "7.0.0", operator));
                remote.push("move dm-mv-3 from mv-b to mv-a, whose file is broken");
                await(() -> String.valueOf(environment(controller, "mv-b").get("scopes")).contains("dm-mv-3")
                                && String.valueOf(environment(controller, "mv-b").get("total")).contains("skip"),
                        Duration.ofSeconds(30), "mv-b holds its prunes: " + environment(controller, "mv-b"));
                Thread.sleep(3000); // more resyncs
                assertEquals(uid3, uid("dm-mv-3"), "not pruned while mv-a does not render");

                remote.work.write("environments/mv-a.yaml", operatorEnvironment("dm-mv-1", "7.0.0", operator)
                        + "      dm-mv-3: {jo_cost_cost: '1.00'}\n");
                remote.push("fix mv-a");
                String fixed = remote.git.log().setMaxCount(1).call().iterator().next().getName();
                await(() -> converged(controller, "mv-a", fixed) && converged(controller, "mv-b", fixed), Duration.ofSeconds(60),
                        "both converge");
                assertEquals(uid3, uid("dm-mv-3"), "mv-a took dm-mv-3 over; it was never deleted");
                List<String> deletes = counter.writeLog().stream().filter(w -> w.startsWith("DELETE")
                        && w.contains("/namespaces/dm-mv-")).toList();
                assertEquals(List.of(), deletes, "no DELETE of a moved object");
            }
        }
    }

    /** The GuardIT bundle: {@code configMaps} ConfigMaps in the environment's one namespace. */
    private static void budgetBundle(TestRepo repo, int configMaps) throws java.io.IOException {
        StringBuilder bundle = new StringBuilder("name: gr\nprefix: gr_\nnamespaceVariable: gr_namespace\n"
                + "variables:\n  gr_namespace: {default: dm-budget}\ntemplates:\n");
        for (int i = 0; i < 15; i++) {
            java.nio.file.Files.deleteIfExists(repo.root().resolve("templates/gr/cm-" + i + ".yaml.ftl"));
        }
        for (int i = 0; i < configMaps; i++) {
            bundle.append("  - {file: templates/gr/cm-").append(i).append(".yaml.ftl, scope: environment}\n");
            repo.write("templates/gr/cm-" + i + ".yaml.ftl", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-" + i
                    + ", namespace: dm-budget}\ndata: {index: \"" + i + "\"}\n");
        }
        repo.write("templates/gr/bundle.yaml", bundle.toString());
    }

    /**
     * Issue 11 item 3 in run mode: a commit removing 12 of 15 templates (80 %) deletes nothing, and /status says why;
     * the next commit, whose message carries 'dm-reconciler: allow-prune', deletes them.
     */
    @Test
    void aCommitOverThePruneBudgetDeletesNothingUntilACommitCarriesTheMarker() throws Exception {
        RequestCounter counter = new RequestCounter();
        try (Remote remote = new Remote("budget", "dm-budget", "'1.00'");
             KubernetesClient client = server.client(counter)) {
            budgetBundle(remote.work, 15);
            remote.work.write("environments/budget.yaml", "cluster: it\napplications:\n  gr:\n    namespaces: [dm-budget]\n");
            remote.push("fifteen ConfigMaps");
            try (Controller controller = controller(remote.bare, Duration.ofSeconds(1), Duration.ofSeconds(2), client, false,
                    "budget", new ByteArrayOutputStream())) {
                controller.start();
                await(() -> admin.configMaps().inNamespace("dm-budget").withLabel("dm-reconciler.dev/application", "gr").list()
                        .getItems().size() == 15, Duration.ofSeconds(60), "fifteen applied");
                budgetBundle(remote.work, 3);
                remote.git.add().addFilepattern(".").setUpdate(true).call();
                remote.push("drop twelve templates");
                await(() -> String.valueOf(environment(controller, "budget").get("error")).contains("apply had failures")
                        && String.valueOf(environment(controller, "budget").get("total")).contains("12 skip"),
                        Duration.ofSeconds(30), "the pass holds the deletions: " + environment(controller, "budget"));
                Thread.sleep(4500); // two more resyncs
                assertEquals(0, counter.count("DELETE"), "nothing deleted: " + counter.writeLog());
                assertEquals(15, admin.configMaps().inNamespace("dm-budget").withLabel("dm-reconciler.dev/application", "gr")
                        .list().getItems().size());

                remote.work.write("environments/budget.yaml", "cluster: it\napplications:\n  gr:\n    namespaces: [dm-budget]\n"
                        + "# twelve ConfigMaps are no longer needed\n");
                remote.push("drop twelve templates, really\n\ndm-reconciler: allow-prune");
                await(() -> admin.configMaps().inNamespace("dm-budget").withLabel("dm-reconciler.dev/application", "gr").list()
                        .getItems().size() == 3, Duration.ofSeconds(30), "the marked commit deletes them");
                assertEquals(12, counter.writeLog().stream().filter(w -> w.startsWith("DELETE /api/v1/namespaces/dm-budget/")).count(),
                        counter.writeLog().toString());
                await(() -> environment(controller, "budget").get("error") == null, Duration.ofSeconds(30), "converged");
            }
        }
    }

    /**
     * Issue 11 item 4 in run mode: an environment whose template loops for ever fails at the render time limit with
     * the template named in /status; the other environment of the cluster is applied meanwhile and stays good.
     */
    @Test
    void anEndlessTemplateLoopFailsItsEnvironmentAndTheOthersApply() throws Exception {
        dev.dmreconciler.render.RenderLimits previous = dev.dmreconciler.render.RenderLimits.useByDefault(
                new dev.dmreconciler.render.RenderLimits(Duration.ofSeconds(2), 1L << 20));
        try (Remote remote = new Remote("calm", "dm-calm", "'1.00'")) {
            remote.work.write("templates/spin/bundle.yaml", """
                    name: spin
                    prefix: sp_
                    namespaceVariable: sp_namespace
                    variables:
                      sp_namespace: {default: dm-calm}
                    templates:
                      - {file: templates/spin/loop.yaml.ftl, scope: environment}
                    """).write("templates/spin/loop.yaml.ftl", """
                    <#list 1..10000000000 as i></#list>
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: never, namespace: dm-spin}
                    """);
            remote.work.write("environments/spin.yaml", "cluster: it\napplications:\n  spin:\n    namespaces: [dm-spin]\n");
            remote.push("an environment whose template never ends");
            try (Controller controller = controller(remote.bare, Duration.ofSeconds(1), Duration.ofSeconds(3), admin, false,
                    "spin", new ByteArrayOutputStream())) {
                controller.start();
                await(() -> "1.00".equals(cost("dm-calm")), Duration.ofSeconds(60), "the other environment is applied");
                await(() -> environment(controller, "spin").get("error") != null, Duration.ofSeconds(30), "spin fails");
                String error = String.valueOf(environment(controller, "spin").get("error"));
                assertTrue(error.contains("templates/spin/loop.yaml.ftl") && error.contains("longer than 2 s"), error);
                assertEquals("failed", environment(controller, "spin").get("state"));
                await(() -> environment(controller, "calm").get("lastSuccess") != null
                        && environment(controller, "calm").get("error") == null, Duration.ofSeconds(30),
                        "calm is good: " + environment(controller, "calm"));
                assertEquals(null, admin.configMaps().inNamespace("dm-spin").withName("never").get());
            }
        } finally {
            dev.dmreconciler.render.RenderLimits.useByDefault(previous);
        }
    }

    private static boolean converged(Controller controller, String environment, String revision) {
        Map<String, Object> status = environment(controller, environment);
        return revision.equals(status.get("revision")) && status.get("error") == null && status.get("lastSuccess") != null;
    }

    private static String uid(String namespace) {
        ConfigMap map = admin.configMaps().inNamespace(namespace).withName("jupyternotebooks.squonk.it").get();
        return map == null ? null : map.getMetadata().getUid();
    }
}

package dev.dmreconciler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.TestRepo.CliResult;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a one-shot command may connect while it renders: only if connecting runs nothing and writes nothing. */
class EarlyConnectTest {

    @TempDir
    Path dir;

    private static Config kubeconfig(String currentContext, String user) {
        return KubeConfigUtils.parseConfigFromString("""
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: {server: "https://127.0.0.1:6443"}
                users:
                - name: token
                  user: {token: t}
                - name: cert
                  user: {client-certificate-data: Y2VydA==, client-key-data: a2V5}
                - name: exec
                  user:
                    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: kubelogin, args: [get-token]}
                - name: oidc
                  user:
                    auth-provider: {name: oidc, config: {idp-issuer-url: "https://idp", refresh-token: r}}
                contexts:
                - {name: token, context: {cluster: c, user: token}}
                - {name: cert, context: {cluster: c, user: cert}}
                - {name: exec, context: {cluster: c, user: exec}}
                - {name: oidc, context: {cluster: c, user: oidc}}
                - {name: anonymous, context: {cluster: c}}
                - {name: nobody, context: {cluster: c, user: missing}}
                """ + (currentContext == null ? "" : "current-context: " + currentContext + "\n"));
    }

    @Test
    void theWholeTable() {
        assertTrue(EarlyConnect.sideEffectFree(List.of(kubeconfig("token", null)), null), "bearer token");
        assertTrue(EarlyConnect.sideEffectFree(List.of(kubeconfig("cert", null)), null), "client certificate");
        assertTrue(EarlyConnect.sideEffectFree(List.of(kubeconfig("anonymous", null)), null), "no user");
        assertTrue(EarlyConnect.sideEffectFree(List.of(), null), "no kubeconfig: in-cluster service account");
        assertFalse(EarlyConnect.sideEffectFree(List.of(kubeconfig("exec", null)), null), "exec credential plugin");
        assertFalse(EarlyConnect.sideEffectFree(List.of(kubeconfig("oidc", null)), null), "auth-provider");
        assertFalse(EarlyConnect.sideEffectFree(List.of(kubeconfig("nobody", null)), null), "user not in the kubeconfig");
        assertFalse(EarlyConnect.sideEffectFree(List.of(kubeconfig(null, null)), null), "no current context");
        assertFalse(EarlyConnect.sideEffectFree(List.of(kubeconfig("token", null)), "missing"), "--context not there");
    }

    @Test
    void theContextInUseDecides() {
        assertFalse(EarlyConnect.sideEffectFree(List.of(kubeconfig("token", null)), "exec"), "--context wins over current-context");
        assertTrue(EarlyConnect.sideEffectFree(List.of(kubeconfig("exec", null)), "cert"));
        assertTrue(EarlyConnect.sideEffectFree(List.of(kubeconfig("token", null), kubeconfig("exec", null)), null),
                "the first file's current context wins");
        assertFalse(EarlyConnect.sideEffectFree(List.of(kubeconfig(null, null), kubeconfig("oidc", null)), null),
                "a later file's current context when the first has none");
    }

    /**
     * Within one file kubectl and fabric8 take the last definition of a name, so a context or user defined twice
     * (concatenated kubeconfigs) is judged by all its definitions: an exec plugin among them must not run while a
     * render that its policy may refuse is still going (review S11-F5).
     */
    @Test
    void aContextOrUserDefinedTwiceIsJudgedByEveryDefinition() {
        String base = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: {server: "https://127.0.0.1:6443"}
                current-context: ctx
                """;
        String tokenThenExec = base + """
                users:
                - {name: admin, user: {token: t}}
                - name: admin
                  user:
                    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: kubelogin}
                contexts:
                - {name: ctx, context: {cluster: c, user: admin}}
                """;
        String contextTwice = base + """
                users:
                - {name: admin, user: {token: t}}
                - name: sso
                  user:
                    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: kubelogin}
                contexts:
                - {name: ctx, context: {cluster: c, user: admin}}
                - {name: ctx, context: {cluster: c, user: sso}}
                """;
        String tokenTwice = base + """
                users:
                - {name: admin, user: {token: t}}
                - {name: admin, user: {token: u}}
                contexts:
                - {name: ctx, context: {cluster: c, user: admin}}
                - {name: ctx, context: {cluster: c, user: admin}}
                """;
        assertFalse(EarlyConnect.sideEffectFree(List.of(KubeConfigUtils.parseConfigFromString(tokenThenExec)), null),
                "a user defined twice, the last one an exec plugin");
        assertFalse(EarlyConnect.sideEffectFree(List.of(KubeConfigUtils.parseConfigFromString(contextTwice)), null),
                "a context defined twice, the last one with an exec user");
        assertTrue(EarlyConnect.sideEffectFree(List.of(KubeConfigUtils.parseConfigFromString(tokenTwice)), null),
                "duplicates that all use tokens");
    }

    @Test
    void filesThatDoNotParseConnectLate() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken"), "clusters: [: not yaml\n");
        assertFalse(EarlyConnect.sideEffectFree(broken, null));
        assertFalse(EarlyConnect.sideEffectFree(dir.resolve("absent"), null));
        Path exec = Files.writeString(dir.resolve("exec"), execKubeconfig(6443, dir.resolve("ran")));
        assertFalse(EarlyConnect.sideEffectFree(exec, null));
    }

    private static String execKubeconfig(int port, Path marker) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}
                users:
                - name: u
                  user:
                    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: sh, args: ["-c", "touch %s; echo '{}'"]}
                contexts:
                - {name: c, context: {cluster: c, user: u}}
                current-context: c
                """.formatted(port, marker);
    }

    /** Invalid input under an exec credential plugin: the plugin never runs, the API server is never contacted. */
    @Test
    void invalidInputWithAnExecPluginContactsNothing() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = listen(connections)) {
            Path marker = dir.resolve("plugin-ran");
            Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), execKubeconfig(server.getLocalPort(), marker));
            TestRepo repo = TestRepo.withProjectBundles(dir.resolve("repo")).write("environments/env.yaml", "jo_image_tag: 1.0.0\n");
            for (String command : List.of("apply", "diff")) {
                CliResult result = repo.cli(command, "--env", "no-such-env", "--kubeconfig", kubeconfig.toString());
                assertTrue(result.exitCode() != 0 && result.err().contains("no-such-env: no such environment"), result.err());
            }
            Thread.sleep(200);
            assertFalse(Files.exists(marker), "the exec credential plugin ran");
            assertEquals(0, connections.get(), "connections to the API server");
        }
    }

    /** A token user connects early; when the render fails, nothing of that connection outlives the command. */
    @Test
    void anEarlyConnectionEndsWithTheCommand() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = listen(connections)) {
            Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: c
                      cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}
                    users:
                    - name: u
                      user: {token: t}
                    contexts:
                    - {name: c, context: {cluster: c, user: u}}
                    current-context: c
                    """.formatted(server.getLocalPort()));
            assertTrue(EarlyConnect.sideEffectFree(kubeconfig, null));
            TestRepo repo = TestRepo.withProjectBundles(dir.resolve("repo")).write("environments/env.yaml", "jo_image_tag: 1.0.0\n");
            CliResult result = repo.cli("apply", "--env", "no-such-env", "--kubeconfig", kubeconfig.toString());
            assertEquals(1, result.exitCode(), result.err());
            int atReturn = connections.get();
            Thread.sleep(1500);
            assertEquals(atReturn, connections.get(), "a connection made after the command returned");
        }
    }

    /** Accepts and counts connections, answers nothing (a hanging API server). */
    private static ServerSocket listen(AtomicInteger connections) throws Exception {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    connections.incrementAndGet();
                    socket.getInputStream(); // held open, never answered
                } catch (Exception e) {
                    return;
                }
            }
        }, "fake-api-server");
        accept.setDaemon(true);
        accept.start();
        return server;
    }
}

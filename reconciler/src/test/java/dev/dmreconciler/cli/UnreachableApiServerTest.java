package dev.dmreconciler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.TestRepo.CliResult;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An API server nobody listens on: the CLI says so at once, naming the URL and the cause; exit code 2. */
class UnreachableApiServerTest {

    @TempDir
    Path dir;

    @Test
    void applyToADeadApiServerNamesTheServerAndTheCauseAtOnce() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort(); // free again once closed: connections are refused
        }
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: dead
                  cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}
                users:
                - name: u
                  user: {token: not-a-real-token}
                contexts:
                - name: dead
                  context: {cluster: dead, user: u}
                current-context: dead
                """.formatted(port));
        TestRepo repo = TestRepo.withProjectBundles(dir.resolve("repo")).write("environments/env.yaml", "jo_image_tag: 1.0.0\n");
        long renderStarted = System.nanoTime();
        repo.cli("render", "--env", "env");
        long renderMillis = (System.nanoTime() - renderStarted) / 1_000_000;
        long started = System.nanoTime();
        CliResult result = repo.cli("apply", "--env", "env", "--kubeconfig", kubeconfig.toString());
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("[measure] apply to a dead API server reported after " + millis + " ms (render alone: " + renderMillis + " ms): " + result.err().strip());
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().startsWith("error: cannot reach the API server https://127.0.0.1:" + port + ": "), result.err());
        assertTrue(result.err().toLowerCase().contains("connection refused"), result.err());
        assertTrue(!result.err().contains("internal error") && !result.err().contains("not-a-real-token"), result.err());
    }

    @Test
    void aServerThatHangsUpIsReportedAfterOneAttempt() throws Exception {
        java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread hangUp = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (java.net.Socket accepted = socket.accept()) {
                        connections.incrementAndGet();
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            hangUp.setDaemon(true);
            hangUp.start();
            Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - {name: c, cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}}
                    users:
                    - {name: u, user: {token: t}}
                    contexts:
                    - {name: c, context: {cluster: c, user: u}}
                    current-context: c
                    """.formatted(socket.getLocalPort()));
            TestRepo repo = TestRepo.withProjectBundles(dir.resolve("repo")).write("environments/env.yaml", "jo_image_tag: 1.0.0\n");
            CliResult result = repo.cli("apply", "--env", "env", "--kubeconfig", kubeconfig.toString());
            assertEquals(2, result.exitCode(), result.err());
            assertTrue(result.err().startsWith("error: cannot reach the API server https://127.0.0.1:" + socket.getLocalPort()),
                    result.err());
            assertEquals(1, connections.get(), "one attempt, no retries: " + result.err());
        }
    }
}

package dev.dmreconciler.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetching over git's smart HTTP protocol with a token (plain HTTP here; HTTPS adds only TLS), from a minimal git HTTP server started in the test
 * that demands Basic authentication: the token is sent, a wrong one is refused, neither shows in messages.
 */
class GitSourceTokenAuthTest {

    private static final String TOKEN = "ghp_s3cretT0ken";

    @TempDir
    Path dir;
    private HttpServer server;
    private Git git;
    private ObjectId commit;
    private final List<String> users = new CopyOnWriteArrayList<>();

    @BeforeEach
    void serve() throws Exception {
        git = Git.init().setDirectory(dir.resolve("work").toFile()).setInitialBranch("main").call();
        Files.writeString(dir.resolve("work/env.yaml"), "jo_image_tag: 2.0.0\n");
        git.add().addFilepattern(".").call();
        PersonIdent author = new PersonIdent("Test", "test@example.org");
        commit = git.commit().setMessage("env").setAuthor(author).setCommitter(author).call().getId();

        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/environments.git/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        git.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString(("x-access-token:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        if (authorization != null) {
            users.add(new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8).split(":")[0]);
        }
        if (!expected.equals(authorization)) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
            return;
        }
        String path = exchange.getRequestURI().getPath();
        UploadPack upload = new UploadPack(git.getRepository());
        upload.setBiDirectionalPipe(false);
        if (path.endsWith("/info/refs")) {
            exchange.getResponseHeaders().add("Content-Type", "application/x-git-upload-pack-advertisement");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                PacketLineOut lines = new PacketLineOut(out);
                lines.writeString("# service=git-upload-pack\n");
                lines.end();
                upload.sendAdvertisedRefs(new RefAdvertiser.PacketLineOutRefAdvertiser(lines));
            }
        } else {
            // read the request first: upload-pack drains its input to the end, which a keep-alive socket never reaches
            boolean gzip = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"));
            byte[] request = (gzip ? new java.util.zip.GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody())
                    .readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/x-git-upload-pack-result");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                upload.upload(new java.io.ByteArrayInputStream(request), out, null);
            }
        }
        exchange.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/environments.git";
    }

    @Test
    void theTokenIsSentAndTheFetchWorks() {
        try (GitSource source = new GitSource(url(), dir.resolve("cache"), new GitAuth("x-access-token", TOKEN, null, null))) {
            assertEquals(commit, source.fetch("branch", "main"));
            assertTrue(users.contains("x-access-token"), users.toString());
        }
    }

    @Test
    void aWrongTokenIsRefusedAndNotShown() {
        try (GitSource source = new GitSource(url(), dir.resolve("cache"), new GitAuth("x-access-token", "wrong-token", null, null))) {
            GitSource.GitException e = assertThrows(GitSource.GitException.class, () -> source.fetch("branch", "main"));
            assertFalse(e.getMessage().contains("wrong-token"), e.getMessage());
            assertTrue(e.getMessage().contains("not authorized") || e.getMessage().contains("Authentication"), e.getMessage());
        }
    }

    @Test
    void withoutATokenTheServerRefuses() {
        try (GitSource source = new GitSource(url(), dir.resolve("cache"), GitAuth.NONE)) {
            assertThrows(GitSource.GitException.class, () -> source.fetch("branch", "main"));
        }
    }
}

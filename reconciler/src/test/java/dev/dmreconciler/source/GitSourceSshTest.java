package dev.dmreconciler.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.UploadPack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetching over SSH with a private key (JGit's Apache MINA transport), from an SSH server started in the test
 * that serves git-upload-pack of a local repository, with strict host-key checking against a known_hosts file.
 */
class GitSourceSshTest {

    @TempDir
    Path dir;
    private SshServer server;
    private Git git;
    private ObjectId commit;
    private KeyPair clientKey;
    private Path knownHosts;

    @BeforeEach
    void serveRepositoryOverSsh() throws Exception {
        git = Git.init().setDirectory(dir.resolve("work").toFile()).setInitialBranch("main").call();
        Files.writeString(dir.resolve("work/env.yaml"), "jo_image_tag: 1.0.0\n");
        git.add().addFilepattern(".").call();
        PersonIdent author = new PersonIdent("Test", "test@example.org");
        commit = git.commit().setMessage("env").setAuthor(author).setCommitter(author).call().getId();

        clientKey = keyPair();
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(dir.resolve("host-key")));
        server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, clientKey.getPublic()));
        server.setCommandFactory((channel, command) -> new UploadPackCommand(git.getRepository()));
        server.start();

        PublicKey hostKey = server.getKeyPairProvider().loadKeys(null).iterator().next().getPublic();
        knownHosts = Files.writeString(dir.resolve("known_hosts"),
                "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(hostKey) + "\n");
    }

    @AfterEach
    void stop() throws IOException {
        server.stop(true);
        git.close();
    }

    private String url() {
        return "ssh://git@127.0.0.1:" + server.getPort() + "/environments.git";
    }

    @Test
    void fetchesWithTheConfiguredKey() throws Exception {
        Path keyFile = writePrivateKey(clientKey, "id_test");
        try (GitSource source = new GitSource(url(), dir.resolve("cache"), new GitAuth("git", null, keyFile, knownHosts))) {
            assertEquals(commit, source.fetch("branch", "main"));
            try (GitTree tree = source.tree(commit)) {
                assertEquals("jo_image_tag: 1.0.0\n", new String(tree.read("env.yaml").orElseThrow(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void anotherKeyIsRefused() throws Exception {
        Path wrongKey = writePrivateKey(keyPair(), "id_other");
        try (GitSource source = new GitSource(url(), dir.resolve("cache"), new GitAuth("git", null, wrongKey, knownHosts))) {
            GitSource.GitException e = assertThrows(GitSource.GitException.class, () -> source.fetch("branch", "main"));
            assertTrue(e.getMessage().contains("git fetch of ssh://***@127.0.0.1:" + server.getPort()), e.getMessage());
        }
    }

    @Test
    void anUnknownHostKeyIsRefused() throws Exception {
        Path keyFile = writePrivateKey(clientKey, "id_test");
        Path emptyKnownHosts = Files.writeString(dir.resolve("empty_known_hosts"), "");
        try (GitSource source = new GitSource(url(), dir.resolve("cache"), new GitAuth("git", null, keyFile, emptyKnownHosts))) {
            assertThrows(GitSource.GitException.class, () -> source.fetch("branch", "main"));
        }
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private Path writePrivateKey(KeyPair pair, String name) throws Exception {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "test", null, out);
        }
        return file;
    }

    /** Serves git-upload-pack of one repository, whatever path the client asks for. */
    private static final class UploadPackCommand implements Command {
        private final Repository repository;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        UploadPackCommand(Repository repository) {
            this.repository = repository;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment environment) {
            new Thread(() -> {
                try {
                    new UploadPack(repository).upload(in, out, err);
                    out.flush();
                    exit.onExit(0);
                } catch (IOException e) {
                    exit.onExit(1, e.getMessage());
                }
            }, "upload-pack").start();
        }

        @Override
        public void destroy(ChannelSession channel) {
            // the upload thread ends with its streams
        }
    }
}

package dev.dmreconciler.source;

import dev.dmreconciler.resource.Digests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * The configuration repository as the long-running reconciler sees it: a bare clone (no working tree) in a
 * cache directory, fetched incrementally, read commit by commit through {@link GitTree}. URLs are shown
 * only {@link #redact redacted}: a token in a URL never reaches logs or status.
 */
public final class GitSource implements AutoCloseable {

    private final String url;
    private final Path directory;
    private final GitAuth auth;
    private Git git;
    private SshdSessionFactory sshFactory;

    public GitSource(String url, Path cacheDir, GitAuth auth) {
        this.url = url;
        this.directory = cacheDir.resolve(Digests.sha256(url, 16) + ".git");
        this.auth = auth;
    }

    /** The URL with any user:password@ removed. */
    public static String redact(String url) {
        return url == null ? null : url.replaceAll("(?<=://)[^/@]+@", "***@");
    }

    public String displayUrl() {
        return redact(url);
    }

    /**
     * Fetches (cloning on first use) and resolves the reference to a commit.
     *
     * @param kind  "branch", "tag" or "commit"
     * @throws GitException naming the redacted URL and the reference
     */
    /** Connect and read timeout of a fetch: a remote that stops answering cannot hold the fetch (or a shutdown). */
    static final int TIMEOUT_SECONDS = 20;

    public synchronized ObjectId fetch(String kind, String name) {
        try {
            if (git == null) {
                git = openOrClone();
            }
            authenticate(git.fetch().setRemote("origin").setRemoveDeletedRefs(true).setTimeout(TIMEOUT_SECONDS)
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"))).call();
            return resolve(git.getRepository(), kind, name);
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw new GitException("git fetch of " + redact(url) + " (" + kind + " " + name + ") failed: "
                    + redact(String.valueOf(e.getMessage())), e);
        }
    }

    /** A view of one fetched commit; the repository stays open (owned by this source). */
    public synchronized GitTree tree(ObjectId commit) throws IOException {
        return GitTree.of(git.getRepository(), commit);
    }

    /**
     * The bare repository, created on first use as init + remote rather than a clone: a clone starts JGit's
     * background auto-gc, which the cache does not want (gc.auto is off; fetches keep it small enough).
     */
    private Git openOrClone() throws GitAPIException, IOException {
        if (!Files.isDirectory(directory.resolve("objects"))) {
            Files.createDirectories(directory.getParent());
            Path partial = Files.createTempDirectory(directory.getParent(), "init-");
            try (Git created = Git.init().setBare(true).setDirectory(partial.toFile()).call()) {
                var config = created.getRepository().getConfig();
                config.setInt("gc", null, "auto", 0);
                config.setBoolean("gc", null, "autoDetach", false);
                config.setString("remote", "origin", "url", url);
                config.save();
            }
            Files.move(partial, directory); // a half-made cache never looks like a repository
        }
        return Git.open(directory.toFile());
    }

    private static ObjectId resolve(Repository repository, String kind, String name) throws IOException {
        String revision = switch (kind) {
            case "branch" -> "refs/heads/" + name;
            case "tag" -> "refs/tags/" + name + "^{commit}";
            case "commit" -> name + "^{commit}";
            default -> throw new IllegalArgumentException("unknown reference kind " + kind);
        };
        ObjectId id = repository.resolve(revision);
        if (id == null) {
            throw new IllegalArgumentException("no " + kind + " '" + name + "' in the repository");
        }
        try (RevWalk walk = new RevWalk(repository)) {
            return walk.parseCommit(id).getId();
        }
    }

    private <C extends TransportCommand<C, ?>> C authenticate(C command) {
        if (auth.token() != null) {
            command.setCredentialsProvider(new UsernamePasswordCredentialsProvider(auth.username(), auth.token()));
        }
        if (auth.sshKey() != null) {
            command.setTransportConfigCallback(transport -> {
                if (transport instanceof SshTransport ssh) {
                    ssh.setSshSessionFactory(sshFactory());
                }
            });
        }
        return command;
    }

    private synchronized SshdSessionFactory sshFactory() {
        if (sshFactory == null) {
            Path home = Path.of(System.getProperty("user.home"));
            SshdSessionFactoryBuilder builder = new SshdSessionFactoryBuilder()
                    .setHomeDirectory(home.toFile())
                    .setSshDirectory(home.resolve(".ssh").toFile())
                    .setDefaultIdentities(sshDir -> List.of(auth.sshKey()));
            if (auth.knownHosts() != null) {
                builder.setDefaultKnownHostsFiles(sshDir -> List.of(auth.knownHosts()));
            }
            sshFactory = builder.build(null);
        }
        return sshFactory;
    }

    @Override
    public synchronized void close() {
        if (git != null) {
            git.close();
        }
        if (sshFactory != null) {
            sshFactory.close();
        }
    }

    /** Fetching or resolving failed; the message is safe to log (credentials redacted). */
    public static final class GitException extends RuntimeException {
        GitException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

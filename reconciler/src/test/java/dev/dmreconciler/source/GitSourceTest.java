package dev.dmreconciler.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bare-clone cache: first fetch, incremental fetch, references, and credentials never shown. */
class GitSourceTest {

    private static final PersonIdent AUTHOR = new PersonIdent("Test", "test@example.org");

    @TempDir
    Path dir;

    @Test
    void credentialsInUrlsAreRedacted() {
        assertEquals("https://***@git.example.org/env.git", GitSource.redact("https://user:s3cret@git.example.org/env.git"));
        assertEquals("https://***@git.example.org/env.git", GitSource.redact("https://ghp_token@git.example.org/env.git"));
        assertEquals("ssh://***@host/env.git", GitSource.redact("ssh://git@host/env.git"));
        assertEquals("/srv/git/env.git", GitSource.redact("/srv/git/env.git"));
    }

    @Test
    void fetchesIncrementallyAndResolvesBranchesTagsAndCommits() throws Exception {
        Path work = dir.resolve("work");
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call();
             GitSource source = new GitSource(work.toString(), dir.resolve("cache"), GitAuth.NONE)) {
            Files.writeString(work.resolve("a.txt"), "one");
            git.add().addFilepattern(".").call();
            ObjectId first = git.commit().setMessage("1").setAuthor(AUTHOR).setCommitter(AUTHOR).call().getId();
            git.tag().setName("v1").setAnnotated(true).setMessage("v1").setTagger(AUTHOR).call();

            assertEquals(first, source.fetch("branch", "main"));
            Files.writeString(work.resolve("a.txt"), "two");
            git.add().addFilepattern(".").call();
            ObjectId second = git.commit().setMessage("2").setAuthor(AUTHOR).setCommitter(AUTHOR).call().getId();

            assertEquals(second, source.fetch("branch", "main"), "the next fetch sees the new commit");
            assertEquals(first, source.fetch("tag", "v1"), "an annotated tag resolves to its commit");
            assertEquals(first, source.fetch("commit", first.name()));
            try (GitTree tree = source.tree(first)) {
                assertEquals("one", new String(tree.read("a.txt").orElseThrow(), StandardCharsets.UTF_8));
            }
            try (GitTree tree = source.tree(second)) {
                assertEquals("two", new String(tree.read("a.txt").orElseThrow(), StandardCharsets.UTF_8));
            }
            try (var caches = Files.list(dir.resolve("cache"))) {
                Path cache = caches.findFirst().orElseThrow();
                assertTrue(Files.isDirectory(cache.resolve("objects")), "a bare repository");
                assertFalse(Files.exists(cache.resolve("a.txt")), "no working tree");
            }
        }
    }

    @Test
    void failuresNameTheRedactedUrlAndTheReference() {
        try (GitSource source = new GitSource("https://user:s3cret@127.0.0.1:9/none.git", dir.resolve("cache"), GitAuth.NONE)) {
            GitSource.GitException e = assertThrows(GitSource.GitException.class, () -> source.fetch("branch", "main"));
            assertTrue(e.getMessage().contains("https://***@127.0.0.1:9/none.git"), e.getMessage());
            assertTrue(e.getMessage().contains("branch main"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        }
    }
}

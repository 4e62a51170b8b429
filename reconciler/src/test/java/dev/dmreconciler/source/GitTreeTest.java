package dev.dmreconciler.source;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A commit read from the object database: right revision, right content, nothing outside the repository. */
class GitTreeTest {

    private static final PersonIdent AUTHOR = new PersonIdent("Test", "test@example.com");

    @TempDir
    Path dir;
    private Path work;
    private RevCommit first;
    private RevCommit second;

    /** First commit: v1 files plus old.txt. Second: two files changed, templates/sub added, old.txt deleted. */
    @BeforeEach
    void setUp() throws Exception {
        work = dir.resolve("work");
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            write("README.md", "readme v1");
            write("environments/dev.yaml", "dev: 1");
            write("environments/prod.yaml", "prod: 1");
            write("templates/a.ftl", "a");
            write("old.txt", "old");
            first = commit(git, "first");
            git.tag().setName("v1").setAnnotated(true).setMessage("release 1").setTagger(AUTHOR)
                    .setSigned(false).setObjectId(first).call();

            write("README.md", "readme v2");
            write("environments/dev.yaml", "dev: 2");
            write("templates/sub/b.ftl", "b");
            Files.delete(work.resolve("old.txt"));
            second = commit(git, "second");
        }
    }

    @Test
    void readsTheRequestedRevision() throws IOException {
        for (String head : List.of("main", "HEAD", "refs/heads/main", second.name())) {
            try (GitTree tree = GitTree.open(work, head)) {
                assertEquals(second.name(), tree.commitId(), head);
                assertEquals("readme v2", text(tree, "README.md"));
                assertEquals("dev: 2", text(tree, "environments/dev.yaml"));
                assertEquals("prod: 1", text(tree, "environments/prod.yaml"));
                assertEquals("b", text(tree, "templates/sub/b.ftl"));
                assertEquals("b", text(tree, "./templates/sub/./b.ftl"));
                assertEquals(Optional.empty(), tree.read("old.txt"));
            }
        }
        for (String older : List.of("HEAD~1", "main^", first.abbreviate(7).name(), "v1", "refs/tags/v1")) {
            try (GitTree tree = GitTree.open(work, older)) {
                assertEquals(first.name(), tree.commitId(), older);
                assertEquals("readme v1", text(tree, "README.md"));
                assertEquals("dev: 1", text(tree, "environments/dev.yaml"));
                assertEquals("old", text(tree, "old.txt"));
                assertEquals(Optional.empty(), tree.read("templates/sub/b.ftl"));
            }
        }
    }

    @Test
    void annotatedTagIsPeeledToItsCommit() throws Exception {
        try (Git git = Git.open(work.toFile()); GitTree tree = GitTree.open(work, "v1")) {
            Ref tag = git.getRepository().exactRef("refs/tags/v1");
            assertNotEquals(first.getId(), tag.getObjectId(), "tag must be an annotated tag object");
            assertEquals(first.name(), tree.commitId());
        }
    }

    @Test
    void listsDirectChildrenAtEachRevision() throws IOException {
        try (GitTree tree = GitTree.open(work, "main")) {
            assertEquals(List.of("dev.yaml", "prod.yaml"), tree.listFiles("environments"));
            assertEquals(List.of(), tree.listDirectories("environments"));
            assertEquals(List.of("a.ftl"), tree.listFiles("templates"));
            assertEquals(List.of("sub"), tree.listDirectories("templates"));
            assertEquals(List.of("b.ftl"), tree.listFiles("templates/sub"));
            assertEquals(List.of("README.md"), tree.listFiles("."));
            assertEquals(List.of("environments", "templates"), tree.listDirectories("."));
        }
        try (GitTree tree = GitTree.open(work, "HEAD~1")) {
            assertEquals(List.of("dev.yaml", "prod.yaml"), tree.listFiles("environments"));
            assertEquals(List.of("a.ftl"), tree.listFiles("templates"));
            assertEquals(List.of(), tree.listDirectories("templates"));
            assertEquals(List.of(), tree.listFiles("templates/sub"));
            assertEquals(List.of("README.md", "old.txt"), tree.listFiles("."));
        }
    }

    @Test
    void aDirectorysIdChangesExactlyWhenSomethingUnderItChanges() throws Exception {
        try (GitTree second = GitTree.open(work, "main"); GitTree first = GitTree.open(work, "HEAD~1")) {
            assertNotEquals(first.directoryId("templates"), second.directoryId("templates"), "templates/sub/b.ftl added");
            assertNotEquals(first.directoryId("environments"), second.directoryId("environments"), "dev.yaml changed");
            assertTrue(second.directoryId("templates").isPresent());
            assertEquals(Optional.empty(), second.directoryId("crds"), "absent");
            assertEquals(Optional.empty(), second.directoryId("README.md"), "a file is not a directory");
        }
        try (Git git = Git.open(work.toFile())) {
            write("README.md", "readme v3");
            write("environments/prod.yaml", "prod: 3");
            commit(git, "third: no template changed");
        }
        try (GitTree third = GitTree.open(work, "main"); GitTree second = GitTree.open(work, "HEAD~1")) {
            assertEquals(second.directoryId("templates"), third.directoryId("templates"));
            assertEquals(second.directoryId("templates/sub"), third.directoryId("templates/sub"));
            assertNotEquals(second.directoryId("environments"), third.directoryId("environments"));
        }
    }

    @Test
    void missingPathsAndDirectoriesAreAbsent() throws IOException {
        try (GitTree tree = GitTree.open(work, "main")) {
            assertEquals(Optional.empty(), tree.read("nope.txt"));
            assertEquals(Optional.empty(), tree.read("environments/nope.yaml"));
            assertEquals(Optional.empty(), tree.read("environments"));
            assertEquals(Optional.empty(), tree.read("."));
            assertEquals(Optional.empty(), tree.read("README.md/child"));
            assertEquals(List.of(), tree.listFiles("nope"));
            assertEquals(List.of(), tree.listDirectories("nope"));
            assertEquals(List.of(), tree.listFiles("README.md"));
        }
    }

    @Test
    void symbolicLinksAreNeverFollowed() throws Exception {
        Files.createSymbolicLink(work.resolve("hostname"), Path.of("/etc/hostname"));
        Files.createSymbolicLink(work.resolve("envs"), Path.of("environments"));
        RevCommit withLinks;
        try (Git git = Git.open(work.toFile())) {
            withLinks = commit(git, "links");
            for (String link : List.of("hostname", "envs")) {
                try (TreeWalk walk = TreeWalk.forPath(git.getRepository(), link, withLinks.getTree())) {
                    assertEquals(FileMode.SYMLINK, walk.getFileMode(0), link + " must be committed as a symlink");
                }
            }
        }
        Files.delete(work.resolve("hostname"));
        Files.delete(work.resolve("envs"));
        try (GitTree tree = GitTree.open(work, withLinks.name())) {
            assertEquals("readme v2", text(tree, "README.md"));
            assertEquals(Optional.empty(), tree.read("hostname"));
            assertEquals(Optional.empty(), tree.read("envs"));
            assertEquals(Optional.empty(), tree.read("envs/dev.yaml"));
            assertEquals(List.of(), tree.listFiles("envs"));
            assertEquals(List.of("README.md"), tree.listFiles("."));
            assertEquals(List.of("environments", "templates"), tree.listDirectories("."));
        }
    }

    @Test
    void executablesAreFilesButGitlinksAreNothing() throws Exception {
        try (Git git = Git.open(work.toFile()); ObjectInserter inserter = git.getRepository().newObjectInserter()) {
            TreeFormatter sub = new TreeFormatter();
            sub.append("inner.txt", FileMode.REGULAR_FILE, inserter.insert(Constants.OBJ_BLOB, "inner".getBytes(UTF_8)));
            TreeFormatter root = new TreeFormatter();
            root.append("dir", FileMode.TREE, inserter.insert(sub));
            root.append("module", FileMode.GITLINK, first);
            root.append("plain.txt", FileMode.REGULAR_FILE, inserter.insert(Constants.OBJ_BLOB, "plain".getBytes(UTF_8)));
            root.append("run.sh", FileMode.EXECUTABLE_FILE, inserter.insert(Constants.OBJ_BLOB, "#!/bin/sh".getBytes(UTF_8)));
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(inserter.insert(root));
            commit.setAuthor(AUTHOR);
            commit.setCommitter(AUTHOR);
            commit.setMessage("modes");
            ObjectId commitId = inserter.insert(commit);
            inserter.flush();

            try (GitTree tree = GitTree.of(git.getRepository(), commitId)) {
                assertEquals(commitId.name(), tree.commitId());
                assertEquals("#!/bin/sh", text(tree, "run.sh"));
                assertEquals("inner", text(tree, "dir/inner.txt"));
                assertEquals(Optional.empty(), tree.read("module"));
                assertEquals(Optional.empty(), tree.read("module/README.md"));
                assertEquals(List.of("plain.txt", "run.sh"), tree.listFiles("."));
                assertEquals(List.of("dir"), tree.listDirectories("."));
                assertEquals(List.of(), tree.listFiles("module"));
            }
        }
    }

    @Test
    void bareCloneReadsTheSameCommits() throws Exception {
        // Pushed rather than cloned: a clone starts a background auto-gc that races the @TempDir cleanup.
        Path bare = dir.resolve("bare.git");
        try (Git remote = Git.init().setDirectory(bare.toFile()).setBare(true).call();
                Git git = Git.open(work.toFile())) {
            remote.getRepository().getConfig().setBoolean("receive", null, "autogc", false);
            remote.getRepository().getConfig().save();
            git.push().setRemote(bare.toUri().toString()).setPushAll().setPushTags().call();
        }
        assertFalse(Files.exists(bare.resolve("README.md")), "a bare clone has no working tree");

        try (GitTree tree = GitTree.open(bare, "main")) {
            assertEquals(second.name(), tree.commitId());
            assertEquals("dev: 2", text(tree, "environments/dev.yaml"));
            assertEquals(List.of("sub"), tree.listDirectories("templates"));
            assertEquals(bare.toString() + "@" + second.name().substring(0, 12), tree.describe());
        }
        try (GitTree tree = GitTree.open(bare, "v1")) {
            assertEquals(first.name(), tree.commitId());
            assertEquals("old", text(tree, "old.txt"));
        }
    }

    @Test
    void describeNamesRepositoryAndShortCommit() throws IOException {
        try (GitTree tree = GitTree.open(work, "HEAD~1")) {
            assertTrue(tree.commitId().matches("[0-9a-f]{40}"), tree.commitId());
            assertEquals(work.toString() + "@" + first.name().substring(0, 12), tree.describe());
        }
    }

    @Test
    void unknownRevisionsAreRejectedByName() {
        for (String revision : List.of("no-such-branch", "HEAD~5", "0123456789abcdef0123456789abcdef01234567",
                "HEAD:README.md")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GitTree.open(work, revision));
            assertTrue(e.getMessage().contains(revision), e.getMessage());
            assertTrue(e.getMessage().contains(work.toString()), e.getMessage());
        }
        Path notARepository = dir.resolve("plain");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GitTree.open(Files.createDirectories(notARepository), "main"));
        assertTrue(e.getMessage().contains(notARepository.toString()), e.getMessage());
    }

    @Test
    void pathsLeavingTheRepositoryAreRejected() throws IOException {
        try (GitTree tree = GitTree.open(work, "main")) {
            for (String path : List.of("..", "../work/README.md", "environments/../../README.md", "/etc/hostname", "")) {
                assertThrows(IllegalArgumentException.class, () -> tree.read(path), path);
                assertThrows(IllegalArgumentException.class, () -> tree.listFiles(path), path);
                assertThrows(IllegalArgumentException.class, () -> tree.listDirectories(path), path);
            }
        }
    }

    private void write(String path, String content) throws IOException {
        Path file = work.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static RevCommit commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        return git.commit().setMessage(message).setAuthor(AUTHOR).setCommitter(AUTHOR).setSign(false).call();
    }

    private static String text(RepoTree tree, String path) throws IOException {
        return new String(tree.read(path).orElseThrow(() -> new AssertionError(path + " is absent")), UTF_8);
    }
}

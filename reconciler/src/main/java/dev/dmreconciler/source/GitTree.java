package dev.dmreconciler.source;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntPredicate;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.FS;

/**
 * One git commit, read straight from the object database: no checkout, so it works on bare
 * repositories and never sees uncommitted changes. Only regular and executable files are readable;
 * symbolic links are never followed (their target could be anywhere) and submodules are not part of
 * the tree, so both count as absent.
 *
 * <p>Safe for concurrent reads: every call uses its own {@link ObjectReader}, which JGit does not
 * allow to be shared between threads.
 */
public final class GitTree implements RepoTree, AutoCloseable {

    private final Repository repository;
    private final boolean ownsRepository;
    private final ObjectId commitId;
    private final ObjectId treeId;
    private final String commitMessage;

    private GitTree(Repository repository, boolean ownsRepository, RevCommit commit) {
        this.repository = repository;
        this.ownsRepository = ownsRepository;
        this.commitId = commit.copy();
        this.treeId = commit.getTree().copy();
        this.commitMessage = commit.getFullMessage();
    }

    /**
     * Opens a repository (a working-tree repository or a bare one) at a revision.
     *
     * @param revision anything {@link Repository#resolve} accepts; tags are peeled to their commit
     * @throws IllegalArgumentException if the directory is not a repository or the revision does not
     *     name a commit in it
     */
    public static GitTree open(Path repositoryDir, String revision) throws IOException {
        Objects.requireNonNull(revision, "revision");
        File gitDir = RepositoryCache.FileKey.resolve(repositoryDir.toFile(), FS.DETECTED);
        if (gitDir == null) {
            throw new IllegalArgumentException(repositoryDir + " is not a git repository");
        }
        Repository repository = new FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build();
        try {
            return new GitTree(repository, true, commit(repository, resolve(repository, revision), revision));
        } catch (IOException | RuntimeException e) {
            repository.close();
            throw e;
        }
    }

    /**
     * A commit of a repository the caller already holds; {@link #close()} leaves the repository open.
     *
     * @throws IllegalArgumentException if the object is missing or does not peel to a commit
     */
    public static GitTree of(Repository repository, ObjectId commitId) throws IOException {
        return new GitTree(repository, false, commit(repository, commitId, commitId.name()));
    }

    /** The commit's message (the prune budget's override marker is read from it). */
    public String commitMessage() {
        return commitMessage;
    }

    /** The full SHA-1 of the commit. */
    public String commitId() {
        return commitId.name();
    }

    @Override
    public String describe() {
        return location(repository) + "@" + commitId.abbreviate(12).name();
    }

    @Override
    public Optional<byte[]> read(String path) throws IOException {
        try (ObjectReader reader = repository.newObjectReader()) {
            Entry entry = find(reader, RepoTree.normalize(path));
            return entry != null && isFile(entry.mode())
                    ? Optional.of(reader.open(entry.id(), Constants.OBJ_BLOB).getBytes(Integer.MAX_VALUE))
                    : Optional.empty();
        }
    }

    /**
     * The git id of a directory's tree, or empty when there is none: it changes whenever anything under the
     * directory changes, so it names the directory's content (a template engine is reused while it stays the same).
     */
    public Optional<String> directoryId(String directory) throws IOException {
        try (ObjectReader reader = repository.newObjectReader()) {
            Entry entry = find(reader, RepoTree.normalize(directory));
            return entry != null && (entry.mode() & FileMode.TYPE_MASK) == FileMode.TYPE_TREE
                    ? Optional.of(entry.id().name()) : Optional.empty();
        }
    }

    @Override
    public List<String> listFiles(String directory) throws IOException {
        return list(directory, GitTree::isFile);
    }

    @Override
    public List<String> listDirectories(String directory) throws IOException {
        return list(directory, mode -> (mode & FileMode.TYPE_MASK) == FileMode.TYPE_TREE);
    }

    @Override
    public void close() {
        if (ownsRepository) {
            repository.close();
        }
    }

    private List<String> list(String directory, IntPredicate kind) throws IOException {
        try (ObjectReader reader = repository.newObjectReader(); TreeWalk walk = new TreeWalk(reader)) {
            Entry entry = find(reader, RepoTree.normalize(directory));
            if (entry == null || (entry.mode() & FileMode.TYPE_MASK) != FileMode.TYPE_TREE) {
                return List.of();
            }
            walk.addTree(entry.id());
            List<String> names = new ArrayList<>();
            while (walk.next()) {
                if (kind.test(walk.getRawMode(0))) {
                    names.add(walk.getNameString());
                }
            }
            // Git orders a directory "a" as "a/", after "a.b"; callers expect plain name order.
            return names.stream().sorted().toList();
        }
    }

    /** The entry at a normalized path ("" is the root), or null. Never descends through links. */
    private Entry find(ObjectReader reader, String path) throws IOException {
        if (path.isEmpty()) {
            return new Entry(FileMode.TYPE_TREE, treeId);
        }
        try (TreeWalk walk = TreeWalk.forPath(reader, path, treeId)) {
            return walk == null ? null : new Entry(walk.getRawMode(0), walk.getObjectId(0));
        }
    }

    /** Regular or executable file; symbolic links and gitlinks have different type bits. */
    private static boolean isFile(int mode) {
        return (mode & FileMode.TYPE_MASK) == FileMode.TYPE_FILE;
    }

    private static ObjectId resolve(Repository repository, String revision) throws IOException {
        ObjectId id;
        try {
            id = repository.resolve(revision);
        } catch (RevisionSyntaxException | AmbiguousObjectException e) {
            throw new IllegalArgumentException(
                    "cannot resolve revision '" + revision + "' in " + location(repository) + ": " + e.getMessage(), e);
        }
        if (id == null) {
            throw new IllegalArgumentException("revision '" + revision + "' not found in " + location(repository));
        }
        return id;
    }

    /** Parses the commit, peeling annotated tags. */
    private static RevCommit commit(Repository repository, ObjectId id, String revision) throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            return walk.parseCommit(id);
        } catch (MissingObjectException | IncorrectObjectTypeException e) {
            throw new IllegalArgumentException(
                    "revision '" + revision + "' is not a commit in " + location(repository), e);
        }
    }

    private static String location(Repository repository) {
        File dir = repository.isBare() ? repository.getDirectory() : repository.getWorkTree();
        return dir != null ? dir.getPath() : repository.toString();
    }

    private record Entry(int mode, ObjectId id) {}
}

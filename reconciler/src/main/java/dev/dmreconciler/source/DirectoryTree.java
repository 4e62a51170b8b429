package dev.dmreconciler.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A repository checked out in a directory. Symbolic links that point outside it are not followed. */
public final class DirectoryTree implements RepoTree {

    private final Path root;

    public DirectoryTree(Path root) {
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("repository directory " + root + " does not exist", e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public Optional<byte[]> read(String path) throws IOException {
        Path file = resolve(path);
        return file != null && Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    @Override
    public List<String> listFiles(String directory) throws IOException {
        return list(directory, Files::isRegularFile);
    }

    @Override
    public List<String> listDirectories(String directory) throws IOException {
        return list(directory, Files::isDirectory);
    }

    private List<String> list(String directory, Predicate<Path> kind) throws IOException {
        Path dir = resolve(directory);
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> inside(p) && kind.test(p))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Resolves a path, or null when it (through a link) points outside the repository. */
    private Path resolve(String path) throws IOException {
        Path resolved = root.resolve(RepoTree.normalize(path));
        return Files.exists(resolved) && inside(resolved) ? resolved : null;
    }

    private boolean inside(Path path) {
        try {
            return path.toRealPath().startsWith(root);
        } catch (IOException e) {
            return false;
        }
    }
}

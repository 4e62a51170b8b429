package dev.dmreconciler.source;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of the configuration repository: a working directory, or one git commit read
 * straight from the object database. Paths are repository-relative with '/' separators and can never
 * leave the repository (".." and absolute paths are rejected).
 */
public interface RepoTree {

    /** Human-readable description of where the tree comes from (a directory, a commit). */
    String describe();

    /** Contents of a file, or empty if there is no such file. */
    Optional<byte[]> read(String path) throws IOException;

    /** Names of the files (not directories) directly inside a directory, sorted; empty if absent. */
    List<String> listFiles(String directory) throws IOException;

    /** Names of the directories directly inside a directory, sorted; empty if absent. */
    List<String> listDirectories(String directory) throws IOException;

    /**
     * Normalizes a repository-relative path, refusing anything that would leave the repository.
     *
     * @throws IllegalArgumentException for absolute paths, "..", backslashes or empty segments
     */
    static String normalize(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains(":")) {
            throw new IllegalArgumentException("path '" + path + "' is not a relative path inside the repository");
        }
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".")) {
                continue;
            }
            if (segment.isEmpty() || segment.equals("..")) {
                throw new IllegalArgumentException("path '" + path + "' leaves the repository or is malformed");
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(segment);
        }
        return out.toString();
    }
}

package dev.dmreconciler.source;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tree with some files replaced in memory: "the repository as it would be after this edit", rendered and
 * compared without touching the disk (promote without --write).
 */
public final class OverlayTree implements RepoTree {

    private final RepoTree base;
    private final Map<String, byte[]> replaced;

    public OverlayTree(RepoTree base, Map<String, byte[]> replaced) {
        this.base = base;
        this.replaced = Map.copyOf(replaced);
    }

    @Override
    public String describe() {
        return base.describe() + " (edited: " + String.join(", ", replaced.keySet()) + ")";
    }

    @Override
    public Optional<byte[]> read(String path) throws IOException {
        byte[] content = replaced.get(RepoTree.normalize(path));
        return content != null ? Optional.of(content) : base.read(path);
    }

    @Override
    public List<String> listFiles(String directory) throws IOException {
        return base.listFiles(directory); // only existing files are replaced, so listings do not change
    }

    @Override
    public List<String> listDirectories(String directory) throws IOException {
        return base.listDirectories(directory);
    }
}

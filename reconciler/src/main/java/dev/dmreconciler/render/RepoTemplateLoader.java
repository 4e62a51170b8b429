package dev.dmreconciler.render;

import dev.dmreconciler.source.RepoTree;
import freemarker.cache.TemplateLoader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Serves templates from the repository tree, and only from the bundle folders (templates/, crds/, rbac/):
 * an include can reach neither the file system outside the repository nor the environment files.
 */
final class RepoTemplateLoader implements TemplateLoader {

    static final List<String> TEMPLATE_ROOTS = List.of("templates/", "crds/", "rbac/");

    private final RepoTree tree;

    RepoTemplateLoader(RepoTree tree) {
        this.tree = tree;
    }

    @Override
    public Object findTemplateSource(String name) throws IOException {
        String path;
        try {
            path = RepoTree.normalize(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (TEMPLATE_ROOTS.stream().noneMatch(path::startsWith)) {
            return null;
        }
        return tree.read(path).map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse(null);
    }

    @Override
    public long getLastModified(Object templateSource) {
        return -1; // a tree is immutable for the life of one engine
    }

    @Override
    public Reader getReader(Object templateSource, String encoding) {
        return new StringReader((String) templateSource);
    }

    @Override
    public void closeTemplateSource(Object templateSource) {
        // nothing to close: sources are strings
    }
}

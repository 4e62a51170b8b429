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
 * an include can reach neither the file system outside the repository nor the environment files. The shared
 * macro folder {@code templates/_lib/} is also reachable as {@code /lib/}, so any bundle can write
 * {@code <#import "/lib/labels.ftl" as labels>} without climbing out of its folder.
 */
final class RepoTemplateLoader implements TemplateLoader {

    static final List<String> TEMPLATE_ROOTS = List.of("templates/", "crds/", "rbac/");
    /** The name prefix of the shared macro folder (FreeMarker drops the leading "/" of an absolute name). */
    static final String LIB_ALIAS = "lib/";
    static final String LIB_FOLDER = "templates/_lib/";

    private final RepoTree tree;

    RepoTemplateLoader(RepoTree tree) {
        this.tree = tree;
    }

    @Override
    public Object findTemplateSource(String name) throws IOException {
        String path;
        try {
            path = repoPath(RepoTree.normalize(name));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (TEMPLATE_ROOTS.stream().noneMatch(path::startsWith)) {
            return null;
        }
        return tree.read(path).map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse(null);
    }

    /** The repository path of a template name: {@code lib/x.ftl} is {@code templates/_lib/x.ftl}. */
    static String repoPath(String name) {
        return name.startsWith(LIB_ALIAS) ? LIB_FOLDER + name.substring(LIB_ALIAS.length()) : name;
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

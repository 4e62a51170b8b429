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
        try {
            return tree.read(path).map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse(null);
        } catch (IOException | RuntimeException e) {
            throw new ReadFailed(path, e);
        }
    }

    /**
     * Reading a template file failed (not: it is missing or does not parse). FreeMarker keeps a failed load in its
     * template cache and answers every later use of that name with it; engines live as long as their template
     * files ({@link WarmTemplates}), so {@link TemplateEngine} drops its cache when a render failed with this.
     */
    static final class ReadFailed extends IOException {
        ReadFailed(String path, Exception cause) {
            super("cannot read " + path + ": " + cause.getMessage(), cause);
        }

        /** The failed read of a template file that caused a failure, if one did. */
        static java.util.Optional<ReadFailed> in(Throwable failure) {
            for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
                if (t instanceof ReadFailed read) {
                    return java.util.Optional.of(read);
                }
            }
            return java.util.Optional.empty();
        }
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

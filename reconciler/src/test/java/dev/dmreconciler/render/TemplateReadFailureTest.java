package dev.dmreconciler.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.source.DirectoryTree;
import dev.dmreconciler.source.RepoTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine lives as long as its template files ({@link WarmTemplates}): a read of a template file that failed once
 * (an I/O error of the git object database) must not fail every later render, while a missing template or a syntax
 * error fails every time with the same message.
 */
class TemplateReadFailureTest {

    @TempDir
    Path dir;

    /** The repository, with the first read of each path in {@code failOnce} failing. */
    private static final class FlakyTree implements RepoTree {
        private final RepoTree files;
        private final Set<String> failOnce = ConcurrentHashMap.newKeySet();
        private final RuntimeException unchecked;

        FlakyTree(RepoTree files, RuntimeException unchecked, String... failOnce) {
            this.files = files;
            this.unchecked = unchecked;
            this.failOnce.addAll(List.of(failOnce));
        }

        @Override
        public String describe() {
            return files.describe();
        }

        @Override
        public Optional<byte[]> read(String path) throws IOException {
            if (failOnce.remove(path)) {
                if (unchecked != null) {
                    throw unchecked;
                }
                throw new IOException("pack file busy");
            }
            return files.read(path);
        }

        @Override
        public List<String> listFiles(String directory) throws IOException {
            return files.listFiles(directory);
        }

        @Override
        public List<String> listDirectories(String directory) throws IOException {
            return files.listDirectories(directory);
        }
    }

    private RepoTree files() throws IOException {
        Files.createDirectories(dir.resolve("templates/probe"));
        Files.writeString(dir.resolve("templates/probe/main.yaml.ftl"), "a: ${v}\n<#include \"part.ftl\">\n");
        Files.writeString(dir.resolve("templates/probe/part.ftl"), "b: ${v}\n");
        Files.writeString(dir.resolve("templates/probe/broken.yaml.ftl"), "a: 1\nb: ${v\n");
        Files.writeString(dir.resolve("templates/probe/missing-part.yaml.ftl"), "a: 1\n<#include \"nowhere.ftl\">\n");
        return new DirectoryTree(dir);
    }

    private static final Map<String, Object> MODEL = Map.of("v", "x");

    @Test
    void aTemplateWhoseReadFailedOnceRendersOnTheNextRender() throws IOException {
        TemplateEngine engine = new TemplateEngine(new FlakyTree(files(), null, "templates/probe/main.yaml.ftl"));

        TemplateEngine.TemplateError first = assertThrows(TemplateEngine.TemplateError.class,
                () -> engine.render("templates/probe/main.yaml.ftl", MODEL));
        assertEquals("templates/probe/main.yaml.ftl", first.where());
        assertEquals("cannot read templates/probe/main.yaml.ftl: pack file busy", first.getMessage());

        assertEquals("a: x\nb: x\n", engine.render("templates/probe/main.yaml.ftl", MODEL));
        assertEquals("a: x\nb: x\n", engine.render("templates/probe/main.yaml.ftl", MODEL));
    }

    @Test
    void anIncludedTemplateWhoseReadFailedOnceRendersOnTheNextRender() throws IOException {
        TemplateEngine engine = new TemplateEngine(new FlakyTree(files(), new IllegalStateException("repository closed"),
                "templates/probe/part.ftl"));

        TemplateEngine.TemplateError first = assertThrows(TemplateEngine.TemplateError.class,
                () -> engine.render("templates/probe/main.yaml.ftl", MODEL));
        assertEquals("templates/probe/main.yaml.ftl:2", first.where());
        assertTrue(first.getMessage().contains("cannot read templates/probe/part.ftl: repository closed"),
                first.getMessage());

        assertEquals("a: x\nb: x\n", engine.render("templates/probe/main.yaml.ftl", MODEL));
    }

    @Test
    void aSyntaxErrorOrAMissingTemplateFailsEveryTimeTheSameWay() throws IOException {
        TemplateEngine engine = new TemplateEngine(files());
        for (String template : List.of("templates/probe/broken.yaml.ftl", "templates/probe/missing-part.yaml.ftl",
                "templates/probe/nowhere.yaml.ftl")) {
            TemplateEngine.TemplateError first = assertThrows(TemplateEngine.TemplateError.class,
                    () -> engine.render(template, MODEL));
            TemplateEngine.TemplateError again = assertThrows(TemplateEngine.TemplateError.class,
                    () -> engine.render(template, MODEL));
            assertEquals(first.where(), again.where(), template);
            assertEquals(first.getMessage(), again.getMessage(), template);
        }
        TemplateEngine.TemplateError syntax = assertThrows(TemplateEngine.TemplateError.class,
                () -> engine.render("templates/probe/broken.yaml.ftl", MODEL));
        assertTrue(syntax.where().startsWith("templates/probe/broken.yaml.ftl:"), syntax.where());
        assertTrue(syntax.getMessage().startsWith("template syntax error"), syntax.getMessage());
        TemplateEngine.TemplateError missing = assertThrows(TemplateEngine.TemplateError.class,
                () -> engine.render("templates/probe/missing-part.yaml.ftl", MODEL));
        assertEquals("templates/probe/missing-part.yaml.ftl:2", missing.where());
    }
}

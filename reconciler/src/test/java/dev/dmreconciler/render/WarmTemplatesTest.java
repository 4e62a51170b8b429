package dev.dmreconciler.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.resource.RenderedObject;
import dev.dmreconciler.source.GitTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One engine while the template files stay the same, keyed by their content; a value that changed (a rotated
 * secret) renders again, and what renders is what a fresh engine renders.
 */
class WarmTemplatesTest {

    @TempDir
    Path dir;

    private void write(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private RevCommit commit(Git git) throws Exception {
        git.add().addFilepattern(".").call();
        return git.commit().setMessage("c").setAuthor("t", "t@example.org").setCommitter("t", "t@example.org")
                .setSign(false).call();
    }

    private static String data(RenderedObject object) {
        return String.valueOf(((Map<?, ?>) object.body().get("data")).get("v"));
    }

    private void environment(String passwordOfB) throws IOException {
        write("environments/env.yaml", """
                applications:
                  probe:
                    namespaces:
                      ns-a: {pr_password: one}
                      ns-b: {pr_password: %s}
                """.formatted(passwordOfB));
    }

    @Test
    void reusesTheEngineForTheSameTemplateFilesAndRendersChangedValuesAgain() throws Exception {
        write("templates/probe/bundle.yaml", """
                name: probe
                prefix: pr_
                namespaceVariable: pr_namespace
                stateVariable: pr_state
                templates:
                  - {file: templates/probe/cm.yaml.ftl, scope: namespace}
                variables:
                  pr_state: {default: present}
                  pr_namespace: {default: dm}
                  pr_password: {default: none}
                """);
        write("templates/probe/cm.yaml.ftl", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {v: ${pr_password?c}}\n");
        environment("two");
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            RevCommit first = commit(git);
            environment("rotated");
            RevCommit second = commit(git);
            write("templates/probe/cm.yaml.ftl", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {v: changed}\n");
            RevCommit third = commit(git);
            try (GitTree one = GitTree.of(git.getRepository(), first); GitTree two = GitTree.of(git.getRepository(), second);
                 GitTree three = GitTree.of(git.getRepository(), third)) {
                assertEquals(WarmTemplates.idOf(one), WarmTemplates.idOf(two), "only the environment changed");
                assertNotEquals(WarmTemplates.idOf(two), WarmTemplates.idOf(three), "a template changed");
                assertEquals(3, WarmTemplates.idOf(one).split(" ").length, "templates/, crds/ and rbac/");

                WarmTemplates warm = new WarmTemplates(WarmTemplates.idOf(one), one);
                var before = warm.renderNamed(new ConfigRepo(one, System::getenv), "env").objects();
                assertEquals("two", data(before.get(1)));
                var after = warm.renderNamed(new ConfigRepo(two, System::getenv), "env").objects();
                assertEquals("one", data(after.get(0)));
                assertEquals("rotated", data(after.get(1)), "a changed value is rendered again");
                assertEquals(Renderer.renderNamed(new ConfigRepo(two, System::getenv), "env").objects().toString(),
                        after.toString(), "what a fresh engine renders");
                assertEquals("changed", data(new WarmTemplates(WarmTemplates.idOf(three), three)
                        .renderNamed(new ConfigRepo(three, System::getenv), "env").objects().get(0)));
            }
        }
    }
}

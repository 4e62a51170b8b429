package dev.dmreconciler.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.TestRepo.CliResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pull-request diff between two commits of a git repository made in the test: parameter keys, objects
 * per environment and namespace, in every output format (compared with reviewed golden files), and exit codes.
 */
class OfflineDiffTest {

    private static final Path GOLDEN = TestRepo.projectRoot().resolve("reconciler/src/test/resources/golden/diff");
    private static final PersonIdent AUTHOR = new PersonIdent("Test", "test@example.org");

    @TempDir
    Path dir;
    private TestRepo repo;

    @BeforeEach
    void twoCommits() throws Exception {
        repo = TestRepo.withProjectBundles(dir)
                .write("environments/shared/common.yaml", "jo_image_tag: 33.0.0\njo_ingress_domain: example.org\n")
                .write("environments/example.yaml", """
                        cluster: local
                        include: [shared/common.yaml]
                        applications:
                          jupyter-operator:
                            namespaces:
                              dm-dev: {}
                              dm-test: {jo_cost_cost: '0.50'}
                        """)
                .write("environments/production-parameters.yaml", "jo_image_tag: 19.2.2\njo_dmapi_namespace: dm-prod\n");
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("base").setAuthor(AUTHOR).setCommitter(AUTHOR).call();
            repo.write("environments/shared/common.yaml", "jo_image_tag: 34.0.0\njo_ingress_domain: example.org\n")
                .write("environments/example.yaml", """
                        cluster: local
                        include: [shared/common.yaml]
                        applications:
                          jupyter-operator:
                            namespaces:
                              dm-dev: {jo_cost_cost: '2.00'}
                        """);
            git.add().addFilepattern(".").call();
            git.commit().setMessage("head").setAuthor(AUTHOR).setCommitter(AUTHOR).call();
        }
    }

    private void assertGolden(String name, String actual) throws IOException {
        Path golden = GOLDEN.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, actual);
        }
        assertTrue(Files.exists(golden), "no golden file " + golden + "; create with -Dgolden.update=true and review");
        assertEquals(Files.readString(golden), actual, "differs from " + golden);
    }

    @Test
    void textShowsParametersAndObjectsPerEnvironmentAndNamespace() throws IOException {
        CliResult result = repo.cli("diff", "--base", "HEAD~1", "--head", "HEAD", "--no-color");
        assertEquals(1, result.exitCode(), result.err());
        assertGolden("offline.txt", result.out());
        assertTrue(result.out().contains("parameter environments/shared/common.yaml: jo_image_tag: '33.0.0' -> '34.0.0'"));
        assertTrue(result.out().contains("- delete ConfigMap dm-test/jupyternotebooks.squonk.it"));
        assertTrue(result.out().contains("+        image: informaticsmatters/data-manager-jupyter-operator:34.0.0"));
        assertTrue(result.out().endsWith("Op: 0 create, 3 delete, 3 update, 15 noop\n"), result.out());
    }

    @Test
    void markdownIsAPullRequestComment() throws IOException {
        CliResult result = repo.cli("diff", "--base", "HEAD~1", "--head", "HEAD", "-o", "markdown");
        assertEquals(1, result.exitCode(), result.err());
        assertGolden("offline.md", result.out());
        assertTrue(result.out().contains("<details><summary>update `Deployment.apps data-manager-jupyter-operator/jupyter-operator`</summary>"));
    }

    @Test
    void jsonHasAStableSchema() throws IOException {
        CliResult result = repo.cli("diff", "--base", "HEAD~1", "--head", "HEAD", "-o", "json");
        assertEquals(1, result.exitCode(), result.err());
        assertGolden("offline.json", result.out());
    }

    @Test
    void markdownStaysUnderItsSizeLimitAndSaysSo() {
        CliResult result = repo.cli("diff", "--base", "HEAD~1", "--head", "HEAD", "-o", "markdown", "--max-chars", "2500");
        assertTrue(result.out().length() < 3200, "a little over the limit at most (the note and titles)");
        assertTrue(result.out().contains("_Truncated: "), result.out());
    }

    @Test
    void theWorkingTreeIsTheDefaultHead() {
        repo.write("environments/production-parameters.yaml", "jo_image_tag: 19.3.0\njo_dmapi_namespace: dm-prod\n");
        CliResult result = repo.cli("diff", "--base", "HEAD", "--no-color");
        assertEquals(1, result.exitCode(), result.err());
        assertTrue(result.out().contains("parameter environments/production-parameters.yaml: jo_image_tag: '19.2.2' -> '19.3.0'"),
                result.out());
        assertTrue(result.out().contains("Op: 0 create, 0 delete, 1 update, 17 noop"), result.out());
    }

    @Test
    void exitCodes() {
        assertEquals(0, repo.cli("diff", "--base", "HEAD", "--head", "HEAD").exitCode(), "no changes");
        assertEquals(0, repo.cli("diff", "--base", "HEAD~1", "--head", "HEAD", "--exit-zero").exitCode());
        CliResult badRef = repo.cli("diff", "--base", "no-such-branch");
        assertEquals(2, badRef.exitCode());
        assertTrue(badRef.err().contains("no-such-branch"), badRef.err());
        repo.write("environments/production-parameters.yaml", "jo_image_tag: SetMe\n");
        CliResult broken = repo.cli("diff", "--base", "HEAD");
        assertEquals(2, broken.exitCode(), "a head that does not render is an error, not 'no changes'");
        assertTrue(broken.out().contains("error: head: error: environments/production-parameters.yaml:1: jo_image_tag"), broken.out());
    }

    private static TestRepo budgetRepo(TestRepo repo, int configMaps) throws IOException {
        StringBuilder bundle = new StringBuilder("name: gr\nprefix: gr_\nnamespaceVariable: gr_namespace\n"
                + "variables:\n  gr_namespace: {default: guard-b}\ntemplates:\n");
        for (int i = 0; i < 15; i++) {
            Files.deleteIfExists(repo.root().resolve("templates/gr/cm-" + i + ".yaml.ftl"));
        }
        for (int i = 0; i < configMaps; i++) {
            bundle.append("  - {file: templates/gr/cm-").append(i).append(".yaml.ftl, scope: environment}\n");
            repo.write("templates/gr/cm-" + i + ".yaml.ftl", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-" + i
                    + ", namespace: guard-b}\ndata: {index: \"" + i + "\"}\n");
        }
        return repo.write("templates/gr/bundle.yaml", bundle.toString())
                .write("environments/budget.yaml", "applications:\n  gr:\n    namespaces: [guard-b]\n");
    }

    /**
     * Issue 11: the pull request shows the prune budget's verdict. A change removing 12 of 15 templates (80 %) shows
     * its deletions as kept with apply's reason; a head commit whose message carries the marker shows them deleted.
     */
    @Test
    void aChangeOverThePruneBudgetShowsItsDeletionsHeldUnlessTheCommitCarriesTheMarker() throws Exception {
        TestRepo budget = budgetRepo(TestRepo.empty(dir.resolve("budget")), 15);
        try (Git git = Git.init().setDirectory(budget.root().toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("fifteen").setAuthor(AUTHOR).setCommitter(AUTHOR).call();
            budgetRepo(budget, 3);
            git.add().addFilepattern(".").setUpdate(true).call();
            git.add().addFilepattern(".").call();
            git.commit().setMessage("drop twelve").setAuthor(AUTHOR).setCommitter(AUTHOR).call();

            CliResult held = budget.cli("diff", "--base", "HEAD~1", "--head", "HEAD", "--no-color");
            assertEquals(1, held.exitCode(), held.err());
            assertTrue(held.out().contains("= keep ConfigMap guard-b/cm-14 (not deleted: prune budget exceeded: this change would "
                    + "delete 12 of the 15 objects of gr (more than 10 objects and more than 25 % of an inventory); rerun with "
                    + "--allow-mass-prune, or put 'dm-reconciler: allow-prune' in the commit message)"), held.out());
            assertTrue(held.out().contains("Op: 0 create, 0 delete, 0 update, 3 noop, 12 keep"), held.out());
            CliResult markdown = budget.cli("diff", "--base", "HEAD~1", "--head", "HEAD", "-o", "markdown");
            assertTrue(markdown.out().contains("prune budget exceeded"), markdown.out());

            budgetRepo(budget, 15);
            git.add().addFilepattern(".").call();
            git.commit().setMessage("back to fifteen").setAuthor(AUTHOR).setCommitter(AUTHOR).call();
            budgetRepo(budget, 3);
            git.add().addFilepattern(".").setUpdate(true).call();
            git.commit().setMessage("drop twelve\n\ndm-reconciler: allow-prune").setAuthor(AUTHOR).setCommitter(AUTHOR).call();
            CliResult allowed = budget.cli("diff", "--base", "HEAD~1", "--head", "HEAD", "--no-color");
            assertTrue(allowed.out().contains("- delete ConfigMap guard-b/cm-14"), allowed.out());
            assertTrue(allowed.out().contains("Op: 0 create, 12 delete, 0 update, 3 noop"), allowed.out());
        }
    }
}

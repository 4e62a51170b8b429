package dev.dmreconciler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.TestRepo.CliResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a person uses it: output, messages and exit codes. */
class CliTest {

    @TempDir
    Path dir;

    @Test
    void renderAnAnsibleParameterFileGivesTheOperatorAndItsDataManagerNamespace() {
        Path seed = Path.of("src/test/resources/seed-params/staging-parameters.yaml").toAbsolutePath();
        CliResult result = CliResult.run("render", "--repo", TestRepo.projectRoot().toString(),
                "--env-file", seed.toString(), "--app", "jupyter-operator");
        assertEquals(0, result.exitCode(), result.err());
        List<String> kinds = result.out().lines().filter(l -> l.startsWith("kind: ")).toList();
        assertEquals(List.of("kind: CustomResourceDefinition", "kind: Namespace", "kind: ClusterRole",
                "kind: ClusterRoleBinding", "kind: ServiceAccount", "kind: Role", "kind: RoleBinding",
                "kind: ConfigMap", "kind: Deployment"), kinds);
        assertTrue(result.out().contains("namespace: data-manager-api-staging"));
        assertTrue(result.out().contains("image: informaticsmatters/data-manager-jupyter-operator:33.0.0"));
    }

    @Test
    void validateReportsEveryBrokenEnvironmentAtOnce() {
        TestRepo repo = TestRepo.withProjectBundles(dir)
                .write("environments/good.yaml", "jo_image_tag: 1.0.0\n")
                .write("environments/broken-tag.yaml", "jo_image_tag: SetMe\n")
                .write("environments/broken-type.yaml", "jo_image_tag: 1.0.0\njo_apply_pod_priority_class: perhaps\n")
                .write("environments/broken-yaml.yaml", "jo_image_tag: [1.0.0\n");
        CliResult result = repo.cli("validate");
        assertEquals(Main.INVALID_INPUT, result.exitCode());
        List<String> errors = result.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(3, errors.size(), result.err());
        assertTrue(errors.get(0).startsWith("error: environments/broken-tag.yaml:1: jo_image_tag: "), errors.get(0));
        assertTrue(errors.get(1).startsWith("error: environments/broken-type.yaml:2: jo_apply_pod_priority_class: "), errors.get(1));
        assertTrue(errors.get(2).startsWith("error: environments/broken-yaml.yaml:"), errors.get(2));
        assertTrue(result.out().startsWith("4 environment(s), ") && result.out().contains(" bundle(s), 9 object(s) rendered: 3 error(s), 0 warning(s)"), result.out());
    }

    @Test
    void validateRefusesEnvironmentsThatWouldOverwriteEachOthersSharedObjects() {
        TestRepo repo = TestRepo.withProjectBundles(dir)
                .write("environments/staging-parameters.yaml", "jo_image_tag: 33.0.0\njo_dmapi_namespace: dm-staging\n")
                .write("environments/production-parameters.yaml", "jo_image_tag: 19.2.2\njo_dmapi_namespace: dm-production\n");
        CliResult clash = repo.cli("validate");
        assertEquals(Main.INVALID_INPUT, clash.exitCode());
        assertTrue(clash.err().contains("error: environments/staging-parameters.yaml: Deployment.apps "
                + "data-manager-jupyter-operator/jupyter-operator: environments production-parameters and staging-parameters "
                + "of cluster default render it differently"), clash.err());
        assertEquals(1, clash.err().lines().filter(l -> l.startsWith("error: ")).count(),
                "the CRD is the same in both (its namespaces are the union), only the operator differs:\n" + clash.err());

        repo.write("environments/production-parameters.yaml",
                "reconciler_cluster: production\njo_image_tag: 19.2.2\njo_dmapi_namespace: dm-production\n");
        assertEquals(Main.OK, repo.cli("validate").exitCode(), "on different clusters they do not meet");
    }

    /** Printing hides Secret values, so the comparison must not be of the printed text (review S11-F2). */
    @Test
    void validateRefusesTwoEnvironmentsWhoseSharedSecretDiffersOnlyInItsHiddenValue() {
        String secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: shared-creds, namespace: apps}\n"
                + "stringData: {password: %s}\n";
        TestRepo repo = TestRepo.withProjectBundles(dir)
                .write("manifests/a.yaml", secret.formatted("alpha-password-AAA"))
                .write("manifests/b.yaml", secret.formatted("bravo-password-BBB"))
                .write("environments/env-a.yaml", "cluster: local\nmanifests: [manifests/a.yaml]\napplications: {}\n")
                .write("environments/env-b.yaml", "cluster: local\nmanifests: [manifests/b.yaml]\napplications: {}\n");
        CliResult clash = repo.cli("validate");
        assertEquals(Main.INVALID_INPUT, clash.exitCode(), clash.err());
        assertTrue(clash.err().contains("Secret apps/shared-creds: environments env-a and env-b of cluster local render it "
                + "differently"), clash.err());
        assertFalse(clash.err().contains("password-"), "never the values: " + clash.err());

        repo.write("manifests/b.yaml", secret.formatted("alpha-password-AAA"));
        assertEquals(Main.OK, repo.cli("validate").exitCode(), "the same Secret in both is fine");
    }

    @Test
    void validateStrictTurnsWarningsIntoErrors() {
        TestRepo repo = TestRepo.withProjectBundles(dir).write("environments/env.yaml", "jo_image_tag: 1\njo_leftover: x\n");
        assertEquals(Main.OK, repo.cli("validate").exitCode());
        CliResult strict = repo.cli("validate", "--strict");
        assertEquals(Main.INVALID_INPUT, strict.exitCode());
        assertTrue(strict.err().contains("error: environments/env.yaml:2: jo_leftover: unknown variable"), strict.err());
    }

    @Test
    void validateReportsTemplateErrorsAndBundleErrors() {
        TestRepo repo = TestRepo.withProjectBundles(dir).write("environments/env.yaml", "jo_image_tag: 1\n")
                .write("templates/jupyter-operator/namespace.yaml.ftl", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${nope}\n")
                .write("templates/other/bundle.yaml", "name: other\nprefix: ot_\n");
        CliResult result = repo.cli("validate");
        assertEquals(Main.INVALID_INPUT, result.exitCode());
        assertTrue(result.err().contains("error: templates/jupyter-operator/namespace.yaml.ftl:4: "), result.err());
        assertTrue(result.err().contains("error: templates/other/bundle.yaml: templates: a bundle must list its templates"), result.err());
    }

    @Test
    void renderOfABrokenEnvironmentExitsOneWithTheError() {
        TestRepo repo = TestRepo.withProjectBundles(dir).write("environments/env.yaml", "jo_image_tag: SetMe\n");
        CliResult result = repo.cli("render", "--env", "env");
        assertEquals(Main.INVALID_INPUT, result.exitCode());
        assertEquals("", result.out(), "nothing is printed as if it were valid");
        assertTrue(result.err().contains("jo_image_tag: required variable is still 'SetMe'"), result.err());
    }

    @Test
    void badUsageExitsOne() {
        assertEquals(Main.INVALID_INPUT, CliResult.run("render").exitCode(), "--env or --env-file is required");
        assertEquals(Main.INVALID_INPUT, CliResult.run("render", "--env", "a", "--env-file", "b").exitCode());
        assertEquals(Main.INVALID_INPUT, CliResult.run("render", "--repo", dir.toString(), "--env-file",
                dir.resolve("missing.yaml").toString()).exitCode());
    }


    /** A command line naming one command registers only that one (start-up); help and errors still know them all. */
    @Test
    void helpListsEveryCommandWhicheverWayItIsAsked() {
        List<String> commands = List.of("render", "validate", "apply", "diff", "promote", "run", "rbac", "secret", "schema", "help");
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"help"}, new String[0])) {
            CliResult result = CliResult.run(args);
            List<String> listed = result.out().lines().filter(l -> l.matches("  [a-z].*")).map(l -> l.strip().split(" ")[0])
                    .filter(commands::contains).toList();
            assertEquals(commands, listed, String.join(" ", args) + ":\n" + result.out());
        }
        CliResult apply = CliResult.run("help", "apply");
        assertEquals(0, apply.exitCode(), apply.err());
        assertTrue(apply.out().startsWith("Usage: reconciler apply "), apply.out());
        assertEquals(apply.out(), CliResult.run("apply", "--help").out());
        CliResult typo = CliResult.run("aply");
        assertEquals(Main.INVALID_INPUT, typo.exitCode());
        assertTrue(typo.err().startsWith("error: Unmatched argument at index 0: 'aply'") && typo.err().contains("\n  apply "),
                typo.err());
        CliResult encrypt = CliResult.run("secret", "encrypt", "--help");
        assertTrue(encrypt.out().startsWith("Usage: reconciler secret encrypt "), encrypt.out());
    }
    @Test
    void renderJsonAndToFiles() throws IOException {
        TestRepo repo = TestRepo.withProjectBundles(dir).write("environments/env.yaml", "jo_image_tag: 1\n");
        CliResult json = repo.cli("render", "--env", "env", "-o", "json");
        assertEquals(0, json.exitCode(), json.err());
        assertTrue(json.out().startsWith("{\n  \"apiVersion\" : \"v1\",\n  \"kind\" : \"List\""), json.out());

        Path out = dir.resolve("out");
        CliResult files = repo.cli("render", "--env", "env", "--out", out.toString());
        assertEquals(0, files.exitCode(), files.err());
        try (Stream<Path> written = Files.walk(out)) {
            List<String> names = written.filter(Files::isRegularFile).map(p -> out.relativize(p).toString()).sorted().toList();
            assertEquals(9, names.size(), names.toString());
            assertTrue(names.contains("env/_cluster/001-customresourcedefinition-jupyternotebooks.squonk.it.yaml"), names.toString());
            assertTrue(names.contains("env/data-manager-api/008-configmap-jupyternotebooks.squonk.it.yaml"), names.toString());
        }
    }

    /** A pull request must never choose where a CI job's {@code render --out} writes (review S11-F6). */
    @Test
    void renderToFilesRefusesANamespaceThatWouldLeaveTheDirectory() throws IOException {
        TestRepo repo = TestRepo.withProjectBundles(dir)
                .write("manifests/m.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: apps}\n---\n"
                        + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: pwn, namespace: 'apps/../../../../escape'}\n")
                .write("environments/env.yaml", "cluster: local\nmanifests: [manifests/m.yaml]\napplications: {}\n");
        Path out = dir.resolve("out/a/b");
        CliResult files = repo.cli("render", "--env", "env", "--out", out.toString());
        assertEquals(Main.INVALID_INPUT, files.exitCode(), files.err());
        assertTrue(files.err().contains("metadata.namespace 'apps/../../../../escape' is not a valid namespace name"),
                files.err());
        assertFalse(Files.exists(dir.resolve("escape")), "nothing written outside --out");
        assertFalse(Files.exists(out), "nothing written at all");
        assertEquals(Main.INVALID_INPUT, repo.cli("validate").exitCode(), "a pull request's check stops it too");
    }

    @Test
    void absentApplicationRendersNothingAndSaysSo() {
        TestRepo repo = TestRepo.withProjectBundles(dir).write("environments/env.yaml", "jo_image_tag: 1\njo_state: absent\n");
        CliResult result = repo.cli("render", "--env", "env");
        assertEquals(0, result.exitCode(), result.err());
        assertEquals("", result.out());
        assertTrue(result.err().contains("note: jupyter-operator is marked absent in env"), result.err());
    }

    @Test
    void secretValuesAreNeverPrinted() {
        TestRepo repo = TestRepo.withProjectBundles(dir).write("environments/env.yaml", "jo_image_tag: 1\n")
                .write("templates/jupyter-operator/namespace.yaml.ftl", """
                        apiVersion: v1
                        kind: Namespace
                        metadata: {name: ns}
                        ---
                        apiVersion: v1
                        kind: Namespace
                        metadata: {name: ${jo_namespace?c}}
                        ---
                        apiVersion: v1
                        kind: Secret
                        metadata: {name: s, namespace: ns}
                        stringData: {password: hunter2}
                        data: {token: c2VjcmV0}
                        """);
        for (String format : new String[] {"yaml", "json"}) {
            CliResult result = repo.cli("render", "--env", "env", "-o", format);
            assertEquals(0, result.exitCode(), result.err());
            assertTrue(!result.out().contains("hunter2") && !result.out().contains("c2VjcmV0"), result.out());
            assertTrue(result.out().contains("password") && result.out().contains("<redacted>"));
        }
    }
}

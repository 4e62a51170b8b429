package dev.dmreconciler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.TestRepo.CliResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Promotion staging → production: what differs, what the target would get, and the in-place edit. */
class PromoteCommandTest {

    private static final String PRODUCTION = """
            ---
            # Production: change only through a reviewed pull request.

            jo_image_tag: 19.2.2   # pinned after the March incident
            jo_dmapi_namespace: data-manager-api-production

            jo_ingress_domain: squonk.it
            jo_ingress_tls_secret: data-manager-api-tls
            jo_namespaces: data-manager-api-production

            jo_kubeconfig: "{{ lookup('env', 'KUBECONFIG') }}"
            """;

    @TempDir
    Path dir;
    private TestRepo repo;

    @BeforeEach
    void environments() throws IOException {
        repo = TestRepo.withProjectBundles(dir)
                .write("environments/staging-parameters.yaml",
                        Files.readString(Path.of("src/test/resources/seed-params/staging-parameters.yaml")))
                .write("environments/production-parameters.yaml", PRODUCTION);
    }

    @Test
    void showsDifferingKeysAndTheTargetsObjectDiffWithoutWriting() throws IOException {
        CliResult result = repo.cli("promote", "--from", "staging-parameters", "--to", "production-parameters", "--no-color");
        assertEquals(1, result.exitCode(), result.err());
        assertTrue(result.out().contains("  * jupyter-operator.jo_image_tag: '19.2.2' -> '33.0.0'\n"), result.out());
        assertTrue(result.out().contains("jupyter-operator.jo_namespaces: 'data-manager-api-production' -> "
                + "'data-manager-api-staging:data-manager-api-integration:data-manager-api-production'   (differs, not promoted)"),
                result.out());
        assertTrue(result.out().contains("+        image: informaticsmatters/data-manager-jupyter-operator:33.0.0"), result.out());
        assertTrue(result.out().contains("Op: 0 create, 0 delete, 1 update, 8 noop"), result.out());
        assertEquals(PRODUCTION, Files.readString(dir.resolve("environments/production-parameters.yaml")), "nothing written");
    }

    @Test
    void writeEditsOnlyThePromotedValueKeepingCommentsAndOrder() throws IOException {
        CliResult result = repo.cli("promote", "--from", "staging-parameters", "--to", "production-parameters", "--write");
        assertEquals(1, result.exitCode(), result.err());
        assertEquals(PRODUCTION.replace("jo_image_tag: 19.2.2   #", "jo_image_tag: 33.0.0   #"),
                Files.readString(dir.resolve("environments/production-parameters.yaml")));
        CliResult again = repo.cli("promote", "--from", "staging-parameters", "--to", "production-parameters");
        assertEquals(0, again.exitCode(), "after the promotion there is nothing left to promote");
        assertTrue(again.out().contains("nothing to promote"), again.out());
    }

    @Test
    void chosenKeysArePromotedIntoANativeEnvironment() throws IOException {
        repo.write("environments/prod.yaml", """
                # native form
                cluster: prod   # not production-parameters' cluster: the two would collide
                applications:
                  jupyter-operator:
                    values:
                      jo_image_tag: 19.2.2  # pin
                    namespaces: [data-manager-api-production]
                """);
        CliResult result = repo.cli("promote", "--from", "staging-parameters", "--to", "prod",
                "--keys", "jo_image_tag,jo_ingress_domain", "--write");
        assertEquals(1, result.exitCode(), result.err());
        assertEquals("""
                # native form
                cluster: prod   # not production-parameters' cluster: the two would collide
                applications:
                  jupyter-operator:
                    values:
                      jo_image_tag: 33.0.0  # pin
                      jo_ingress_domain: squonk.it
                    namespaces: [data-manager-api-production]
                """, Files.readString(dir.resolve("environments/prod.yaml")));
    }

    @Test
    void unknownKeysAreAnError() {
        CliResult result = repo.cli("promote", "--from", "staging-parameters", "--to", "production-parameters",
                "--keys", "jo_imagetag");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("[jo_imagetag]"), result.err());
    }
}

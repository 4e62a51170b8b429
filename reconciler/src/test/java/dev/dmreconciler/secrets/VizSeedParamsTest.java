package dev.dmreconciler.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.TestRepo.CliResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's viz parameter files, unchanged, with their sensitive-<installation>.vault next to them or in the bundle's
 * vars/ folder (where the role keeps it): {@code render --env-file parameters-dls-prod.yaml --vault-password-file pw}.
 */
class VizSeedParamsTest {

    @TempDir
    Path dir;

    private Path seed(String name) throws IOException {
        Path target = dir.resolve("params").resolve(name);
        Files.createDirectories(target.getParent());
        Files.copy(Path.of("src/test/resources/seed-params/viz", name), target);
        return target;
    }

    private static String vaultWithPullSecret() {
        return AnsibleVault.encrypt(("svo_github_image_pull_secret: " + Fixtures.PULL_SECRET + "\n").getBytes(StandardCharsets.UTF_8),
                "fixture-vault-password".toCharArray());
    }

    private CliResult render(TestRepo repo, Path params, String... extra) {
        String[] args = new String[extra.length + 4];
        args[0] = "--env-file";
        args[1] = params.toString();
        args[2] = "--app";
        args[3] = "viz-operator";
        System.arraycopy(extra, 0, args, 4, extra.length);
        return repo.cli("render", args);
    }

    @Test
    void theVaultNextToTheParameterFileGivesThePullSecret() throws IOException {
        TestRepo repo = TestRepo.withProjectBundles(dir.resolve("repo"));
        Path params = seed("parameters-dls-prod.yaml");
        Files.writeString(params.resolveSibling("sensitive-dls-prod.vault"), vaultWithPullSecret());
        CliResult result = render(repo, params, "--vault-password-file", Fixtures.path("ansible-vault/vault-password.txt").toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("kind: Secret\ntype: kubernetes.io/dockerconfigjson"), result.out());
        assertTrue(result.out().contains(".dockerconfigjson: <redacted>"), result.out());
        assertTrue(result.out().contains("application-namespaces: data-manager-api:data-manager-api-production"), result.out());
        assertFalse(result.out().contains(Fixtures.PULL_SECRET));
    }

    @Test
    void theBundlesVarsFolderIsTheFallbackAndCommaSeparatedNamespacesWork() throws IOException {
        TestRepo repo = TestRepo.withProjectBundles(dir.resolve("repo"));
        repo.write("templates/viz-operator/vars/sensitive-scw-production.vault", vaultWithPullSecret());
        Path params = seed("parameters-scw-production.yaml");
        Files.writeString(params, Files.readString(params).replace("svo_namespaces: im-data-manager",
                "svo_namespaces: im-data-manager,im-data-manager-b"));
        CliResult result = render(repo, params, "--vault-password-file", Fixtures.path("ansible-vault/vault-password.txt").toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("application-namespaces: im-data-manager:im-data-manager-b"), result.out());
        assertTrue(result.out().contains("name: svo-pullsecret\n  namespace: im-data-manager"), result.out());
    }

    @Test
    void aMissingVaultFileFailsNamingWhereItWasLookedFor() throws IOException {
        TestRepo repo = TestRepo.withProjectBundles(dir.resolve("repo"));
        CliResult result = render(repo, seed("parameters-dls-prod.yaml"));
        assertEquals(1, result.exitCode(), result.out());
        assertTrue(result.err().contains("sensitive-dls-prod.vault' not found next to") && result.err().contains("templates/viz-operator/vars/"),
                result.err());
    }

    @Test
    void withoutAnInstallationNameThePullSecretMustBeGiven() throws IOException {
        TestRepo repo = TestRepo.withProjectBundles(dir.resolve("repo"));
        Path params = seed("parameters-dls-prod.yaml");
        Files.writeString(params, Files.readString(params).replace("svo_installation_name: dls-prod", ""));
        CliResult result = render(repo, params);
        assertEquals(1, result.exitCode(), result.out());
        assertTrue(result.err().contains("svo_github_image_pull_secret is empty"), result.err());
    }
}

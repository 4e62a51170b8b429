package dev.dmreconciler.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.TestRepo.CliResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every output without a cluster — render (yaml, json), the offline pull-request diff (text, markdown, json) with its
 * parameter table, promote (text, markdown, json), validate and error messages — grepped for each secret value, its
 * base64 and the text it encodes: none may appear. Secrets come from inline !vault values and a secret variable.
 */
class SecretOutputsTest {

    private static final String OLD_CONFIG = "{\"auths\":{\"ghcr.io\":{\"auth\":\"b2xkLXVzZXI6b2xkLXRva2VuLXZhbHVl\"}}}";
    private static final String NEW_CONFIG = "{\"auths\":{\"ghcr.io\":{\"auth\":\"bmV3LXVzZXI6bmV3LXRva2VuLXZhbHVl\"}}}";
    private static final String PASSWORD = "fixture-vault-password";

    @TempDir
    Path dir;

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The forbidden strings: each secret, its base64, the text a base64 secret encodes, and the auth inside. */
    private static List<String> forbidden() {
        List<String> all = new ArrayList<>();
        for (String config : List.of(OLD_CONFIG, NEW_CONFIG)) {
            all.add(config);
            all.add(b64(config));
            all.add(b64(b64(config)));
        }
        all.addAll(List.of("b2xkLXVzZXI6b2xkLXRva2VuLXZhbHVl", "bmV3LXVzZXI6bmV3LXRva2VuLXZhbHVl", "ghp_tokenlike_value_1234"));
        return all;
    }

    private static void assertClean(String what, CliResult result) {
        String text = result.out() + result.err();
        for (String secret : forbidden()) {
            assertFalse(text.contains(secret), what + " shows a secret (" + secret.substring(0, 6) + "…):\n" + text);
        }
    }

    private static String inlineVault(String key, String value) {
        StringBuilder out = new StringBuilder(key).append(": !vault |\n");
        AnsibleVault.encrypt(value.getBytes(StandardCharsets.UTF_8), PASSWORD.toCharArray()).lines()
                .forEach(line -> out.append("          ").append(line).append('\n'));
        return out.toString();
    }

    /** Each environment on its own cluster: two environments of one cluster may not share a namespace. */
    private static String environment(String cluster, String pullSecret, String cost) {
        return """
                cluster: %s
                applications:
                  viz-operator:
                    values:
                      svo_image_tag: '35.0.0'
                      svo_cost_cost: '%s'
                %s    namespaces: [dm-out]
                """.formatted(cluster, cost, inlineVault("svo_github_image_pull_secret", pullSecret).indent(6));
    }

    @Test
    void noOutputWithoutAClusterShowsASecret() throws Exception {
        SecretKeys.install(SecretKeys.NONE);
        Path pw = java.nio.file.Files.writeString(dir.resolve("pw.txt"), PASSWORD + "\n");
        TestRepo repo = TestRepo.withProjectBundles(dir.resolve("repo"));
        repo.write("environments/staging.yaml", environment("outputs-staging", b64(NEW_CONFIG), "1.00"));
        repo.write("environments/production.yaml", environment("outputs-production", b64(OLD_CONFIG), "1.00"));
        try (Git git = Git.init().setDirectory(repo.root().toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("base").setAuthor(new PersonIdent("T", "t@example.org"))
                    .setCommitter(new PersonIdent("T", "t@example.org")).setSign(false).call();
        }
        // the head: production's pull secret changes, and its cost (a visible change next to it)
        repo.write("environments/production.yaml", environment("outputs-production", b64(NEW_CONFIG), "2.00"));
        String vaultPw = pw.toString();

        for (String format : List.of("yaml", "json")) {
            CliResult render = repo.cli("render", "--env", "production", "-o", format, "--vault-password-file", vaultPw);
            assertEquals(0, render.exitCode(), render.err());
            assertClean("render -o " + format, render);
            assertTrue(render.err().contains("note: secret values are shown as <redacted>: this output is for reading, not"
                    + " for kubectl apply"), "said where it is not obvious (review S11-F10): " + render.err());
        }
        for (String format : List.of("text", "markdown", "json")) {
            CliResult diff = repo.cli("diff", "--base", "main", "-o", format, "--vault-password-file", vaultPw, "--no-color");
            assertEquals(1, diff.exitCode(), diff.out() + diff.err());
            assertClean("diff --base -o " + format, diff);
            assertTrue(diff.out().contains("<redacted (changed)>"), format + ":\n" + diff.out());
            assertTrue(diff.out().contains("2.00"), "the visible change is shown:\n" + diff.out());
            assertTrue(diff.out().contains("svo_github_image_pull_secret") && diff.out().contains("svo_cost_cost"), diff.out());
            assertFalse(diff.out().contains("svo_cost_cost: '<redacted>'") || diff.out().contains("svo_cost_cost` | '<redacted>'"),
                    "only the secret is redacted:\n" + diff.out());
        }
        // without the password in this shell: fail closed, no Secret shown as deleted
        CliResult noKey = repo.cli("diff", "--base", "main", "--no-color");
        assertEquals(2, noKey.exitCode(), noKey.out() + noKey.err());
        assertFalse(noKey.out().contains("- delete Secret"), noKey.out());
        assertTrue((noKey.out() + noKey.err()).contains("--vault-password-file"), noKey.out() + noKey.err());
        assertClean("diff without the key", noKey);

        for (String format : List.of("text", "markdown", "json")) {
            CliResult promote = repo.cli("promote", "--from", "staging", "--to", "production", "-o", format,
                    "--vault-password-file", vaultPw, "--no-color");
            assertClean("promote -o " + format, promote);
        }
        CliResult promoteSecret = repo.cli("promote", "--from", "staging", "--to", "production", "--keys",
                "svo_github_image_pull_secret", "--vault-password-file", vaultPw);
        assertEquals(2, promoteSecret.exitCode(), promoteSecret.out());
        assertTrue(promoteSecret.err().contains("is secret and is not promoted"), promoteSecret.err());
        assertClean("promote --keys secret", promoteSecret);

        // validation errors name the key, never a secret value
        repo.write("environments/broken.yaml", "reconciler_env_lookups: [DMR_TEST_TOKEN]\nsvo_image_tag: '1'\n"
                + "svo_state: \"{{ lookup('env', 'DMR_TEST_TOKEN') | default('ghp_tokenlike_value_1234', true) }}\"\n");
        CliResult validate = repo.cli("validate", "--vault-password-file", vaultPw);
        assertEquals(1, validate.exitCode());
        assertTrue(validate.err().contains("svo_state: the (secret) value is not one of [present, absent]"), validate.err());
        assertClean("validate", validate);
    }
}

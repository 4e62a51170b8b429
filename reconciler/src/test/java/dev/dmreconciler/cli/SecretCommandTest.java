package dev.dmreconciler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo.CliResult;
import dev.dmreconciler.secrets.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/reconciler secret encrypt|decrypt: authors add secrets without Ansible or sops installed. */
class SecretCommandTest {

    @TempDir
    Path dir;

    private static CliResult withStdin(String input, String... args) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return CliResult.run(args);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void encryptsAValueAsAnInlineVaultThatDecryptsBack() throws Exception {
        String password = Fixtures.path("ansible-vault/vault-password.txt").toString();
        CliResult encrypted = withStdin("cli-inline-secret-value\n", "secret", "encrypt", "--vault-password-file", password,
                "svo_github_image_pull_secret");
        assertEquals(0, encrypted.exitCode(), encrypted.err());
        assertTrue(encrypted.out().startsWith("svo_github_image_pull_secret: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n"),
                encrypted.out());
        assertFalse(encrypted.out().contains("cli-inline-secret-value"));
        Path params = Files.writeString(dir.resolve("params.yaml"), "svo_image_tag: '1'\n" + encrypted.out());

        CliResult shown = CliResult.run("secret", "decrypt", "--vault-password-file", password, params.toString());
        assertEquals(0, shown.exitCode(), shown.err());
        assertTrue(shown.out().contains("svo_github_image_pull_secret: <redacted>"), shown.out());
        Path plain = dir.resolve("plain.yaml");
        CliResult written = CliResult.run("secret", "decrypt", "--vault-password-file", password, "--output", plain.toString(),
                params.toString());
        assertEquals(0, written.exitCode(), written.err());
        assertTrue(Files.readString(plain).contains("svo_github_image_pull_secret: cli-inline-secret-value"), Files.readString(plain));
    }

    @Test
    void encryptsAFileForAnAgeRecipientAndChecksItBack() throws Exception {
        Path manifest = Files.writeString(dir.resolve("secret.yaml"),
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws\nstringData:\n  AWS_SECRET_ACCESS_KEY: cli-aws-secret-key-value\n");
        CliResult encrypted = CliResult.run("secret", "encrypt", "--age", Fixtures.AGE_RECIPIENT, "--encrypted-regex",
                "^(data|stringData)$", "--in-place", manifest.toString());
        assertEquals(0, encrypted.exitCode(), encrypted.err());
        String file = Files.readString(manifest);
        assertTrue(file.contains("name: aws") && file.contains("AWS_SECRET_ACCESS_KEY: ENC[AES256_GCM,") && file.contains("age1l44"), file);
        assertFalse(file.contains("cli-aws-secret-key-value"));

        Path plain = dir.resolve("plain.yaml");
        CliResult decrypted = CliResult.run("secret", "decrypt", "--sops-age-key-file", Fixtures.path("sops-age/age.agekey").toString(),
                "--output", plain.toString(), manifest.toString());
        assertEquals(0, decrypted.exitCode(), decrypted.err());
        assertTrue(Files.readString(plain).contains("AWS_SECRET_ACCESS_KEY: cli-aws-secret-key-value"));

        CliResult wrongKey = CliResult.run("secret", "decrypt", "--sops-age-key-file", Fixtures.path("sops-age/other.agekey").toString(),
                manifest.toString());
        assertEquals(1, wrongKey.exitCode());
        assertTrue(wrongKey.err().contains("none of the given age keys"), wrongKey.err());
    }

    @Test
    void aBadRecipientIsAClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("v.yaml"), "a: b\n");
        CliResult result = CliResult.run("secret", "encrypt", "--age", "age1notarecipient", file.toString());
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("not a valid age recipient"), result.err());
    }
}

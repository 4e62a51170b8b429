package dev.dmreconciler.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnsibleVaultTest {

    private static final char[] PASSWORD = AnsibleVault.password(Fixtures.read("ansible-vault/vault-password.txt"));

    @Test
    void decryptsAWholeFileMadeByAnsibleVault() {
        String plain = new String(AnsibleVault.decrypt(Fixtures.read("ansible-vault/sensitive-example.vault"), PASSWORD,
                "sensitive-example.vault"), StandardCharsets.UTF_8);
        assertTrue(plain.contains("svo_github_image_pull_secret: " + Fixtures.PULL_SECRET), plain);
    }

    @Test
    void decryptsAnInlineValueMadeByEncryptString() {
        String yaml = Fixtures.read("ansible-vault/inline-vault-value.yaml");
        String vault = yaml.substring(yaml.indexOf("$ANSIBLE_VAULT")).lines().map(String::strip)
                .reduce("", (a, b) -> a + b + "\n");
        assertEquals(Fixtures.INLINE_SECRET, new String(AnsibleVault.decrypt(vault, PASSWORD, "inline"), StandardCharsets.UTF_8));
    }

    @Test
    void wrongPasswordIsRefusedNamingTheFileNotTheValue() {
        SecretException e = assertThrows(SecretException.class, () -> AnsibleVault.decrypt(
                Fixtures.read("ansible-vault/sensitive-example.vault"), "wrong".toCharArray(), "vars/sensitive-example.vault"));
        assertTrue(e.getMessage().startsWith("vars/sensitive-example.vault: "), e.getMessage());
        assertTrue(e.getMessage().contains("wrong vault password"), e.getMessage());
    }

    @Test
    void aTamperedBodyIsRefusedBeforeDecrypting() {
        String vault = Fixtures.read("ansible-vault/sensitive-example.vault");
        // flip one hex digit of the ciphertext part (the last line is ciphertext)
        int at = vault.strip().length() - 3;
        char c = vault.charAt(at);
        String tampered = vault.substring(0, at) + (c == '3' ? '4' : '3') + vault.substring(at + 1);
        SecretException e = assertThrows(SecretException.class, () -> AnsibleVault.decrypt(tampered, PASSWORD, "f.vault"));
        assertTrue(e.getMessage().contains("HMAC") || e.getMessage().contains("damaged"), e.getMessage());
        assertFalse(e.getMessage().contains(Fixtures.PULL_SECRET));
    }

    @Test
    void encryptRoundTripsAndHasAnsiblesLayout() {
        for (String text : new String[] {"", "x", "exactly16bytes!!", "svo_github_image_pull_secret: abc\n", "ünïcødé ✓"}) {
            String vault = AnsibleVault.encrypt(text.getBytes(StandardCharsets.UTF_8), PASSWORD);
            assertTrue(vault.startsWith("$ANSIBLE_VAULT;1.1;AES256\n"));
            vault.lines().skip(1).forEach(line -> assertTrue(line.length() <= 80 && line.matches("[0-9a-f]+"), line));
            assertEquals(text, new String(AnsibleVault.decrypt(vault, PASSWORD, "f"), StandardCharsets.UTF_8));
        }
    }

    @Test
    void decryptsFormat12WithAVaultIdLabel() {
        assertEquals("vault-id-value-1.2\n", new String(AnsibleVault.decrypt(
                Fixtures.read("ansible-vault/vault-1.2-labelled.vault"), PASSWORD, "f"), StandardCharsets.UTF_8));
    }

    @Test
    void passwordFileLosesItsNewlineAsInAnsible() {
        assertEquals("pw", new String(AnsibleVault.password("pw\n")));
    }

    @Test
    void unsupportedVersionOrCipherIsNamed() {
        assertTrue(assertThrows(SecretException.class, () -> AnsibleVault.decrypt("$ANSIBLE_VAULT;1.0;AES\n00", PASSWORD, "f"))
                .getMessage().contains("1.0"));
        assertTrue(assertThrows(SecretException.class, () -> AnsibleVault.decrypt("$ANSIBLE_VAULT;1.1;AES128\n00", PASSWORD, "f"))
                .getMessage().contains("AES128"));
    }
}

package dev.dmreconciler.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.nodes.Node;

class SopsTest {

    private static List<Node> compose(String text) {
        List<Node> documents = new ArrayList<>();
        Sops.yaml().composeAll(new StringReader(text)).forEach(documents::add);
        return documents;
    }

    private static String decryptToText(String text, SecretKeys keys) {
        Sops.Decrypted decrypted = Sops.decrypt(compose(text), keys, "secret.sops.yaml");
        StringWriter out = new StringWriter();
        decrypted.documents().forEach(d -> Sops.yaml().serialize(d, out));
        return out.toString();
    }

    @Test
    void decryptsTheFluxFixtureAndVerifiesItsMac() {
        String plain = decryptToText(Fixtures.read("sops-age/secret.sops.yaml"), Fixtures.keys());
        assertTrue(plain.contains("key: value"), plain);
        assertFalse(plain.contains("sops"), plain);
        assertFalse(plain.contains("ENC["), plain);
    }

    @Test
    void aChangedCleartextValueFailsTheMac() {
        String tampered = Fixtures.read("sops-age/secret.sops.yaml").replace("name: age", "name: other");
        SecretException e = assertThrows(SecretException.class, () -> decryptToText(tampered, Fixtures.keys()));
        assertTrue(e.getMessage().contains("secret.sops.yaml") && e.getMessage().contains("MAC mismatch"), e.getMessage());
    }

    @Test
    void aChangedCiphertextFailsNamingThePathNotTheValue() {
        String tampered = Fixtures.read("sops-age/secret.sops.yaml").replace("data:mHeXsmQ=", "data:mHeXsmA=");
        SecretException e = assertThrows(SecretException.class, () -> decryptToText(tampered, Fixtures.keys()));
        assertTrue(e.getMessage().contains("stringData:key:") && e.getMessage().contains("changed"), e.getMessage());
    }

    @Test
    void aMovedValueFailsBecauseThePathIsAuthenticated() {
        String moved = Fixtures.read("sops-age/secret.sops.yaml").replace("stringData:\n  key:", "stringData:\n  other:");
        assertThrows(SecretException.class, () -> decryptToText(moved, Fixtures.keys()));
    }

    @Test
    void aWrongKeyFailsNamingTheRecipient(@TempDir Path dir) throws Exception {
        // a valid identity (made by age-keygen) that is not the fixture's recipient
        Path key = Fixtures.path("sops-age/other.agekey");
        SecretException e = assertThrows(SecretException.class,
                () -> decryptToText(Fixtures.read("sops-age/secret.sops.yaml"), new SecretKeys(null, key, null)));
        assertTrue(e.getMessage().contains(Fixtures.AGE_RECIPIENT), e.getMessage());
    }

    @Test
    void noKeyAtAllSaysHowToGiveOne() {
        SecretException e = assertThrows(SecretException.class,
                () -> decryptToText(Fixtures.read("sops-age/secret.sops.yaml"), SecretKeys.NONE));
        assertTrue(e.getMessage().contains("SOPS_AGE_KEY_FILE"), e.getMessage());
    }

    @Test
    void encryptThenDecryptRoundTripsTypesListsAndUnencryptedSuffix() {
        String yaml = """
                token: s3cr3t-token
                port: 8080
                ratio: 1.50
                enabled: true
                empty: ""
                nothing:
                list: [a, b]
                nested:
                  deep: v
                  note_unencrypted: plain text
                """;
        String encrypted = Sops.encrypt(yaml, List.of(Fixtures.AGE_RECIPIENT), null, "f.yaml");
        assertFalse(encrypted.contains("s3cr3t-token"), encrypted);
        assertTrue(encrypted.contains("note_unencrypted: plain text"), encrypted);
        assertTrue(encrypted.contains("unencrypted_suffix: _unencrypted"), encrypted);
        assertTrue(encrypted.contains("type:int]") && encrypted.contains("type:float]") && encrypted.contains("type:bool]"), encrypted);
        String plain = decryptToText(encrypted, Fixtures.keys());
        for (String expected : List.of("token: s3cr3t-token", "port: 8080", "ratio: 1.5", "enabled: true",
                "list: [a, b]", "deep: v", "note_unencrypted: plain text")) {
            assertTrue(plain.contains(expected), expected + " in\n" + plain);
        }
        // the decrypted nodes keep their YAML types
        Sops.Decrypted decrypted = Sops.decrypt(compose(encrypted), Fixtures.keys(), "f.yaml");
        assertEquals(8, decrypted.secretNodes().size()); // token, port, ratio, enabled, empty, a, b, deep
    }

    @Test
    void encryptedRegexForKubernetesSecretsLeavesTheRestReadable() {
        String manifest = """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: aws
                stringData:
                  AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI-K7MDENG
                """;
        String encrypted = Sops.encrypt(manifest, List.of(Fixtures.AGE_RECIPIENT), "^(data|stringData)$", "m.yaml");
        assertTrue(encrypted.contains("name: aws") && encrypted.contains("encrypted_regex: ^(data|stringData)$"), encrypted);
        assertFalse(encrypted.contains("wJalrXUtnFEMI"), encrypted);
        assertTrue(decryptToText(encrypted, Fixtures.keys()).contains("wJalrXUtnFEMI-K7MDENG"));
    }

    @Test
    void multiDocumentFilesShareOneMac() {
        String two = "a: one-secret\n---\nb: two-secret\n";
        String encrypted = Sops.encrypt(two, List.of(Fixtures.AGE_RECIPIENT), null, "m.yaml");
        String plain = decryptToText(encrypted, Fixtures.keys());
        assertTrue(plain.contains("one-secret") && plain.contains("two-secret"), plain);
        String dropped = encrypted.substring(0, encrypted.indexOf("---"));
        assertThrows(SecretException.class, () -> decryptToText(dropped, Fixtures.keys()));
    }

    @Test
    void decryptedValuesAreRegisteredForRedaction() {
        decryptToText(Fixtures.read("sops-age/secret.sops.yaml").replace("", ""), Fixtures.keys());
        String yaml = "password: registered-for-redaction\n";
        decryptToText(Sops.encrypt(yaml, List.of(Fixtures.AGE_RECIPIENT), null, "f"), Fixtures.keys());
        assertEquals("x <redacted> y", Redactor.global().redact("x registered-for-redaction y"));
    }
}

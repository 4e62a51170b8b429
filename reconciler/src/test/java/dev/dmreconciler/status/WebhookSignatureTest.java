package dev.dmreconciler.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSignatureTest {

    private static final byte[] SECRET = "s3cr3t".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BODY = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);

    /** The example in GitHub's "Validating webhook deliveries" documentation. */
    @Test
    void githubDocumentationExample() {
        byte[] secret = "It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8);
        byte[] payload = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        String expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

        assertEquals(expected, WebhookSignature.sign(secret, payload));
        assertTrue(WebhookSignature.valid(secret, payload, expected));
    }

    @Test
    void signIsHmacSha256InLowerCaseHex() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        StringBuilder hex = new StringBuilder("sha256=");
        for (byte b : mac.doFinal(BODY)) {
            hex.append(String.format("%02x", b & 0xff));
        }

        assertEquals(hex.toString(), WebhookSignature.sign(SECRET, BODY));
        assertTrue(WebhookSignature.valid(SECRET, BODY, hex.toString()));
    }

    @Test
    void upperCaseHexIsTheSameSignature() {
        String upper = "sha256=" + WebhookSignature.sign(SECRET, BODY).substring("sha256=".length()).toUpperCase();

        assertTrue(WebhookSignature.valid(SECRET, BODY, upper));
    }

    @Test
    void anotherSecretOrAnotherBodyDoesNotMatch() {
        String signature = WebhookSignature.sign(SECRET, BODY);

        assertFalse(WebhookSignature.valid("other".getBytes(StandardCharsets.UTF_8), BODY, signature));
        assertFalse(WebhookSignature.valid(SECRET, "{\"ref\":\"refs/heads/evil\"}".getBytes(StandardCharsets.UTF_8), signature));
        assertFalse(WebhookSignature.valid(SECRET, BODY, WebhookSignature.sign("other".getBytes(StandardCharsets.UTF_8), BODY)));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "sha256=",
        "sha256=zz",
        "sha1=0123456789abcdef0123456789abcdef01234567",
        "SHA256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17 ",
        "sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    })
    void malformedHeadersAreInvalid(String header) {
        assertFalse(WebhookSignature.valid(SECRET, BODY, header));
    }

    @Test
    void missingSecretOrBodyIsInvalid() {
        String signature = WebhookSignature.sign(SECRET, BODY);

        assertFalse(WebhookSignature.valid(null, BODY, signature));
        assertFalse(WebhookSignature.valid(new byte[0], BODY, signature));
        assertFalse(WebhookSignature.valid(SECRET, null, signature));
    }

    @Test
    void anEmptySecretCannotSign() {
        assertThrows(IllegalArgumentException.class, () -> WebhookSignature.sign(new byte[0], BODY));
    }
}

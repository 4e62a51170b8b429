package dev.dmreconciler.status;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * GitHub's webhook signature: header {@code X-Hub-Signature-256: sha256=<hex of HMAC-SHA256(secret, body)>}.
 * Only a holder of the secret can make a delivery trigger a reconcile; the comparison takes the same time
 * wherever the first wrong byte is, so response timing does not leak the expected value byte by byte.
 */
public final class WebhookSignature {

    public static final String HEADER = "X-Hub-Signature-256";

    private static final String PREFIX = "sha256=";
    private static final int HEX_LENGTH = 64;
    private static final HexFormat HEX = HexFormat.of();

    private WebhookSignature() {
    }

    /**
     * Whether {@code headerValue} is the signature of {@code body} under {@code secret}. False for a null or
     * empty secret, a null body, and a null or malformed header (another algorithm, not 64 hex digits).
     */
    public static boolean valid(byte[] secret, byte[] body, String headerValue) {
        if (secret == null || secret.length == 0 || body == null || headerValue == null
                || !headerValue.startsWith(PREFIX) || headerValue.length() != PREFIX.length() + HEX_LENGTH) {
            return false;
        }
        byte[] claimed;
        try {
            claimed = HEX.parseHex(headerValue, PREFIX.length(), headerValue.length());
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(hmac(secret, body), claimed);
    }

    /**
     * The header value GitHub would send: {@code sha256=<lower-case hex>}.
     *
     * @throws IllegalArgumentException for an empty secret, which HMAC cannot key with
     */
    public static String sign(byte[] secret, byte[] body) {
        return PREFIX + HEX.formatHex(hmac(secret, body));
    }

    private static byte[] hmac(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }
}

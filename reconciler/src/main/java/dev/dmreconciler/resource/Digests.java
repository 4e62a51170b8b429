package dev.dmreconciler.resource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short SHA-256 digests for change detection and cache names (not for security decisions). */
public final class Digests {

    private Digests() {
    }

    /** The first {@code hexChars} hex characters of the SHA-256 of the text's UTF-8 bytes. */
    public static String sha256(String text, int hexChars) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, hexChars);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}

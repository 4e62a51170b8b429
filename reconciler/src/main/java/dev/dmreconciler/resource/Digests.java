package dev.dmreconciler.resource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short SHA-256 digests for change detection and cache names (not for security decisions). */
public final class Digests {

    /**
     * One digest per thread, reused: {@code MessageDigest.getInstance} looks the algorithm up among the security
     * providers on every call, twice per object of a plan (its hash and its fingerprint).
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    });

    private Digests() {
    }

    /** The first {@code hexChars} hex characters of the SHA-256 of the text's UTF-8 bytes. */
    public static String sha256(String text, int hexChars) {
        byte[] hash = SHA_256.get().digest(text.getBytes(StandardCharsets.UTF_8)); // digest() resets it
        return HexFormat.of().formatHex(hash).substring(0, hexChars);
    }
}

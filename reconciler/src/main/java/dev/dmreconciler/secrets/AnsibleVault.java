package dev.dmreconciler.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Ansible Vault's {@code $ANSIBLE_VAULT;1.1;AES256} format (and 1.2, which only adds a vault-id label), with the
 * JDK's cryptography: PBKDF2-HMAC-SHA256, 10000 iterations, 80 bytes = AES-256 key | HMAC-SHA256 key | CTR IV;
 * AES-256-CTR over PKCS#7-padded plaintext; HMAC-SHA256 over the ciphertext, checked before decrypting.
 * The body is hex of "hex(salt)\nhex(hmac)\nhex(ciphertext)", in lines of 80.
 */
public final class AnsibleVault {

    public static final String HEADER_PREFIX = "$ANSIBLE_VAULT;";
    private static final String HEADER = "$ANSIBLE_VAULT;1.1;AES256";
    private static final int ITERATIONS = 10000;
    private static final int SALT_BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    private AnsibleVault() {
    }

    /** Whether a text (a whole file or an inline value) is a vault. */
    public static boolean isVault(String text) {
        return text.stripLeading().startsWith(HEADER_PREFIX);
    }

    /**
     * Decrypts a vault text.
     *
     * @param file names the file in errors
     * @throws SecretException for a malformed vault, an unsupported cipher, or a wrong password / tampered body
     */
    public static byte[] decrypt(String text, char[] password, String file) {
        String[] lines = text.strip().split("\\R");
        String[] header = lines[0].strip().split(";");
        if (header.length < 3 || !header[0].equals("$ANSIBLE_VAULT")) {
            throw new SecretException(file, "not an Ansible Vault (no $ANSIBLE_VAULT header)");
        }
        if (!header[1].equals("1.1") && !header[1].equals("1.2")) {
            throw new SecretException(file, "Ansible Vault format version " + header[1] + " is not supported (1.1, 1.2 are)");
        }
        if (!header[2].strip().equals("AES256")) {
            throw new SecretException(file, "Ansible Vault cipher " + header[2] + " is not supported (AES256 is)");
        }
        StringBuilder body = new StringBuilder();
        for (int i = 1; i < lines.length; i++) {
            body.append(lines[i].strip());
        }
        byte[] salt;
        byte[] expectedMac;
        byte[] ciphertext;
        try {
            String[] parts = new String(HEX.parseHex(body), StandardCharsets.US_ASCII).split("\n");
            if (parts.length != 3) {
                throw new IllegalArgumentException("expected salt, HMAC and ciphertext");
            }
            salt = HEX.parseHex(parts[0].strip());
            expectedMac = HEX.parseHex(parts[1].strip());
            ciphertext = HEX.parseHex(parts[2].strip());
        } catch (IllegalArgumentException e) {
            throw new SecretException(file, "Ansible Vault body is damaged (not the hex encoding of salt, HMAC and ciphertext)");
        }
        Keys keys = derive(password, salt);
        byte[] actualMac = hmac(keys.hmacKey, ciphertext);
        if (!MessageDigest.isEqual(actualMac, expectedMac)) {
            throw new SecretException(file, "Ansible Vault HMAC does not match: wrong vault password, or the file was changed");
        }
        byte[] padded = ctr(Cipher.DECRYPT_MODE, keys, ciphertext);
        int pad = padded.length == 0 ? 0 : padded[padded.length - 1] & 0xff;
        if (pad < 1 || pad > 16 || pad > padded.length) {
            throw new SecretException(file, "Ansible Vault plaintext has bad padding");
        }
        for (int i = padded.length - pad; i < padded.length; i++) {
            if ((padded[i] & 0xff) != pad) {
                throw new SecretException(file, "Ansible Vault plaintext has bad padding");
            }
        }
        return Arrays.copyOf(padded, padded.length - pad);
    }

    /** Encrypts as {@code ansible-vault encrypt} does (format 1.1, random salt); ends with a newline. */
    public static String encrypt(byte[] plaintext, char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        Keys keys = derive(password, salt);
        int pad = 16 - plaintext.length % 16;
        byte[] padded = Arrays.copyOf(plaintext, plaintext.length + pad);
        Arrays.fill(padded, plaintext.length, padded.length, (byte) pad);
        byte[] ciphertext = ctr(Cipher.ENCRYPT_MODE, keys, padded);
        String inner = HEX.formatHex(salt) + "\n" + HEX.formatHex(hmac(keys.hmacKey, ciphertext)) + "\n"
                + HEX.formatHex(ciphertext);
        String outer = HEX.formatHex(inner.getBytes(StandardCharsets.US_ASCII));
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < outer.length(); i += 80) {
            out.append(outer, i, Math.min(outer.length(), i + 80)).append('\n');
        }
        return out.toString();
    }

    /** Reads a vault password file as Ansible does: surrounding white space (the final newline) is not part of it. */
    public static char[] password(String fileContent) {
        return fileContent.strip().toCharArray();
    }

    private record Keys(byte[] aesKey, byte[] hmacKey, byte[] iv) {
    }

    private static Keys derive(char[] password, byte[] salt) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password, salt, ITERATIONS, 80 * 8);
            byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            spec.clearPassword();
            return new Keys(Arrays.copyOfRange(derived, 0, 32), Arrays.copyOfRange(derived, 32, 64),
                    Arrays.copyOfRange(derived, 64, 80));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    private static byte[] ctr(int mode, Keys keys, byte[] data) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(mode, new SecretKeySpec(keys.aesKey, "AES"), new IvParameterSpec(keys.iv));
            return cipher.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR is not available in this JDK", e);
        }
    }
}

package dev.dmreconciler.secrets;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * One leaf value of a sops file: {@code ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]} (AES-256-GCM with the data key,
 * the key path as additional data), and the bytes sops hashes into its MAC for a value (Go's formatting of the
 * value as go-yaml v3 types it: booleans {@code True}/{@code False}, integers in decimal, floats shortest).
 */
record SopsValue(String type, byte[] plaintext) {

    private static final Pattern ENC = Pattern.compile("^ENC\\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\\]");
    private static final Pattern INT = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
    private static final Pattern HEX_INT = Pattern.compile("0x[0-9a-fA-F]+");
    private static final Pattern OCT_INT = Pattern.compile("0o[0-7]+");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");

    static boolean isEncrypted(String text) {
        return ENC.matcher(text).find();
    }

    /**
     * @throws GeneralSecurityException when the tag does not verify (wrong data key, changed value or path)
     * @throws IllegalArgumentException when the text is not a sops value
     */
    static SopsValue decrypt(String text, byte[] dataKey, String additionalData) throws GeneralSecurityException {
        if (text.isEmpty()) {
            return new SopsValue("str", new byte[0]);
        }
        Matcher m = ENC.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("not in sops' ENC[AES256_GCM,…] format");
        }
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] data = b64.decode(m.group(1));
        byte[] iv = b64.decode(m.group(2));
        byte[] tag = b64.decode(m.group(3));
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(additionalData.getBytes(StandardCharsets.UTF_8));
        byte[] joined = Arrays.copyOf(data, data.length + tag.length);
        System.arraycopy(tag, 0, joined, data.length, tag.length);
        String type = m.group(4);
        if (!type.matches("str|int|int64|float|bool|bytes|comment")) {
            throw new IllegalArgumentException("unknown sops value type " + type);
        }
        return new SopsValue(type, cipher.doFinal(joined));
    }

    static String encrypt(SopsValue value, byte[] dataKey, String additionalData) {
        try {
            byte[] iv = new byte[32];
            new SecureRandom().nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(128, iv));
            cipher.updateAAD(additionalData.getBytes(StandardCharsets.UTF_8));
            byte[] out = cipher.doFinal(value.plaintext);
            Base64.Encoder b64 = Base64.getEncoder();
            return "ENC[AES256_GCM,data:" + b64.encodeToString(Arrays.copyOf(out, out.length - 16))
                    + ",iv:" + b64.encodeToString(iv) + ",tag:" + b64.encodeToString(Arrays.copyOfRange(out, out.length - 16, out.length))
                    + ",type:" + value.type + "]";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is not available in this JDK", e);
        }
    }

    /** A cleartext YAML scalar as sops types it (null for a null, which sops neither hashes nor encrypts). */
    static SopsValue of(ScalarNode node) {
        String text = node.getValue();
        if (node.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN) {
            return str(text);
        }
        switch (text) {
            case "", "~", "null", "Null", "NULL":
                return null;
            case "true", "True", "TRUE":
                return new SopsValue("bool", "True".getBytes(StandardCharsets.UTF_8));
            case "false", "False", "FALSE":
                return new SopsValue("bool", "False".getBytes(StandardCharsets.UTF_8));
            default:
                break;
        }
        try {
            if (INT.matcher(text).matches()) {
                return new SopsValue("int", Long.toString(Long.parseLong(text)).getBytes(StandardCharsets.UTF_8));
            }
            if (HEX_INT.matcher(text).matches() || OCT_INT.matcher(text).matches()) {
                long value = Long.parseLong(text.substring(2), text.charAt(1) == 'x' ? 16 : 8);
                return new SopsValue("int", Long.toString(value).getBytes(StandardCharsets.UTF_8));
            }
            if (FLOAT.matcher(text).matches()) {
                return new SopsValue("float", formatFloat(Double.parseDouble(text)).getBytes(StandardCharsets.UTF_8));
            }
        } catch (NumberFormatException e) {
            return str(text);
        }
        return str(text);
    }

    static SopsValue str(String text) {
        return new SopsValue("str", text.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes sops' MAC covers for this value (Go's ToBytes of the typed value). */
    byte[] macBytes() {
        String text = new String(plaintext, StandardCharsets.UTF_8);
        return switch (type) {
            case "bool" -> (isTrue(text) ? "True" : "False").getBytes(StandardCharsets.UTF_8);
            case "int", "int64" -> Long.toString(Long.parseLong(text.strip())).getBytes(StandardCharsets.UTF_8);
            case "float" -> formatFloat(Double.parseDouble(text.strip())).getBytes(StandardCharsets.UTF_8);
            default -> plaintext;
        };
    }

    /** The decrypted value as YAML text for its node. */
    String yamlText() {
        String text = new String(plaintext, StandardCharsets.UTF_8);
        return type.equals("bool") ? String.valueOf(isTrue(text)) : text;
    }

    private static boolean isTrue(String text) {
        return switch (text) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            default -> false;
        };
    }

    /** Go's strconv.FormatFloat(v, 'f', -1, 64): shortest form, no exponent. */
    static String formatFloat(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        String plain = new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
        return plain.equals("-0") ? "-0" : plain;
    }

    static boolean isTagFailure(GeneralSecurityException e) {
        return e instanceof AEADBadTagException;
    }
}

package dev.dmreconciler.secrets;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which values of a sops file are encrypted, from its metadata, with sops' precedence: unencrypted suffix, encrypted
 * suffix, unencrypted regex, encrypted regex (each tested against every key on the value's path). With none set,
 * sops' default applies: everything except keys ending in {@code _unencrypted}.
 */
record SopsRules(String unencryptedSuffix, String encryptedSuffix, Pattern unencryptedRegex, Pattern encryptedRegex) {

    static final String DEFAULT_UNENCRYPTED_SUFFIX = "_unencrypted";

    static SopsRules of(String unencryptedSuffix, String encryptedSuffix, String unencryptedRegex, String encryptedRegex) {
        boolean none = empty(unencryptedSuffix) && empty(encryptedSuffix) && empty(unencryptedRegex) && empty(encryptedRegex);
        return new SopsRules(none ? DEFAULT_UNENCRYPTED_SUFFIX : emptyToNull(unencryptedSuffix), emptyToNull(encryptedSuffix),
                empty(unencryptedRegex) ? null : Pattern.compile(unencryptedRegex),
                empty(encryptedRegex) ? null : Pattern.compile(encryptedRegex));
    }

    boolean encrypted(List<String> path) {
        boolean encrypted = true;
        if (unencryptedSuffix != null && path.stream().anyMatch(k -> k.endsWith(unencryptedSuffix))) {
            encrypted = false;
        }
        if (encryptedSuffix != null) {
            encrypted = path.stream().anyMatch(k -> k.endsWith(encryptedSuffix));
        }
        if (unencryptedRegex != null && path.stream().anyMatch(k -> unencryptedRegex.matcher(k).find())) {
            encrypted = false;
        }
        if (encryptedRegex != null) {
            encrypted = path.stream().anyMatch(k -> encryptedRegex.matcher(k).find());
        }
        return encrypted;
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    private static String emptyToNull(String s) {
        return empty(s) ? null : s;
    }
}

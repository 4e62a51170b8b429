package dev.dmreconciler.policy;

import java.util.List;
import java.util.regex.Pattern;

/** Shell-style globs: {@code *} any run of characters, {@code ?} one character, everything else literal. */
final class Globs {

    private Globs() {
    }

    static boolean matches(String glob, String text) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.matches(regex.toString(), text);
    }

    static boolean anyMatches(List<String> globs, String... texts) {
        for (String glob : globs) {
            for (String text : texts) {
                if (matches(glob, text)) {
                    return true;
                }
            }
        }
        return false;
    }
}

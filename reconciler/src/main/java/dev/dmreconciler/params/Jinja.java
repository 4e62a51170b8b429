package dev.dmreconciler.params;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Jinja that real Ansible parameter files use: {@code {{ lookup('env', 'NAME') }}}, optionally
 * piped through {@code default('value')} or {@code default('value', true)}. Anything else is refused with
 * a clear message rather than passed through as text that would end up in the cluster.
 */
final class Jinja {

    private static final Pattern EXPRESSION = Pattern.compile("\\{\\{(.*?)\\}\\}", Pattern.DOTALL);
    private static final Pattern LOOKUP_ENV = Pattern.compile(
            "\\s*lookup\\(\\s*(['\"])env\\1\\s*,\\s*(['\"])([A-Za-z_][A-Za-z0-9_]*)\\2\\s*\\)"
                    + "(?:\\s*\\|\\s*default\\(\\s*(['\"])(.*?)\\4\\s*(,\\s*(true|True)\\s*)?\\))?\\s*");

    private Jinja() {
    }

    static boolean hasTemplate(String text) {
        return text.contains("{{") || text.contains("{%") || text.contains("{#");
    }

    /**
     * Evaluates every {@code {{ … }}} in a string.
     *
     * @throws IllegalArgumentException naming the unsupported expression
     */
    static String evaluate(String text, Function<String, String> getenv) {
        if (text.contains("{%") || text.contains("{#")) {
            throw new IllegalArgumentException("Jinja statements and comments ({% %}, {# #}) are not supported;"
                    + " only {{ lookup('env', 'NAME') }} is");
        }
        Matcher matcher = EXPRESSION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            Matcher lookup = LOOKUP_ENV.matcher(matcher.group(1));
            if (!lookup.matches()) {
                throw new IllegalArgumentException("unsupported Jinja expression '" + matcher.group()
                        + "': only {{ lookup('env', 'NAME') }} (optionally | default('value')) is supported");
            }
            String value = getenv.apply(lookup.group(3));
            boolean hasDefault = lookup.group(5) != null;
            boolean defaultOnEmpty = lookup.group(7) != null;
            // Ansible's env lookup yields '' for an unset variable; default() applies to '' only with its
            // second argument true, exactly as in Jinja.
            if (value == null) {
                value = "";
            }
            if (hasDefault && defaultOnEmpty && value.isEmpty()) {
                value = lookup.group(5);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        if (EXPRESSION.matcher(text).replaceAll("").contains("{{")) {
            throw new IllegalArgumentException("unbalanced Jinja expression in '" + text + "'");
        }
        return out.toString();
    }
}

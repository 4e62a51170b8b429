package dev.dmreconciler.render;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * FreeMarker's error messages in the words of a bundle author: "expected a map but {@code pr_name} is a
 * string" instead of "Expected a hash, but this has evaluated to a string (wrapper: f.t.SimpleScalar)"; no Java
 * class names (wrappers, loaders, exceptions) and no repeated "[in template … at line …]" (the problem is
 * already located).
 */
final class TemplateMessages {

    /** For "${...}" content: Expected X, but this has evaluated to Y (wrapper…): ==> expr  [in template …] */
    private static final Pattern TYPE_MISMATCH = Pattern.compile(
            "^For \"(?<ctx>[^\"]*)\" (?<role>[^:]*): Expected (?<expected>.*?), but this has evaluated to "
                    + "(?<actual>an? [a-z_+ ]+?|[a-z_+ ]+?)(?: \\([^)]*\\))?: ==> (?<expr>.*?)\\s*(?:\\[in template[^\\]]*\\])?\\.?$");
    private static final Pattern MISSING = Pattern.compile(
            "^The following has evaluated to null or missing: ==> (?<expr>.*?)\\s*(?:\\[in template[^\\]]*\\])?\\.?$");
    private static final Pattern NOT_FOUND = Pattern.compile(
            "^Template (?:inclusion|importing) failed \\(for parameter value \"(?<name>[^\"]*)\"\\): Template not found for "
                    + "name \"(?<resolved>[^\"]*)\".*$");
    private static final Pattern INSTANTIATING = Pattern.compile("Instantiating (\\S+) is not allowed");
    private static final Pattern BLAMED = Pattern.compile("\\s*The blamed expression: ==> (?<expr>.*?)\\s*(?:\\[in template[^\\]]*\\])?\\.?$");
    private static final Pattern LOCATION = Pattern.compile("\\s*\\[in template \"[^\"]*\"(?: in (?:macro|function) \"[^\"]*\")? at line \\d+, column \\d+\\]");
    private static final Pattern WRAPPER = Pattern.compile("\\s*\\((?:wrapper: |[A-Za-z0-9_$]+ wrapped into )[a-z]\\.[a-z]\\.[A-Za-z0-9_$]+\\)");
    /** A Java class name (package.Class, optionally @hash), the last resort; not inside quotes. */
    private static final Pattern JAVA_NAME = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:@[0-9a-f]+)?:?");

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("sequence", "a list"), Map.entry("a sequence", "a list"), Map.entry("collection", "a list"),
            Map.entry("a collection", "a list"), Map.entry("sequence or collection", "a list"),
            Map.entry("a sequence or collection", "a list"), Map.entry("hash", "a map"), Map.entry("a hash", "a map"),
            Map.entry("an extended_hash", "a map"), Map.entry("extended_hash", "a map"),
            Map.entry("an extended_hash+string", "a map"), Map.entry("a hash+string", "a map"),
            Map.entry("a sequence+hash", "a list"), Map.entry("string", "a string"), Map.entry("a string", "a string"),
            Map.entry("number", "a number"), Map.entry("a number", "a number"), Map.entry("boolean", "a boolean"),
            Map.entry("a boolean", "a boolean"), Map.entry("a method or function", "a function"),
            Map.entry("method or function", "a function"), Map.entry("a method", "a function"),
            Map.entry("a macro", "a macro"), Map.entry("a markup_output", "a string"), Map.entry("a date", "a date"));

    private TemplateMessages() {
    }

    static String translate(String message) {
        String text = message.strip();
        Matcher m = TYPE_MISMATCH.matcher(text);
        if (m.matches()) {
            return typeMismatch(m.group("ctx"), m.group("expected"), m.group("actual"), m.group("expr"));
        }
        m = MISSING.matcher(text);
        if (m.matches()) {
            String expr = m.group("expr");
            return "`" + expr + "` is not defined (a misspelt name, or a value that is not set; a default: `"
                    + expr + "!\"…\"`, a test: `" + expr + "??`)";
        }
        m = NOT_FOUND.matcher(text);
        if (m.matches()) {
            return "template \"" + m.group("name") + "\" not found (looked for " + m.group("resolved")
                    + "; templates load only from " + String.join(", ", RepoTemplateLoader.TEMPLATE_ROOTS)
                    + ", shared macros as /lib/NAME.ftl from templates/_lib/)";
        }
        m = INSTANTIATING.matcher(text);
        if (m.find()) {
            return "?new is disabled: templates cannot create Java objects (asked for " + m.group(1) + ")";
        }
        if (text.startsWith("Can't use ?api")) {
            return "?api is disabled: templates cannot reach Java objects";
        }
        m = BLAMED.matcher(text);
        if (m.find()) {
            text = text.substring(0, m.start()) + " (in `" + m.group("expr") + "`)";
        }
        text = LOCATION.matcher(text).replaceAll("");
        text = WRAPPER.matcher(text).replaceAll("");
        return withoutJavaNames(text).strip();
    }

    private static String typeMismatch(String context, String expected, String actual, String expr) {
        String want = expected.startsWith("a string or something automatically convertible to string")
                || expected.startsWith("string or something")
                ? "a string, number or boolean" : TYPES.getOrDefault(expected.strip(), expected.strip());
        String got = TYPES.getOrDefault(actual.strip(), actual.strip());
        String hint = "";
        if (context.equals("${...}") && (got.equals("a list") || got.equals("a map"))) {
            hint = " (print it with dmr.toYaml(…), dmr.toJson(…) or ?join(\", \"))";
        } else if (context.equals(".") && !got.equals("a map")) {
            hint = " (`.` reads a key of a map)";
        } else if (context.equals("#if") && !got.equals("a boolean")) {
            hint = " (compare it, e.g. `x == \"yes\"`, or convert it with ?boolean)";
        }
        String where = switch (context) {
            case "${...}" -> "";
            case "#list" -> " for #list";
            default -> " for \"" + context + "\"";
        };
        return "expected " + want + where + " but `" + expr + "` is " + got + hint;
    }

    /** Removes Java class names outside double-quoted text. */
    static String withoutJavaNames(String text) {
        StringBuilder out = new StringBuilder();
        List<String> parts = List.of(text.split("\"", -1));
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                out.append('"');
            }
            out.append(i % 2 == 0 ? JAVA_NAME.matcher(parts.get(i)).replaceAll("").replaceAll(" {2,}", " ") : parts.get(i));
        }
        return out.toString();
    }
}

package dev.dmreconciler.params;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/** How to write a value so that it reads back as exactly that string, in YAML 1.1 (snakeyaml, Ansible). */
final class YamlQuoting {

    /** Characters that mean something other than text at the start of a plain scalar (plus {@code = < ~}). */
    private static final String START_INDICATORS = "-?:,[]{}#&*!|>'\"%@`=<~";
    private static final String FLOW_INDICATORS = ",[]{}:";
    /** YAML 1.1 booleans and nulls, compared in any case to be safe. */
    private static final Set<String> WORDS = Set.of("yes", "no", "on", "off", "true", "false", "y", "n", "null", "~");
    /** Anything YAML 1.1 or 1.2 could read as a number: 1, 1_000, 019, 1.0, 19.20, .5, 1e3, 0x1F, 0o7, 0b1, 1:20, .inf. */
    private static final Pattern NUMBER = Pattern.compile("[-+]?("
            + "[0-9][0-9_]*(\\.[0-9_]*)?(e[-+]?[0-9]+)?"
            + "|\\.[0-9][0-9_]*(e[-+]?[0-9]+)?"
            + "|0x[0-9a-f_]+|0o[0-7_]+|0b[01_]+"
            + "|[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?"
            + "|\\.(inf|nan))", Pattern.CASE_INSENSITIVE);
    /** YAML 1.1 timestamps (Ansible would get a date). */
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt \\t].*)?");
    private static final Resolver RESOLVER = new Resolver();

    private YamlQuoting() {
    }

    /** The value in the old scalar's quote style; a plain one stays plain only when that is safe. */
    static String value(String value, ScalarStyle oldStyle, boolean inFlow) {
        if (needsEscapes(value)) {
            return doubleQuoted(value);
        }
        return switch (oldStyle) {
            case DOUBLE_QUOTED -> doubleQuoted(value);
            case SINGLE_QUOTED -> singleQuoted(value);
            default -> isSafePlain(value, inFlow) ? value : singleQuoted(value);
        };
    }

    static String key(String key, boolean inFlow) {
        return value(key, ScalarStyle.PLAIN, inFlow);
    }

    /**
     * Conservative: true only for text that every YAML 1.1 reader takes as this very string when written
     * unquoted. Rather quote one value too many than turn a version into a number.
     */
    static boolean isSafePlain(String value, boolean inFlow) {
        if (value.isEmpty() || !value.equals(value.strip()) || needsEscapes(value) || value.indexOf('\t') >= 0) {
            return false;
        }
        if (START_INDICATORS.indexOf(value.charAt(0)) >= 0) {
            return false;
        }
        if (value.contains(": ") || value.endsWith(":") || value.contains(" #")) {
            return false;
        }
        if (inFlow && value.chars().anyMatch(c -> FLOW_INDICATORS.indexOf(c) >= 0)) {
            return false;
        }
        if (WORDS.contains(value.toLowerCase(Locale.ROOT)) || NUMBER.matcher(value).matches()
                || DATE.matcher(value).matches()) {
            return false;
        }
        return RESOLVER.resolve(NodeId.scalar, value, true).equals(Tag.STR);
    }

    /** Characters that YAML only accepts escaped, in double quotes (tab included, to keep it visible). */
    static boolean needsEscapes(String value) {
        return value.codePoints().anyMatch(YamlQuoting::mustEscape);
    }

    private static boolean mustEscape(int c) {
        return c == '\t' || Character.isISOControl(c) || c == 0xFEFF || !StreamReader.isPrintable(c);
    }

    static String singleQuoted(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String doubleQuoted(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        value.codePoints().forEach(c -> {
            if (c == '\\' || c == '"') {
                quoted.append('\\').appendCodePoint(c);
            } else if (c == '\t') {
                quoted.append("\\t");
            } else if (mustEscape(c)) {
                quoted.append(c <= 0xFF ? String.format("\\x%02X", c)
                        : c <= 0xFFFF ? String.format("\\u%04X", c) : String.format("\\U%08X", c));
            } else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.append('"').toString();
    }
}

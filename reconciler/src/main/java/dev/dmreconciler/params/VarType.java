package dev.dmreconciler.params;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Declared type of a bundle variable. Values are converted the way Ansible's filters read them:
 * booleans accept yes/no/true/false/on/off, strings keep the text exactly as written.
 */
public enum VarType {
    STRING("a string"),
    INTEGER("an integer"),
    BOOLEAN("a boolean (yes/no/true/false)"),
    LIST("a list"),
    MAP("a mapping"),
    ANY("any value");

    private final String description;

    VarType(String description) {
        this.description = description;
    }

    /** Reads a type name as written in bundle.yaml; null when the name is not a type. */
    public static VarType parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "string", "str" -> STRING;
            case "integer", "int" -> INTEGER;
            case "boolean", "bool" -> BOOLEAN;
            case "list" -> LIST;
            case "map", "dict" -> MAP;
            case "any" -> ANY;
            default -> null;
        };
    }

    /**
     * Converts a value that is either a scalar's text (String), null, or a plain List/Map.
     *
     * @return the converted value
     * @throws IllegalArgumentException with a message saying what was expected
     */
    public Object convert(Object value) {
        switch (this) {
            case STRING -> {
                if (value == null) {
                    return "";
                }
                if (value instanceof List || value instanceof Map) {
                    throw mismatch(value);
                }
                return value.toString();
            }
            case INTEGER -> {
                try {
                    return Long.parseLong(String.valueOf(value).trim().replace("_", ""));
                } catch (NumberFormatException e) {
                    throw mismatch(value);
                }
            }
            case BOOLEAN -> {
                Boolean parsed = value == null ? null : parseBoolean(value.toString());
                if (parsed == null) {
                    throw mismatch(value);
                }
                return parsed;
            }
            case LIST -> {
                if (!(value instanceof List)) {
                    throw mismatch(value);
                }
                return value;
            }
            case MAP -> {
                if (!(value instanceof Map)) {
                    throw mismatch(value);
                }
                return value;
            }
            default -> {
                return value;
            }
        }
    }

    /** Ansible's truthy/falsy words; null when the text is neither. */
    public static Boolean parseBoolean(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "yes", "y", "true", "on", "1" -> Boolean.TRUE;
            case "no", "n", "false", "off", "0" -> Boolean.FALSE;
            default -> null;
        };
    }

    private IllegalArgumentException mismatch(Object value) {
        String shown = value instanceof List ? "a list" : value instanceof Map ? "a mapping"
                : value == null ? "nothing (null)" : "'" + value + "'";
        return new IllegalArgumentException("expected " + description + ", got " + shown);
    }
}

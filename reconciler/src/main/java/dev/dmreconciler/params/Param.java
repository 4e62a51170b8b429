package dev.dmreconciler.params;

/**
 * A variable's value and where it came from: "file:line" of the file that set it, or the bundle file
 * for a default. Keeping the origin lets every later error point at the line a person must edit.
 *
 * @param secret the value must never be printed (a {@code secret: true} variable, or a value from a secret source)
 */
public record Param(Object value, String where, boolean isDefault, boolean secret) {

    public Param(Object value, String where, boolean isDefault) {
        this(value, where, isDefault, false);
    }

    /** The same value with another one in its place (a deep-merged map). */
    public Param withValue(Object newValue) {
        return new Param(newValue, where, isDefault, secret);
    }
}

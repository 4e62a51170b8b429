package dev.dmreconciler.params;

/**
 * A variable's value and where it came from: "file:line" of the file that set it, or the bundle file
 * for a default. Keeping the origin lets every later error point at the line a person must edit.
 *
 * @param secret the value came from a vault, sops file, env lookup or a {@code secret: true} variable: it is never
 *               printed (diff parameter tables, promote, errors show {@code <redacted>})
 */
public record Param(Object value, String where, boolean isDefault, boolean secret) {

    public Param(Object value, String where, boolean isDefault) {
        this(value, where, isDefault, false);
    }
}

package dev.dmreconciler.params;

/**
 * A variable's value and where it came from: "file:line" of the file that set it, or the bundle file
 * for a default. Keeping the origin lets every later error point at the line a person must edit.
 */
public record Param(Object value, String where, boolean isDefault) {
}

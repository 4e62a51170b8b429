package dev.dmreconciler.params;

import java.util.List;

/**
 * A variable a bundle declares: its type, default (null when it has none), whether it must be set, its doc.
 *
 * @param promote whether {@code promote} carries it from one environment to the next by default (image tags)
 * @param of      element type of a list or map variable ({@code of: string}), or null for untyped elements
 * @param secret  the value is sensitive and must never be printed ({@code secret: true})
 */
public record Variable(String name, VarType type, Param defaultValue, boolean required, String description,
                       List<String> allowed, boolean promote, VarType of, boolean secret) {

    public Variable(String name, VarType type, Param defaultValue, boolean required, String description,
                    List<String> allowed, boolean promote) {
        this(name, type, defaultValue, required, description, allowed, promote, null, false);
    }

    public Variable(String name, VarType type, Param defaultValue, boolean required, String description,
                    List<String> allowed, boolean promote, boolean secret) {
        this(name, type, defaultValue, required, description, allowed, promote, null, secret);
    }
}

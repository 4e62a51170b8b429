package dev.dmreconciler.params;

import java.util.List;

/**
 * A variable a bundle declares: its type, default (null when it has none), whether it must be set, its doc.
 *
 * @param promote whether {@code promote} carries it from one environment to the next by default (image tags)
 * @param secret  {@code secret: true}: its value is never printed, wherever it came from
 */
public record Variable(String name, VarType type, Param defaultValue, boolean required, String description,
                       List<String> allowed, boolean promote, boolean secret) {

    public Variable(String name, VarType type, Param defaultValue, boolean required, String description,
                    List<String> allowed, boolean promote) {
        this(name, type, defaultValue, required, description, allowed, promote, false);
    }
}

package dev.dmreconciler.diff;

import dev.dmreconciler.params.AppInstance;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.params.Param;
import dev.dmreconciler.params.ParamFileEditor;
import dev.dmreconciler.params.Variable;
import dev.dmreconciler.resource.Manifests;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Promotion of parameter values from one environment to another (staging → production): which keys
 * differ, which are promoted (by default the variables their bundle marks {@code promote: true}, such as
 * image tags), and the target file as it reads after the edit, comments and key order kept.
 */
public final class Promotion {

    /** One differing key. {@code selected}: it is promoted. */
    public record Difference(String application, String key, Object from, Object to, boolean selected) {
    }

    private final Environment from;
    private final Environment to;
    private final List<Difference> differences;

    private Promotion(Environment from, Environment to, List<Difference> differences) {
        this.from = from;
        this.to = to;
        this.differences = differences;
    }

    /**
     * @param keys keys to promote, or null for the bundles' {@code promote: true} variables
     */
    public static Promotion between(Environment from, Environment to, Set<String> keys) {
        List<Difference> differences = new ArrayList<>();
        Set<String> known = new TreeSet<>();
        for (AppInstance target : to.apps()) {
            AppInstance source = from.apps().stream().filter(a -> a.name().equals(target.name())).findFirst().orElse(null);
            if (source == null) {
                continue;
            }
            for (Variable variable : target.bundle().variables().values()) {
                known.add(variable.name());
                if (variable.name().equals(target.bundle().namespaceVariable())) {
                    continue; // each environment's own namespace is never promoted
                }
                Object a = value(source.values().get(variable.name()));
                Object b = value(target.values().get(variable.name()));
                boolean secret = variable.secret() || isSecret(source.values().get(variable.name()))
                        || isSecret(target.values().get(variable.name()));
                if (secret && keys != null && keys.contains(variable.name())) {
                    // never written in clear into the target file: secrets stay in their vault or sops file
                    throw InvalidInputException.of(to.file(), variable.name(), "is secret and is not promoted;"
                            + " set it in the target's vault or sops file");
                }
                if (!Objects.equals(a, b)) {
                    boolean selected = keys == null ? variable.promote() : keys.contains(variable.name());
                    if (secret) {
                        differences.add(new Difference(target.name(), variable.name(), a == null ? null : Manifests.REDACTED,
                                b == null ? null : Manifests.REDACTED_CHANGED, false));
                        continue;
                    }
                    differences.add(new Difference(target.name(), variable.name(), a, b, selected));
                }
            }
        }
        if (keys != null) {
            Set<String> unknown = new TreeSet<>(keys);
            unknown.removeAll(known);
            if (!unknown.isEmpty()) {
                throw InvalidInputException.of(to.file(), "--keys", "not variables of the applications both environments install: " + unknown);
            }
        }
        return new Promotion(from, to, List.copyOf(differences));
    }

    public List<Difference> differences() {
        return differences;
    }

    public List<Difference> selected() {
        return differences.stream().filter(Difference::selected).toList();
    }

    /** The target file's text with the selected values set (at the environment level of its form). */
    public String edit(String content) {
        Map<List<String>, String> changes = new LinkedHashMap<>();
        for (Difference difference : selected()) {
            if (difference.from() instanceof Map || difference.from() instanceof List) {
                throw InvalidInputException.of(to.file(), difference.key(), "only scalar values can be promoted");
            }
            if (difference.from() == null) {
                throw InvalidInputException.of(from.file(), difference.key(), "has no value to promote");
            }
            List<String> path = to.form() == Environment.Form.ANSIBLE ? List.of(difference.key())
                    : List.of("applications", difference.application(), "values", difference.key());
            changes.put(path, String.valueOf(difference.from()));
        }
        try {
            return ParamFileEditor.setAll(to.file(), content, changes);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of(to.file(), null, e.getMessage());
        }
    }

    private static boolean isSecret(Param param) {
        return param != null && param.secret();
    }

    private static Object value(Param param) {
        return param == null ? null : param.value();
    }
}

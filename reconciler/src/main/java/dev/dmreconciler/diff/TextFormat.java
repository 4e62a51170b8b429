package dev.dmreconciler.diff;

import dev.dmreconciler.plan.Plan;
import java.util.List;
import java.util.Map;

/** The diff for a terminal: per environment, parameter changes, then per scope each object's unified diff. */
public final class TextFormat {

    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String CYAN = "\u001b[36m";
    private static final String BOLD = "\u001b[1m";
    private static final String RESET = "\u001b[0m";

    private final boolean color;

    public TextFormat(boolean color) {
        this.color = color;
    }

    public String render(DiffReport report) {
        StringBuilder out = new StringBuilder();
        out.append(paint(BOLD, report.title())).append('\n');
        for (EnvironmentDiff environment : report.environments()) {
            out.append('\n').append(paint(BOLD, "environment " + environment.environment())).append('\n');
            if (environment.objects().isEmpty() && environment.parameters().isEmpty() && environment.errors().isEmpty()) {
                out.append("  no changes (").append(environment.unchanged()).append(" objects unchanged)\n");
            }
            for (ParamChange change : environment.parameters()) {
                out.append("  parameter ").append(change.file()).append(": ").append(change.key()).append(": ")
                        .append(Values.show(change.before())).append(" -> ").append(Values.show(change.after())).append('\n');
            }
            byScope(environment.objects()).forEach((scope, objects) -> {
                out.append("  ").append(environment.display(scope)).append(":\n");
                for (ObjectDiff object : objects) {
                    out.append("    ").append(symbol(object.kind())).append(' ').append(object.kind().word()).append(' ')
                            .append(object.key());
                    if (object.note() != null && !object.note().isEmpty() && object.kind() != ObjectDiff.Kind.CREATE) {
                        out.append(" (").append(object.note()).append(')');
                    }
                    out.append('\n');
                    object.conflicts().forEach(c -> out.append("      forced conflict: ").append(c).append('\n'));
                    if (object.kind() != ObjectDiff.Kind.KEEP && object.kind() != ObjectDiff.Kind.REFUSE) {
                        object.unified().lines().forEach(line -> out.append("      ").append(colorLine(line)).append('\n'));
                    }
                }
            });
            environment.errors().forEach(e -> out.append("  ").append(paint(RED, "error: " + e)).append('\n'));
        }
        out.append('\n').append(report.summary()).append('\n');
        return out.toString();
    }

    static Map<String, List<ObjectDiff>> byScope(List<ObjectDiff> objects) {
        return Plan.groupByScope(objects, ObjectDiff::scope);
    }

    private static String symbol(ObjectDiff.Kind kind) {
        return switch (kind) {
            case CREATE -> "+";
            case DELETE -> "-";
            case UPDATE, ADOPT -> "~";
            case REPLACE -> "±";
            case KEEP, REFUSE -> "=";
        };
    }

    private String colorLine(String line) {
        if (line.startsWith("+++") || line.startsWith("---")) {
            return paint(BOLD, line);
        }
        if (line.startsWith("+")) {
            return paint(GREEN, line);
        }
        if (line.startsWith("-")) {
            return paint(RED, line);
        }
        return line.startsWith("@@") ? paint(CYAN, line) : line;
    }

    private String paint(String code, String text) {
        return color ? code + text + RESET : text;
    }
}

package dev.dmreconciler.diff;

import java.util.List;

/**
 * The diff as a pull-request comment: a summary table per environment and namespace, the parameter changes,
 * and each object's diff in a collapsible block. Kept under a size limit (GitHub comments hold 65,536
 * characters): past it, object diffs are listed without their body and a note says what was left out.
 */
public final class MarkdownFormat {

    public static final int DEFAULT_MAX_CHARS = 60_000;

    private final int maxChars;

    public MarkdownFormat(int maxChars) {
        this.maxChars = maxChars;
    }

    public String render(DiffReport report) {
        StringBuilder out = new StringBuilder();
        out.append("### ").append(report.title()).append("\n\n**").append(report.summary()).append("**\n\n");
        out.append("| environment | scope | create | update | delete | kept |\n|---|---|---:|---:|---:|---:|\n");
        for (EnvironmentDiff environment : report.environments()) {
            TextFormat.byScope(environment.objects()).forEach((scope, objects) -> out.append("| ")
                    .append(cell(environment.environment())).append(" | ").append(cell(environment.display(scope))).append(" | ")
                    .append(count(objects, ObjectDiff.Kind.CREATE)).append(" | ").append(count(objects, ObjectDiff.Kind.UPDATE) + count(objects, ObjectDiff.Kind.REPLACE)) // a replacement updates
                    .append(" | ").append(count(objects, ObjectDiff.Kind.DELETE)).append(" | ")
                    .append(count(objects, ObjectDiff.Kind.KEEP)).append(" |\n"));
        }
        if (!report.hasChanges()) {
            out.append("| (all) | | 0 | 0 | 0 | 0 |\n\nNo changes.\n");
        }
        int omitted = 0;
        for (EnvironmentDiff environment : report.environments()) {
            if (environment.objects().isEmpty() && environment.parameters().isEmpty() && environment.errors().isEmpty()) {
                continue;
            }
            out.append("\n#### ").append(environment.environment()).append("\n\n");
            if (!environment.parameters().isEmpty()) {
                out.append("| file | parameter | before | after |\n|---|---|---|---|\n");
                environment.parameters().forEach(p -> out.append("| ").append(cell(p.file())).append(" | `")
                        .append(cell(p.key())).append("` | ").append(cell(Values.show(p.before()))).append(" | ")
                        .append(cell(Values.show(p.after()))).append(" |\n"));
                out.append('\n');
            }
            environment.errors().forEach(e -> out.append("> :x: ").append(e).append('\n'));
            for (ObjectDiff object : environment.objects()) {
                String title = object.kind().word() + " `" + object.key() + "`"
                        + (object.conflicts().isEmpty() ? "" : " (takes " + String.join(", ", object.conflicts()) + ")");
                String block = "<details><summary>" + title + "</summary>\n\n```diff\n" + object.unified() + "```\n</details>\n";
                if (object.kind() == ObjectDiff.Kind.KEEP) {
                    out.append("- kept ").append('`').append(object.key()).append("`: ").append(object.note()).append('\n');
                } else if (out.length() + block.length() <= maxChars) {
                    out.append(block);
                } else {
                    out.append("- ").append(title).append('\n');
                    omitted++;
                }
            }
        }
        if (omitted > 0) {
            out.append("\n_Truncated: ").append(omitted).append(" object diff(s) listed without their body to stay under ")
                    .append(maxChars).append(" characters; the CI log has the full diff (`-o text`)._\n");
        }
        return out.toString();
    }

    private static long count(List<ObjectDiff> objects, ObjectDiff.Kind kind) {
        return objects.stream().filter(o -> o.kind() == kind).count();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}

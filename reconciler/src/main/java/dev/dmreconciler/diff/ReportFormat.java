package dev.dmreconciler.diff;

/** Picks the output format of a diff report by its name on the command line. */
public final class ReportFormat {

    private ReportFormat() {
    }

    /**
     * @param format   "text", "markdown" (or "md") or "json"
     * @param color    colours for text (callers pass true only for a terminal)
     * @param maxChars size limit of markdown
     */
    public static String render(DiffReport report, String format, boolean color, int maxChars) {
        return switch (format) {
            case "json" -> new JsonFormat().render(report);
            case "markdown", "md" -> new MarkdownFormat(maxChars).render(report);
            case "text" -> new TextFormat(color).render(report);
            default -> throw new IllegalArgumentException("unknown output format '" + format + "'; use text, markdown or json");
        };
    }
}

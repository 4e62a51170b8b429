package dev.dmreconciler.render;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The template locations in a FreeMarker instruction stack ({@code TemplateException.getFTLInstructionStack()}),
 * innermost first: which template line was executing, and through which macro calls and includes it was reached.
 */
record TemplateStack(List<Frame> frames) {

    /** One executing instruction: its repository path, line and column, and its source as FreeMarker shows it. */
    record Frame(String template, int line, int column, String instruction) {
        String where() {
            return template + ":" + line;
        }
    }

    private static final Pattern FRAME = Pattern.compile(
            "^\\s*[-~] (?:Failed at|Reached through): (?<what>.*?)\\s*\\[in template \"(?<t>[^\"]+)\"(?: in (?:macro|function) "
                    + "\"[^\"]*\")? at line (?<l>\\d+), column (?<c>\\d+)\\]\\s*$");

    static TemplateStack parse(String stack) {
        List<Frame> frames = new ArrayList<>();
        if (stack != null) {
            for (String line : stack.split("\n")) {
                Matcher m = FRAME.matcher(line);
                if (m.matches()) {
                    frames.add(new Frame(RepoTemplateLoader.repoPath(m.group("t")), Integer.parseInt(m.group("l")),
                            Integer.parseInt(m.group("c")), m.group("what")));
                }
            }
        }
        return new TemplateStack(List.copyOf(frames));
    }

    /** " (reached from templates/app/x.yaml.ftl:12)" when the innermost frame is in another file; else "". */
    String caller() {
        if (frames.size() < 2) {
            return "";
        }
        Frame inner = frames.get(0);
        Frame outer = frames.get(frames.size() - 1);
        return outer.template().equals(inner.template()) ? "" : " (reached from " + outer.where() + ")";
    }
}

package dev.dmreconciler.diff;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.util.List;

/** Unified diffs of display YAML, three lines of context. */
final class UnifiedDiff {

    private UnifiedDiff() {
    }

    static String of(String name, String before, String after) {
        List<String> original = lines(before);
        List<String> revised = lines(after);
        Patch<String> patch = DiffUtils.diff(original, revised);
        List<String> unified = UnifiedDiffUtils.generateUnifiedDiff(before.isEmpty() ? "/dev/null" : "a/" + name,
                after.isEmpty() ? "/dev/null" : "b/" + name, original, patch, 3);
        return String.join("\n", unified) + (unified.isEmpty() ? "" : "\n");
    }

    private static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return List.of(body.split("\n", -1));
    }
}

package dev.dmreconciler.cli;

import dev.dmreconciler.diff.DiffReport;
import dev.dmreconciler.diff.MarkdownFormat;
import dev.dmreconciler.diff.OfflineDiff;
import dev.dmreconciler.diff.Promotion;
import dev.dmreconciler.diff.ReportFormat;
import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.source.OverlayTree;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Shows (and with --write makes) the edit that promotes values from one environment to another. */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = {"Promote parameter values (by default image tags/versions) from one environment to another: "
                + "shows the keys that differ and the object diff the target would get; --write edits the target "
                + "file in place, comments and key order kept, ready for a pull request.",
                "Exit codes: 0 nothing to promote, 1 changes, 2 error."})
final class PromoteCommand implements Callable<Integer> {

    @Mixin
    RepoOptions repoOptions;

    @Option(names = "--from", required = true, paramLabel = "ENV", description = "Source environment.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "ENV", description = "Target environment.")
    String to;

    @Option(names = "--keys", split = ",", paramLabel = "KEY", description = "Keys to promote (default: the bundles' promote: true variables).")
    Set<String> keys;

    @Option(names = "--write", description = "Write the edited target file.")
    boolean write;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT", description = "text, markdown or json.")
    String output;

    @Option(names = "--no-color", description = "No colours in text output.")
    boolean noColor;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            ConfigRepo repo = repoOptions.open();
            Problems problems = new Problems();
            Environment source = repo.loader().load(from, null, problems);
            Environment target = repo.loader().load(to, null, problems);
            problems.throwIfErrors();
            Promotion promotion = Promotion.between(source, target, keys);
            if (!"json".equals(output)) {
                out.println("promote " + from + " -> " + to);
                for (Promotion.Difference d : promotion.differences()) {
                    out.printf("  %s %s.%s: '%s' -> '%s'%s%n", d.selected() ? "*" : " ", d.application(), d.key(),
                            d.to(), d.from(), d.selected() ? "" : "   (differs, not promoted)");
                }
            }
            if (promotion.selected().isEmpty()) {
                out.println("nothing to promote");
                out.flush();
                return DiffCommand.NO_CHANGES;
            }
            Path file = repoOptions.repo.resolve(target.file());
            String edited = promotion.edit(Files.readString(file));
            OverlayTree after = new OverlayTree(repo.tree(), Map.of(target.file(), edited.getBytes(StandardCharsets.UTF_8)));
            DiffReport full = new OfflineDiff(System::getenv).diff("dm-reconciler promote " + from + " -> " + to, repo.tree(), after);
            DiffReport report = new DiffReport(full.title(), full.environments().stream()
                    .filter(e -> e.environment().equals(to)).toList());
            out.print(ReportFormat.render(report, output, !noColor && System.console() != null, MarkdownFormat.DEFAULT_MAX_CHARS));
            if (write) {
                Files.writeString(file, edited, StandardCharsets.UTF_8);
                err.println("wrote " + target.file());
            }
            out.flush();
            return report.hasErrors() ? DiffCommand.ERROR : DiffCommand.CHANGES;
        } catch (InvalidInputException e) {
            e.problems().all().forEach(err::println);
            return DiffCommand.ERROR;
        }
    }
}

package dev.dmreconciler.cli;

import dev.dmreconciler.diff.DiffReport;
import dev.dmreconciler.diff.EnvironmentDiff;
import dev.dmreconciler.diff.LiveDiff;
import dev.dmreconciler.diff.MarkdownFormat;
import dev.dmreconciler.diff.OfflineDiff;
import dev.dmreconciler.diff.ReportFormat;
import dev.dmreconciler.kube.RequestCounter;
import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.policy.GuardOptions;
import dev.dmreconciler.policy.Rules;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.source.DirectoryTree;
import dev.dmreconciler.source.GitTree;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a change would do. Live (--env/--env-file): against the cluster, with server-side dry run. Offline
 * (--base): between two git revisions of the repository, for every environment, no cluster.
 * Exit codes: 0 no changes, 1 changes, 2 error.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Show what a change does. Live: diff (--env NAME | --env-file FILE) against the cluster "
                + "(server-side dry run, nothing written). Offline: diff --base REF [--head REF] renders both git "
                + "revisions of every environment (no cluster).",
                "Exit codes: 0 no changes, 1 changes, 2 error (--exit-zero: 0 unless error)."})
final class DiffCommand implements Callable<Integer> {

    static final int NO_CHANGES = 0;
    static final int CHANGES = 1;
    static final int ERROR = 2;

    @Mixin
    RepoOptions repoOptions;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    EnvironmentChoice choice;

    @Option(names = "--base", paramLabel = "REF", description = "Offline: the base revision (branch, tag, SHA).")
    String base;

    @Option(names = "--head", paramLabel = "REF", description = "Offline: the head revision. Default: the working tree of --repo.")
    String head;

    @Option(names = "--app", paramLabel = "APP", description = "Live: only this application.")
    String app;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    GuardFlags guard;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT", description = "text, markdown or json.")
    String output;

    @Option(names = "--no-color", description = "No colours in text output (colours are used only on a terminal anyway).")
    boolean noColor;

    @Option(names = "--max-chars", defaultValue = "" + MarkdownFormat.DEFAULT_MAX_CHARS, paramLabel = "N",
            description = "Markdown: size limit of the comment. Default: ${DEFAULT-VALUE}.")
    int maxChars;

    @Option(names = "--exit-zero", description = "Exit 0 when there are changes (still 2 on errors).")
    boolean exitZero;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        DiffReport report;
        try {
            if (base != null) {
                if (choice != null) {
                    throw InvalidInputException.of(null, "--base", "the offline diff covers every environment; drop --env/--env-file");
                }
                report = offline();
            } else if (choice != null) {
                report = live(err);
            } else {
                throw InvalidInputException.of(null, "diff", "give --env/--env-file (live) or --base (offline)");
            }
        } catch (InvalidInputException e) {
            e.problems().all().forEach(err::println);
            return ERROR;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(ReportFormat.render(report, output, !noColor && System.console() != null, maxChars));
        out.flush();
        if (!"text".equals(output)) {
            err.println(report.summary());
        }
        if (report.hasErrors()) {
            return ERROR;
        }
        return report.hasChanges() && !exitZero ? CHANGES : NO_CHANGES;
    }

    private DiffReport offline() throws Exception {
        repoOptions.installKeys();
        try (GitTree before = GitTree.open(repoOptions.repo, base)) {
            String title = "dm-reconciler diff " + base + ".." + (head == null ? "working tree" : head);
            if (head == null) {
                return new OfflineDiff(System::getenv).guardedBy(guard.options()).diff(title, before, new DirectoryTree(repoOptions.repo));
            }
            try (GitTree after = GitTree.open(repoOptions.repo, head)) {
                return new OfflineDiff(System::getenv).guardedBy(guard.options()).diff(title, before, after);
            }
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of(repoOptions.repo.toString(), "--base/--head", e.getMessage());
        }
    }

    private DiffReport live(PrintWriter err) throws Exception {
        try (BackgroundConnection connection = BackgroundConnection.start(cluster, new RequestCounter())) {
            ConfigRepo repo = repoOptions.open();
            DesiredState desired = choice.render(repo, app, err);
            GuardOptions guardOptions = guard.options();
            Rules rules = guardOptions.rulesFor(repo.tree(), desired);
            GuardOptions.enforce(rules, desired);
            KubernetesClient client = connection.client();
            EnvironmentDiff diff = new LiveDiff(client, cluster.applyOptions(), cluster.prunePolicy(), cluster.inventoryNamespace)
                    .guardedBy(rules, guardOptions.allowMassPrune()).diff(desired, app, EnvironmentChoice.wantedElsewhere(repo, desired));
            String title = "dm-reconciler diff: environment " + desired.environment().name() + " vs cluster "
                    + client.getMasterUrl().getHost();
            return new DiffReport(title, List.of(diff));
        }
    }
}

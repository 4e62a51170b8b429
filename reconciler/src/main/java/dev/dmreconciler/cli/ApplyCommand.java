package dev.dmreconciler.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dmreconciler.apply.ApplyPass;
import dev.dmreconciler.apply.ApplyReport;
import dev.dmreconciler.inventory.EnvironmentLock;
import dev.dmreconciler.kube.RequestCounter;
import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.plan.Wanted;
import dev.dmreconciler.policy.GuardOptions;
import dev.dmreconciler.policy.Rules;
import dev.dmreconciler.render.DesiredState;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** One pass that makes the cluster match an environment. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Make the cluster match an environment: staged server-side apply, prune, inventory. "
                + "Exit 0 converged, 1 invalid input, 2 internal error, 3 some objects or namespaces failed.")
final class ApplyCommand implements Callable<Integer> {

    @Mixin
    RepoOptions repoOptions;

    @ArgGroup(exclusive = true, multiplicity = "1")
    EnvironmentChoice choice;

    @Option(names = "--app", paramLabel = "APP", description = "Only this application.")
    String app;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    GuardFlags guard;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT", description = "text or json.")
    String output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RequestCounter counter = new RequestCounter();
        try (BackgroundConnection connection = BackgroundConnection.start(cluster, counter)) {
            ConfigRepo repo = repoOptions.open();
            DesiredState desired = choice.render(repo, app, spec.commandLine().getErr());
            GuardOptions guardOptions = guard.options();
            Rules rules = guardOptions.rulesFor(repo.tree(), desired);
            GuardOptions.enforce(rules, desired); // before the client is used: no counted request at all
            Wanted elsewhere = EnvironmentChoice.wantedElsewhere(repo, desired);
            KubernetesClient client = connection.client();
            long started = System.nanoTime();
            ApplyReport report;
            try {
                report = new ApplyPass(client, cluster.applyOptions(), cluster.prunePolicy(), cluster.inventoryNamespace)
                        .source(choice.file == null ? null : choice.file.toAbsolutePath().normalize().toString(),
                                cluster.takeOverInventory)
                        .lock(Duration.ofSeconds(cluster.lockWaitSeconds), Duration.ofSeconds(30))
                        .guardedBy(rules, guardOptions.allowMassPrune()).run(desired, app, () -> true, elsewhere);
            } catch (EnvironmentLock.BusyException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return Main.APPLY_FAILED;
            } catch (dev.dmreconciler.apply.SecretsUnavailable e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                spec.commandLine().getErr().printf("requests: %d reads, %d writes%n", counter.reads(), counter.writes());
                return Main.APPLY_FAILED;
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            if ("json".equals(output)) {
                Map<String, Object> json = new LinkedHashMap<>(report.toJson());
                json.put("requests", counter.snapshot());
                json.put("durationMillis", millis);
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
            } else {
                out.print(report.toText());
                out.printf("requests: %d reads, %d writes in %d ms%n", counter.reads(), counter.writes(), millis);
            }
            out.flush();
            return report.succeeded() ? Main.OK : Main.APPLY_FAILED;
        }
    }
}

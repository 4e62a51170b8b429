package dev.dmreconciler.cli;

import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.policy.LeastPrivilege;
import dev.dmreconciler.policy.ServiceAccountRef;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.render.Renderer;
import dev.dmreconciler.render.TemplateEngine;
import dev.dmreconciler.resource.Manifests;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints the least-privilege RBAC the reconciler needs for what a cluster's environments render. */
@Command(name = "rbac", mixinStandardHelpOptions = true,
        description = "Print the ClusterRole, Roles and bindings the reconciler needs for exactly the kinds and "
                + "namespaces the cluster's environments render (plus its inventories, Lease and Events). Apply the "
                + "output as a cluster admin (kubectl apply -f), again whenever a bundle starts rendering a new kind.")
final class RbacCommand implements Callable<Integer> {

    @Mixin
    RepoOptions repoOptions;

    @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "Environments with this cluster:.")
    String cluster;

    @Option(names = "--name", defaultValue = "dm-reconciler", paramLabel = "NAME",
            description = "Name of the ClusterRole, Roles and bindings. Default: ${DEFAULT-VALUE}.")
    String name;

    @Option(names = "--service-account", defaultValue = "dm-reconciler/dm-reconciler", paramLabel = "NAMESPACE/NAME",
            description = "The reconciler's identity (the pod's ServiceAccount, or the one it impersonates). Default: ${DEFAULT-VALUE}.")
    String serviceAccount;

    @Option(names = "--inventory-namespace", defaultValue = "dm-reconciler", paramLabel = "NS",
            description = "Where inventories and the leader Lease are kept. Default: ${DEFAULT-VALUE}.")
    String inventoryNamespace;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ServiceAccountRef account;
        try {
            account = ServiceAccountRef.parse(serviceAccount);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of(null, "--service-account", e.getMessage());
        }
        ConfigRepo repo = repoOptions.open();
        Problems problems = new Problems();
        problems.addAll(repo.bundleProblems());
        Renderer renderer = new Renderer(repo, new TemplateEngine(repo.tree()));
        List<DesiredState> rendered = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Environment environment : repo.all()) {
            if (environment.cluster().equals(cluster)) {
                rendered.add(renderer.render(environment, null));
                names.add(environment.name());
            }
        }
        problems.throwIfErrors();
        if (rendered.isEmpty()) {
            throw InvalidInputException.of(null, "--cluster", "no environment of the repository has cluster: " + cluster);
        }
        LeastPrivilege.Result result = LeastPrivilege.derive(rendered,
                new LeastPrivilege.Request(name, account, inventoryNamespace));
        PrintWriter out = spec.commandLine().getOut();
        out.println("# RBAC of the reconciler for cluster " + cluster + ", derived from the environments "
                + String.join(", ", names) + " (bin/reconciler rbac --cluster " + cluster + ")");
        result.notes().forEach(note -> out.println("# note: " + note));
        for (var object : result.objects()) {
            out.println("---");
            out.print(Manifests.toYaml(object));
        }
        out.flush();
        result.notes().forEach(note -> spec.commandLine().getErr().println("note: " + note));
        return Main.OK;
    }
}

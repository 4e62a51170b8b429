package dev.dmreconciler.cli;

import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.policy.GuardOptions;
import dev.dmreconciler.policy.LeastPrivilege;
import dev.dmreconciler.policy.ServiceAccountRef;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.render.Renderer;
import dev.dmreconciler.render.TemplateEngine;
import dev.dmreconciler.resource.Manifests;
import dev.dmreconciler.source.DirectoryTree;
import dev.dmreconciler.source.RepoTree;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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

    @Option(names = "--policy", paramLabel = "FILE",
            description = "Policy file instead of the repository's policy/<cluster>.yaml: the ServiceAccounts it makes "
                    + "environments apply as get impersonate.")
    java.nio.file.Path policy;

    @Option(names = "--default-service-account", paramLabel = "NAMESPACE/NAME",
            description = "As on apply/run: impersonate is granted on it too.")
    String defaultServiceAccount;

    @Option(names = "--for-bundle",
            description = "For the self-deploy bundle (templates/dm-reconciler), which includes "
                    + "rbac/dm-reconciler/generated/<cluster>.yaml: no Namespace or ServiceAccount, the reconciler may "
                    + "re-apply its own roles, and every namespaced write is in the ClusterRole.")
    boolean forBundle;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write the output to FILE instead of stdout. A FILE inside --repo reads as empty while it is "
                    + "generated (the self-deploy bundle includes it), so the output does not depend on its old content.")
    java.nio.file.Path out;

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
        repoOptions.installKeys();
        RepoTree tree = new DirectoryTree(repoOptions.repo);
        String generated = out == null ? null : generatedPath(repoOptions.repo, out);
        if (generated != null) {
            tree = emptyWhileGenerated(tree, generated);
        }
        ConfigRepo repo = new ConfigRepo(tree, System::getenv);
        GuardOptions guard = new GuardFlagsLite(policy, defaultServiceAccount).options();
        Problems problems = new Problems();
        problems.addAll(repo.bundleProblems());
        // an environment that does not load may be one of this cluster's: deriving without it would grant too little
        // (its prunes and applies fail with Forbidden) or, worse, drop rights it needs; so it is an error
        problems.addAll(repo.allProblems());
        Renderer renderer = new Renderer(repo, new TemplateEngine(repo.tree()));
        List<DesiredState> rendered = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Set<ServiceAccountRef> impersonated = new TreeSet<>(java.util.Comparator.comparing(ServiceAccountRef::namespace)
                .thenComparing(ServiceAccountRef::name));
        for (Environment environment : repo.all()) {
            if (environment.cluster().equals(cluster)) {
                DesiredState desired = renderer.render(environment, null);
                rendered.add(desired);
                names.add(environment.name());
                ServiceAccountRef identity = guard.rulesFor(tree, desired).serviceAccount();
                if (identity != null) {
                    impersonated.add(identity);
                }
            }
        }
        problems.throwIfErrors();
        if (rendered.isEmpty()) {
            throw InvalidInputException.of(null, "--cluster", "no environment of the repository has cluster: " + cluster);
        }
        LeastPrivilege.Result result = LeastPrivilege.derive(rendered,
                new LeastPrivilege.Request(name, account, inventoryNamespace, impersonated, forBundle));
        java.io.StringWriter text = new java.io.StringWriter();
        PrintWriter yaml = new PrintWriter(text);
        yaml.println("# RBAC of the reconciler for cluster " + cluster + ", derived from the environments "
                + String.join(", ", names) + " (bin/reconciler rbac --cluster " + cluster + (forBundle ? " --for-bundle" : "")
                + "). Generated: edit the environments or bundles and generate it again, not this file.");
        if (!forBundle) { // for the bundle the notes go to stderr only: the file must not depend on what it contained
            result.notes().forEach(note -> yaml.println("# note: " + note));
        }
        for (var object : result.objects()) {
            yaml.println("---");
            yaml.print(Manifests.toYaml(object));
        }
        yaml.flush();
        if (out != null) {
            java.nio.file.Files.writeString(out, text.toString());
        } else {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        }
        result.notes().forEach(note -> spec.commandLine().getErr().println("note: " + note));
        return Main.OK;
    }

    /** FILE's path inside the repository, or null when it is outside. */
    private static String generatedPath(java.nio.file.Path repo, java.nio.file.Path file) {
        java.nio.file.Path root = repo.toAbsolutePath().normalize();
        java.nio.file.Path target = file.toAbsolutePath().normalize();
        return target.startsWith(root) ? root.relativize(target).toString().replace('\\', '/') : null;
    }

    /** The repository with the file being generated reading as empty (the self-deploy bundle includes it). */
    private static RepoTree emptyWhileGenerated(RepoTree tree, String path) {
        return new RepoTree() {
            @Override
            public String describe() {
                return tree.describe();
            }

            @Override
            public java.util.Optional<byte[]> read(String file) throws java.io.IOException {
                return RepoTree.normalize(file).equals(path) ? java.util.Optional.of(new byte[0]) : tree.read(file);
            }

            @Override
            public List<String> listFiles(String directory) throws java.io.IOException {
                return tree.listFiles(directory);
            }

            @Override
            public List<String> listDirectories(String directory) throws java.io.IOException {
                return tree.listDirectories(directory);
            }
        };
    }

    /** --policy and --default-service-account as apply takes them. */
    private record GuardFlagsLite(java.nio.file.Path policy, String defaultServiceAccount) {
        GuardOptions options() {
            ServiceAccountRef account = null;
            if (defaultServiceAccount != null) {
                try {
                    account = ServiceAccountRef.parse(defaultServiceAccount);
                } catch (IllegalArgumentException e) {
                    throw InvalidInputException.of(null, "--default-service-account", e.getMessage());
                }
            }
            return new GuardOptions(policy, false, account);
        }
    }
}

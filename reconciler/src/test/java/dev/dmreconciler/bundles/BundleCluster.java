package dev.dmreconciler.bundles;

import dev.dmreconciler.RealApiServer;
import dev.dmreconciler.TestRepo;
import dev.dmreconciler.apply.ApplyOptions;
import dev.dmreconciler.apply.ApplyPass;
import dev.dmreconciler.apply.ApplyReport;
import dev.dmreconciler.diff.EnvironmentDiff;
import dev.dmreconciler.diff.LiveDiff;
import dev.dmreconciler.kube.RequestCounter;
import dev.dmreconciler.plan.PrunePolicy;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.render.Renderer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One application bundle on a real API server: a test repository with the project's bundles and the
 * bundle's own example environment (copied from {@code environments/}, so the tests exercise the shipped
 * example), a client whose requests are counted, and an uncounted one for setup and checks.
 */
final class BundleCluster implements AutoCloseable {

    static final String INVENTORY_NAMESPACE = "dm-reconciler";

    final RealApiServer server;
    final RequestCounter counter = new RequestCounter();
    /** Counted: the reconciler's own requests. */
    final KubernetesClient client;
    /** Uncounted: what an administrator or the application itself does, and the tests' checks. */
    final KubernetesClient admin;
    final TestRepo repo;

    private BundleCluster(RealApiServer server, TestRepo repo) {
        this.server = server;
        this.client = server.client(counter);
        this.admin = server.client();
        this.repo = repo;
    }

    /** Starts a server and copies the named example environment files or folders of the project. */
    static BundleCluster start(Path dir, String... examples) {
        TestRepo repo = TestRepo.withProjectBundles(dir.resolve("repo"));
        for (String example : examples) {
            copy(TestRepo.projectRoot().resolve("environments").resolve(example), repo.root().resolve("environments").resolve(example));
        }
        return new BundleCluster(RealApiServer.start(), repo);
    }

    /** The project's example file, as text (tests change it as a user would and write it back). */
    static String example(String path) {
        try {
            return Files.readString(TestRepo.projectRoot().resolve("environments").resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(String environmentPath, String content) {
        repo.write("environments/" + environmentPath, content);
    }

    DesiredState render(String environment) {
        return Renderer.renderNamed(repo.open(), environment);
    }

    /** One apply pass as the CLI runs it; {@link #counter} holds this pass's requests only. */
    ApplyReport apply(String environment) {
        DesiredState desired = render(environment);
        counter.reset();
        return new ApplyPass(client, ApplyOptions.defaults(), PrunePolicy.SAFE, INVENTORY_NAMESPACE).run(desired, null);
    }

    EnvironmentDiff diff(String environment) {
        DesiredState desired = render(environment);
        return new LiveDiff(admin, ApplyOptions.defaults(), PrunePolicy.SAFE, INVENTORY_NAMESPACE).diff(desired, null);
    }

    /** Outcome name (lower case) → how many objects of the report had it. */
    static Map<String, Long> outcomes(ApplyReport report) {
        return report.results().stream().collect(java.util.stream.Collectors.groupingBy(
                r -> r.outcome().name().toLowerCase(java.util.Locale.ROOT), java.util.TreeMap::new,
                java.util.stream.Collectors.counting()));
    }

    /** The only object of a diff, failing with the whole diff when there are more or none. */
    static dev.dmreconciler.diff.ObjectDiff only(EnvironmentDiff diff) {
        org.junit.jupiter.api.Assertions.assertTrue(diff.errors().isEmpty(), diff.errors().toString());
        org.junit.jupiter.api.Assertions.assertEquals(1, diff.objects().size(), () -> diff.objects().stream()
                .map(dev.dmreconciler.diff.ObjectDiff::unified).collect(java.util.stream.Collectors.joining("\n")));
        return diff.objects().get(0);
    }

    /** The lines a unified diff removes or adds (without the file headers). */
    static java.util.List<String> changedLines(dev.dmreconciler.diff.ObjectDiff diff) {
        return diff.unified().lines().filter(l -> (l.startsWith("+") || l.startsWith("-"))
                && !l.startsWith("+++") && !l.startsWith("---")).map(String::strip).toList();
    }

    void namespace(String name) {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    /** A Secret made outside git (by an administrator or a secrets tool). */
    void secret(String namespace, String name, String type, Map<String, String> stringData) {
        admin.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name)
                .endMetadata().withType(type).withStringData(stringData).build()).create();
    }

    @Override
    public void close() {
        server.close();
    }

    private static void copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

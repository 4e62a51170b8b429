package dev.dmreconciler.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.resource.Manifests;
import dev.dmreconciler.secrets.Fixtures;
import dev.dmreconciler.secrets.SecretKeys;
import dev.dmreconciler.source.DirectoryTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The full output of every example environment of the repository, compared with a reviewed golden file.
 * After an intended change, regenerate with {@code mvn test -Dgolden.update=true} and review the diff.
 */
class GoldenRenderTest {

    private static final Path GOLDEN = TestRepo.projectRoot().resolve("reconciler/src/test/resources/golden");

    static Stream<String> environments() throws IOException {
        ConfigRepo repo = new ConfigRepo(new DirectoryTree(TestRepo.projectRoot()), GoldenRenderTest::fixedEnv);
        List<String> names = repo.loader().names();
        assertFalse(names.isEmpty(), "the repository has example environments");
        return names.stream();
    }

    /** The examples' env lookups resolve to fixed values so golden files do not depend on the machine. */
    static String fixedEnv(String name) {
        return "KUBECONFIG".equals(name) ? "/home/example/.kube/config" : null;
    }

    @ParameterizedTest
    @MethodSource("environments")
    void exampleEnvironmentRendersAsReviewed(String name) throws IOException {
        String first = render(name);
        assertEquals(first, render(name), "rendering twice gives byte-identical output");
        Path golden = GOLDEN.resolve(name + ".yaml");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, first);
        }
        assertTrue(Files.exists(golden), "no golden file for environment " + name
                + "; create it with mvn test -Dgolden.update=true and review it");
        assertEquals(Files.readString(golden), first, "output of environment " + name + " differs from " + golden);
    }

    private static String render(String name) throws IOException {
        // viz-example's pull secret is in an Ansible Vault file (a public test fixture and its password)
        SecretKeys.install(Fixtures.keys());
        ConfigRepo repo = new ConfigRepo(new DirectoryTree(TestRepo.projectRoot()), GoldenRenderTest::fixedEnv);
        Problems problems = new Problems();
        Environment environment = repo.loader().load(name, null, problems);
        problems.throwIfErrors();
        DesiredState desired = new Renderer(repo, new TemplateEngine(repo.tree())).render(environment, null);
        return Manifests.toYaml(desired.objects());
    }
}

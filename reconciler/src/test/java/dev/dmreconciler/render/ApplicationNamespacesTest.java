package dev.dmreconciler.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.params.ConfigRepo;
import dev.dmreconciler.params.Environment;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.resource.RenderedObject;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRD's application-namespaces annotation is the union of the DM namespaces the application is installed
 * into on the cluster, so every environment on a cluster renders the same CRD instead of the last one winning.
 */
class ApplicationNamespacesTest {

    @TempDir
    Path dir;

    private static final String ANNOTATION = "data-manager.informaticsmatters.com/application-namespaces";

    @Test
    void unionOverEnvironmentsOfTheSameClusterPlusExplicitNamespaces() throws IOException {
        TestRepo repo = TestRepo.withProjectBundles(dir)
                .write("environments/prod.yaml", "jo_image_tag: 1\njo_dmapi_namespace: dm-prod\njo_namespaces: dm-prod\n")
                .write("environments/stage.yaml", "jo_image_tag: 1\njo_dmapi_namespace: dm-stage\njo_namespaces: dm-extra:dm-stage\n")
                .write("environments/multi.yaml", """
                        applications:
                          jupyter-operator:
                            values: {jo_image_tag: '1'}
                            namespaces: [dm-b, dm-a]
                        """)
                .write("environments/gone.yaml", "jo_image_tag: 1\njo_dmapi_namespace: dm-gone\njo_state: absent\n")
                .write("environments/other-cluster.yaml", "reconciler_cluster: elsewhere\njo_image_tag: 1\njo_dmapi_namespace: dm-other\n");
        String expected = "dm-a:dm-b:dm-extra:dm-prod:dm-stage";
        assertEquals(expected, annotation(repo, "prod"));
        assertEquals(expected, annotation(repo, "stage"));
        assertEquals(expected, annotation(repo, "multi"));
        assertEquals("dm-other", annotation(repo, "other-cluster"), "another cluster has its own union");
    }

    @SuppressWarnings("unchecked")
    private static String annotation(TestRepo repo, String name) throws IOException {
        ConfigRepo config = repo.open();
        Environment environment = config.loader().load(name, null, new Problems());
        RenderedObject crd = new Renderer(config, new TemplateEngine(config.tree())).render(environment, null).objects()
                .stream().filter(o -> o.key().kind().equals("CustomResourceDefinition")).findFirst().orElseThrow();
        var metadata = (java.util.Map<String, Object>) crd.body().get("metadata");
        return ((java.util.Map<String, String>) metadata.get("annotations")).get(ANNOTATION);
    }
}

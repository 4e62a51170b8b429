package dev.dmreconciler.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.params.Problem;
import dev.dmreconciler.resource.RenderedObject;
import dev.dmreconciler.resource.Stamp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code secretCopies:} (bundle.yaml and an environment's application) and an environment's own
 * {@code preconditions:}: what the declarations render to, offline — copy placeholders in the right namespaces,
 * the Namespace preconditions that guard them, and every mistake reported with file, line and key.
 */
class SecretCopyDeclarationsTest {

    @TempDir
    Path dir;
    private TestRepo repo;

    @BeforeEach
    void setUp() {
        repo = TestRepo.empty(dir).write("environments/.keep", "")
                .write("templates/web/bundle.yaml", """
                        name: web
                        prefix: web_
                        namespaceVariable: web_namespace
                        templates:
                          - {file: templates/web/cm.yaml.ftl, scope: instance}
                        secretCopies:
                          - from: {namespace: "${web_source_namespace}", name: aws-credentials}
                            name: "${web_aws_secret}"
                            scope: instance
                            when: web_source_namespace
                        variables:
                          web_namespace: {default: SetMe}
                          web_source_namespace: {default: ""}
                          web_aws_secret: {default: aws}
                        """)
                .write("templates/web/cm.yaml.ftl", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata: {a: b}\n");
    }

    private DesiredState render(String env) {
        repo.write("environments/e.yaml", env);
        return Renderer.renderNamed(repo.open(), "e");
    }

    private static List<RenderedObject> copies(DesiredState desired) {
        return desired.objects().stream().filter(o -> Stamp.annotation(o.body(), SecretCopyResolver.COPY_OF) != null).toList();
    }

    private List<String> errors(String env) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> render(env));
        return e.problems().all().stream().filter(Problem::isError).map(Problem::toString).toList();
    }

    @Test
    void anInstanceScopeCopyLandsInEveryInstanceNamespaceWithTemplatedNames() {
        DesiredState desired = render("""
                applications:
                  web:
                    values: {web_source_namespace: aws-system}
                    instances:
                      a: {namespace: team-a}
                      b: {namespace: team-b, values: {web_aws_secret: aws-b}}
                """);
        List<RenderedObject> copies = copies(desired);
        assertEquals(List.of("Secret team-a/aws", "Secret team-b/aws-b"),
                copies.stream().map(o -> o.key().kind() + " " + o.key().namespace() + "/" + o.key().name()).sorted().toList());
        for (RenderedObject copy : copies) {
            assertEquals("aws-system/aws-credentials", Stamp.annotation(copy.body(), SecretCopyResolver.COPY_OF));
            assertNull(copy.body().get("data"), "data is filled in by the pass that reads the source");
            assertEquals("web", copy.application());
            assertEquals(copy.key().namespace(), copy.dmNamespace(), "an instance's object, in its scope");
            assertTrue(copy.template().startsWith("templates/web/bundle.yaml:7"), copy.template());
        }
        // the instance's namespace precondition guards its copy too
        assertTrue(desired.preconditions().stream().anyMatch(r -> r.kind().equals("Namespace") && r.name().equals("team-b")
                && r.guards().stream().anyMatch(k -> k.kind().equals("Secret") && k.name().equals("aws-b"))));
    }

    @Test
    void whenItsVariableIsUnsetTheCopyIsNotDeclared() {
        DesiredState desired = render("""
                applications:
                  web:
                    instances: {a: {namespace: team-a}}
                """);
        assertEquals(List.of(), copies(desired));
    }

    @Test
    void anEnvironmentCopiesIntoListedNamespacesAndDeclaresItsOwnPreconditions() {
        DesiredState desired = render("""
                applications:
                  web:
                    instances: {a: {namespace: team-a}}
                    preconditions:
                      - {apiVersion: v1, kind: Secret, name: "pull-${web_aws_secret}", scope: instance}
                    secretCopies:
                      - from: {namespace: registry, name: pull}
                        namespaces: [team-a, shared-tools]
                """);
        Map<String, String> copies = copies(desired).stream().collect(Collectors.toMap(o -> o.key().namespace() + "/" + o.key().name(),
                o -> Stamp.annotation(o.body(), SecretCopyResolver.COPY_OF)));
        assertEquals(Map.of("team-a/pull", "registry/pull", "shared-tools/pull", "registry/pull"), copies);
        assertTrue(copies(desired).stream().allMatch(o -> o.dmNamespace() == null), "environment scope");
        assertTrue(desired.preconditions().stream().anyMatch(r -> r.kind().equals("Namespace") && r.name().equals("shared-tools")
                && r.guards().size() == 1), "a listed namespace must exist: " + desired.preconditions());
        assertTrue(desired.preconditions().stream().anyMatch(r -> r.kind().equals("Secret") && r.name().equals("pull-aws")
                && "a".equals(r.instance())), "the environment's own precondition, rendered per instance: " + desired.preconditions());
    }

    @Test
    void mistakesInTheDeclarationNameFileLineAndKey() {
        String all = String.join("\n", errors("""
                applications:
                  web:
                    instances: {a: {namespace: team-a}}
                    secretCopies:
                      - from: {namespace: registry, name: pull}
                      - from: {namespace: registry}
                        namespaces: [x]
                      - from: {namespace: registry, name: pull}
                        scope: instance
                        namespaces: [x]
                      - from: {namespace: registry, name: pull}
                        namespace: [x]
                """));
        assertTrue(all.contains("environments/e.yaml:5: web.secretCopies: where to copy to"), all);
        assertTrue(all.contains("environments/e.yaml:6: web.secretCopies.from: needs both namespace and name"), all);
        assertTrue(all.contains("environments/e.yaml:8: web.secretCopies: give either scope: instance"), all);
        assertTrue(all.contains("environments/e.yaml:12: web.secretCopies.namespace: unknown secret copy setting (did you mean 'namespaces'?)"), all);
    }

    @Test
    void mistakesInWhatItRendersNameFileLineAndKey() {
        String all = String.join("\n", errors("""
                applications:
                  web:
                    instances: {a: {namespace: team-a}}
                    secretCopies:
                      - from: {namespace: registry, name: pull}
                        namespaces: [registry]
                      - from: {namespace: registry, name: pull}
                        namespaces: [Not_A_Namespace]
                      - from: {namespace: registry, name: pull}
                        scope: instance
                        when: web_nope
                      - from: {namespace: registry, name: "${web_undefined}"}
                        scope: instance
                """));
        assertTrue(all.contains("environments/e.yaml:5: secretCopies: copies Secret registry/pull onto itself (environment e, application web)"), all);
        assertTrue(all.contains("'Not_A_Namespace' is not a valid namespace name"), all);
        assertTrue(all.contains("environments/e.yaml:9: secretCopies.when: 'web_nope' is not a variable of application web"), all);
        assertTrue(all.contains("web_undefined") && all.contains("instance a"), all);
    }

    @Test
    void aCopyCollidingWithARenderedObjectIsAnError() {
        List<String> errors = errors("""
                applications:
                  web:
                    instances: {a: {namespace: team-a}}
                    secretCopies:
                      - from: {namespace: registry, name: pull}
                        namespaces: [team-a]
                      - from: {namespace: other, name: pull}
                        namespaces: [team-a]
                """);
        assertTrue(String.join("\n", errors).contains("rendered twice"), errors.toString());
    }

    @Test
    void aPreconditionOnASecretTheApplicationMakesOrCopiesItselfIsMetByIt() {
        TestRepo cellxgene = TestRepo.withProjectBundles(dir.resolve("cxg"));
        String base = """
                applications:
                  cellxgene:
                    values:
                      cxg_operator_image_tag: 1.2.0
                      cxg_host: cellxgene.example.org
                      cxg_oauth2_proxy_oidc_issuer_url: https://sso.example.org/realms/cellxgene
                      cxg_oauth2_proxy_client_id: cellxgene-portal
                """;
        cellxgene.write("environments/referenced.yaml", base);
        cellxgene.write("environments/made.yaml", base + """
                      cxg_oauth2_proxy_client_secret: client-secret-value
                      cxg_oauth2_proxy_cookie_secret: cookie-secret-value-16b
                      cxg_aws_source_namespace: aws-system
                """);
        List<String> referenced = Renderer.renderNamed(cellxgene.open(), "referenced").preconditions().stream()
                .filter(r -> r.kind().equals("Secret")).map(r -> r.namespace() + "/" + r.name()).sorted().toList();
        assertEquals(List.of("cellxgene/aws-credentials", "cellxgene/oauth2-proxy"), referenced, "made outside git: required");
        DesiredState made = Renderer.renderNamed(cellxgene.open(), "made");
        assertEquals(List.of(), made.preconditions().stream().filter(r -> r.kind().equals("Secret")).toList(),
                "made from vault values, or copied: no longer required");
        assertEquals(List.of("Secret cellxgene/aws-credentials", "Secret cellxgene/oauth2-proxy"), made.objects().stream()
                .filter(o -> o.key().kind().equals("Secret")).map(o -> "Secret " + o.key().namespace() + "/" + o.key().name()).toList());
    }

    @Test
    void oneOauth2ProxySecretWithoutTheOtherIsAnError() {
        TestRepo cellxgene = TestRepo.withProjectBundles(dir.resolve("cxg1"));
        cellxgene.write("environments/half.yaml", """
                applications:
                  cellxgene:
                    values:
                      cxg_operator_image_tag: 1.2.0
                      cxg_host: cellxgene.example.org
                      cxg_oauth2_proxy_oidc_issuer_url: https://sso.example.org/realms/cellxgene
                      cxg_oauth2_proxy_client_id: cellxgene-portal
                      cxg_oauth2_proxy_client_secret: client-secret-value
                """);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Renderer.renderNamed(cellxgene.open(), "half"));
        String all = e.problems().all().toString();
        assertTrue(all.contains("give cxg_oauth2_proxy_client_secret and cxg_oauth2_proxy_cookie_secret together"), all);
        assertFalse(all.contains("client-secret-value"), "never the value: " + all);
    }
}

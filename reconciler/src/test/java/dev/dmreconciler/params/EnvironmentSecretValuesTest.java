package dev.dmreconciler.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.secrets.Fixtures;
import dev.dmreconciler.secrets.Redactor;
import dev.dmreconciler.secrets.SecretKeys;
import dev.dmreconciler.secrets.SecretValues;
import dev.dmreconciler.secrets.Sops;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each environment knows the secret values it read itself, and no other's (review S11B-F1): what decides whether
 * its objects are hashed with the cluster's key. Loaded in one process, as {@code run} loads them, the plain
 * environment's set stays empty although the process-wide redactor holds the others' values.
 */
class EnvironmentSecretValuesTest {

    @TempDir
    Path dir;
    private TestRepo repo;

    @BeforeEach
    void setUp() {
        repo = TestRepo.withProjectBundles(dir);
        SecretKeys.install(Fixtures.keys());
    }

    @AfterEach
    void tearDown() {
        SecretKeys.install(SecretKeys.NONE);
    }

    private ConfigRepo open() {
        return repo.open(name -> name.equals("KUBECONFIG") ? "/k/config"
                : name.equals("RECONCILER_ENV_LOOKUPS") ? "DOMAIN" : "looked-up-" + name.toLowerCase());
    }

    private static Environment load(ConfigRepo config, String name) throws IOException {
        Problems problems = new Problems();
        Environment environment = config.loader().load(name, null, problems);
        assertFalse(problems.hasErrors(), problems.all().toString());
        return environment;
    }

    @Test
    void eachEnvironmentHoldsOnlyTheValuesItReadItself() throws IOException {
        repo.write("environments/vaulted.yaml", Fixtures.read("ansible-vault/parameters-inline-vault.yaml"))
                .write("environments/sopsed.yaml", Sops.encrypt("jo_image_tag: '7.7.7-sops'\njo_dmapi_namespace: dm-sops\n"
                        + "jo_ingress_tls_secret: tls-from-sops-file\n", List.of(Fixtures.AGE_RECIPIENT), null, "f"))
                .write("environments/looked.yaml", "reconciler_env_lookups: [DOMAIN]\njo_image_tag: '1'\n"
                        + "jo_dmapi_namespace: dm-look\njo_ingress_domain: \"{{ lookup('env','DOMAIN') }}\"\n")
                .write("environments/plain.yaml", "jo_image_tag: '1.0.0'\njo_dmapi_namespace: dm-plain\n"
                        + "jo_ingress_domain: tls-secret-from-inline-vault.example.org\n");
        ConfigRepo config = open();
        Environment vaulted = load(config, "vaulted");
        Environment sopsed = load(config, "sopsed");
        Environment looked = load(config, "looked");
        Environment plain = load(config, "plain"); // loaded last: the process has read every other secret by now

        assertTrue(Redactor.global().contains("tls-secret-from-inline-vault"), "the redactor holds it, for output");
        assertTrue(vaulted.secrets().heldBy("tls-secret-from-inline-vault"));
        assertFalse(vaulted.secrets().heldBy("tls-from-sops-file"), "not another environment's value");
        assertTrue(sopsed.secrets().heldBy("tls-from-sops-file"));
        assertTrue(sopsed.secrets().heldBy("7.7.7-sops"), "every value of a sops file is secret");
        assertFalse(sopsed.secrets().heldBy("tls-secret-from-inline-vault"));
        assertTrue(looked.secrets().heldBy("looked-up-domain"), "an env lookup's value");
        assertEquals(1, looked.secrets().size());
        assertSame(SecretValues.NONE, plain.secrets(), "an environment without secrets has none, whatever the process read");
        assertFalse(plain.secrets().heldBy("tls-secret-from-inline-vault.example.org"));
    }

    @Test
    void theSameEnvironmentLoadedAloneOrWithOthersHasTheSameValues() throws IOException {
        repo.write("environments/vaulted.yaml", Fixtures.read("ansible-vault/parameters-inline-vault.yaml"))
                .write("environments/other.yaml", Sops.encrypt("jo_image_tag: '7.7.7-other'\njo_dmapi_namespace: dm-o\n"
                        + "jo_ingress_tls_secret: tls-from-other-env\n", List.of(Fixtures.AGE_RECIPIENT), null, "f"));
        Environment alone = load(open(), "vaulted"); // apply --env vaulted
        ConfigRepo all = open(); // run: every environment of the repository in one process
        load(all, "other");
        Environment inRun = load(all, "vaulted");
        assertEquals(alone.secrets(), inRun.secrets());
        assertEquals(alone, inRun);
    }

    @Test
    void aSopsManifestsValuesAreTheEnvironmentsOnceRendered() {
        String configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: apps\n"
                + "data:\n  token: sops-manifest-token-value\n";
        repo.write("manifests/cm.sops.yaml", Sops.encrypt(configMap, List.of(Fixtures.AGE_RECIPIENT), "^data$", "f"))
                .write("environments/flux.yaml", "manifests: [manifests/cm.sops.yaml]\napplications: {}\n")
                .write("environments/other.yaml", "manifests: []\napplications: {}\n");
        dev.dmreconciler.render.DesiredState flux = dev.dmreconciler.render.Renderer.renderNamed(open(), "flux");
        assertTrue(flux.environment().secrets().heldBy("sops-manifest-token-value"));
        assertFalse(flux.environment().secrets().heldBy("ConfigMap"), "only the encrypted values");
        assertSame(SecretValues.NONE, dev.dmreconciler.render.Renderer.renderNamed(open(), "other").environment().secrets());
    }

    @Test
    void aSecretTrueVariableSetInTheFileIsTheEnvironmentsButItsEmptyDefaultIsNot() throws IOException {
        repo.write("environments/px.yaml", """
                applications:
                  pygeoapi-k8s-manager:
                    values:
                      pk_image_tag: 0.9.1
                      pk_token: pk-token-written-in-the-file
                    instances:
                      a:
                        namespace: pk-a
                        values: {pk_ingress_host: geo.example.org, pk_ingress_tls_secret: geo-tls}
                """);
        Environment px = load(open(), "px");
        assertTrue(px.secrets().heldBy("pk-token-written-in-the-file"));
        assertEquals(1, px.secrets().size(), "the other secret: true variables keep their '' / {} defaults");
    }
}

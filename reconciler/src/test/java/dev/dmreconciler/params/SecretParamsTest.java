package dev.dmreconciler.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.secrets.Fixtures;
import dev.dmreconciler.secrets.SecretKeys;
import dev.dmreconciler.secrets.Sops;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parameter files with secrets from Ansible Vault and sops, env lookups allowlisted, secret values never echoed. */
class SecretParamsTest {

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

    private Environment load(String content, Problems problems) throws IOException {
        repo.write("environments/env.yaml", content);
        return repo.open(name -> name.equals("KUBECONFIG") ? "/k/config"
                : name.equals("RECONCILER_ENV_LOOKUPS") ? "DOMAIN, TAG TOKEN,SOPS_AGE_KEY" : "env-value-of-" + name).loader()
                .load("env", null, problems);
    }

    private static Param param(Environment environment, String key) {
        return environment.apps().get(0).values().get(key);
    }

    @Test
    void inlineVaultValueFromEncryptStringIsDecryptedAndSecret() throws IOException {
        Problems problems = new Problems();
        Environment environment = load(Fixtures.read("ansible-vault/parameters-inline-vault.yaml"), problems);
        assertEquals(List.of(), problems.all());
        Param tls = param(environment, "jo_ingress_tls_secret");
        assertEquals("tls-secret-from-inline-vault", tls.value());
        assertTrue(tls.secret());
        assertEquals("environments/env.yaml:5", tls.where());
        assertFalse(param(environment, "jo_ingress_domain").secret());
    }

    @Test
    void aWholeParameterFileEncryptedWithAnsibleVaultLoads() throws IOException {
        Problems problems = new Problems();
        Environment environment = load(Fixtures.read("ansible-vault/parameters-whole-vault.yaml"), problems);
        assertEquals(List.of(), problems.all());
        assertEquals("tls-secret-from-vault-file", param(environment, "jo_ingress_tls_secret").value());
        assertEquals("data-manager-api-vaulted", environment.apps().get(0).instances().get(0).name());
        assertTrue(param(environment, "jo_image_tag").secret(), "every value of a vault file is secret");
    }

    @Test
    void aSopsEncryptedParameterFileLoads() throws IOException {
        String plain = "jo_image_tag: '7.7.7-sops'\njo_dmapi_namespace: dm-sops-params\njo_ingress_tls_secret: tls-from-sops-file\n";
        Problems problems = new Problems();
        Environment environment = load(Sops.encrypt(plain, List.of(Fixtures.AGE_RECIPIENT), null, "f"), problems);
        assertEquals(List.of(), problems.all());
        assertEquals("tls-from-sops-file", param(environment, "jo_ingress_tls_secret").value());
        assertTrue(param(environment, "jo_ingress_tls_secret").secret());
    }

    @Test
    void withoutThePasswordTheEnvironmentFailsNamingTheFileAndHowToGiveIt() throws IOException {
        SecretKeys.install(SecretKeys.NONE);
        Problems problems = new Problems();
        assertNull(load(Fixtures.read("ansible-vault/parameters-inline-vault.yaml"), problems));
        assertEquals(1, problems.errorCount(), problems.all().toString());
        Problem problem = problems.all().get(0);
        assertEquals("environments/env.yaml:5", problem.where());
        assertTrue(problem.message().contains("--vault-password-file"), problem.message());
    }

    @Test
    void aWrongAgeKeyFailsTheEnvironment() throws IOException {
        SecretKeys.install(new SecretKeys(null, Fixtures.path("sops-age/other.agekey"), null));
        Problems problems = new Problems();
        String encrypted = Sops.encrypt("jo_image_tag: '1'\njo_dmapi_namespace: x\n", List.of(Fixtures.AGE_RECIPIENT), null, "f");
        assertNull(load(encrypted, problems));
        assertTrue(problems.all().get(0).message().contains("none of the given age keys"), problems.all().toString());
    }

    @Test
    void envLookupOfAnUndeclaredNameIsAnErrorWithoutItsValue() throws IOException {
        Problems problems = new Problems();
        assertNull(load("jo_image_tag: '1'\njo_dmapi_namespace: x\njo_ingress_domain: \"{{ lookup('env','KUBECONFIG_CONTENT') }}\"\n",
                problems));
        Problem problem = problems.all().get(0);
        assertEquals("jo_ingress_domain", problem.subject());
        assertTrue(problem.message().contains("KUBECONFIG_CONTENT") && problem.message().contains("envLookups"), problem.message());
        assertFalse(problem.toString().contains("env-value-of"), problem.toString());
    }

    @Test
    void kubeconfigAndDeclaredLookupsWorkAndAreSecret() throws IOException {
        Problems problems = new Problems();
        Environment environment = load("reconciler_env_lookups: [DOMAIN]\njo_image_tag: '1'\njo_dmapi_namespace: x\n"
                + "jo_kubeconfig: \"{{ lookup('env','KUBECONFIG') }}\"\njo_ingress_domain: \"{{ lookup('env','DOMAIN') }}\"\n", problems);
        assertEquals(List.of(), problems.all());
        assertEquals("env-value-of-DOMAIN", param(environment, "jo_ingress_domain").value());
        assertTrue(param(environment, "jo_ingress_domain").secret());
        assertEquals("/k/config", param(environment, "jo_kubeconfig").value());
    }

    @Test
    void aSecretValueOutsideTheAllowedSetIsNotEchoed() throws IOException {
        Problems problems = new Problems();
        assertNull(load("reconciler_env_lookups: [TOKEN]\njo_image_tag: '1'\njo_dmapi_namespace: x\n"
                + "jo_state: \"{{ lookup('env','TOKEN') }}\"\n", problems));
        Problem problem = problems.all().get(0);
        assertEquals("jo_state", problem.subject());
        assertTrue(problem.message().contains("is not one of [present, absent]"), problem.message());
        assertFalse(problem.toString().contains("env-value-of-TOKEN"), problem.toString());
    }

    @Test
    void nativeFormDeclaresLookupsWithEnvLookups() throws IOException {
        Problems problems = new Problems();
        Environment environment = load("""
                envLookups: [TAG]
                applications:
                  jupyter-operator:
                    values:
                      jo_image_tag: "{{ lookup('env', 'TAG') }}"
                    namespaces: [dm-a]
                """, problems);
        assertEquals(List.of(), problems.all());
        assertEquals("env-value-of-TAG", param(environment, "jo_image_tag").value());
    }

    /**
     * A declaration in the environment file is the repository's, so a pull request's: it alone must not read the
     * process's variables (a CI job's kubeconfig content, a token; review S11-F11/F12). Whoever runs the reconciler
     * allows names in RECONCILER_ENV_LOOKUPS; its own credentials are never readable.
     */
    @Test
    void aDeclaredLookupTheOperatorDidNotAllowIsRefusedAndOwnCredentialsAlways() throws IOException {
        Problems problems = new Problems();
        assertNull(load("reconciler_env_lookups: [KUBECONFIG_CONTENT]\njo_image_tag: '1'\njo_dmapi_namespace: x\n"
                + "jo_ingress_domain: \"{{ lookup('env','KUBECONFIG_CONTENT') }}\"\n", problems));
        String message = problems.all().get(0).message();
        assertTrue(message.contains("whoever runs the reconciler must allow it too, in RECONCILER_ENV_LOOKUPS"), message);
        assertFalse(problems.all().get(0).toString().contains("env-value-of"), problems.all().toString());

        for (String own : List.of("SOPS_AGE_KEY", "GIT_TOKEN", "WEBHOOK_SECRET", "RECONCILER_ENV_LOOKUPS")) {
            Problems refused = new Problems();
            assertNull(load("reconciler_env_lookups: [" + own + "]\njo_image_tag: '1'\njo_dmapi_namespace: x\n"
                    + "jo_ingress_domain: \"{{ lookup('env','" + own + "') }}\"\n", refused), own);
            assertTrue(refused.all().get(0).message().contains("the reconciler's own credentials or settings"),
                    refused.all().toString());
            assertFalse(refused.all().toString().contains("env-value-of"), refused.all().toString());
        }
    }
}

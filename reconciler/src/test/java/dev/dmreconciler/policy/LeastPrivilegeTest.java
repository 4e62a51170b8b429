package dev.dmreconciler.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.TestRepo.CliResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code rbac --cluster} derives from the project's local environments (example and the reconciler itself). */
class LeastPrivilegeTest {

    @TempDir
    Path dir;

    private CliResult rbac() throws Exception {
        TestRepo repo = TestRepo.withProjectBundles(dir);
        for (String file : new String[] {"example.yaml", "dm-reconciler.yaml", "shared/common.yaml"}) {
            repo.write("environments/" + file, Files.readString(TestRepo.projectRoot().resolve("environments/" + file)));
        }
        return repo.cli("rbac", "--cluster", "local");
    }

    @Test
    void exactlyTheRenderedKindsAndNamespacesAndNoWildcards() throws Exception {
        CliResult result = rbac();
        assertEquals(0, result.exitCode(), result.err());
        String yaml = result.out();
        assertFalse(yaml.contains("'*'") || yaml.contains("\"*\""), "no wildcard anywhere");
        assertFalse(yaml.contains("pods") || yaml.contains("jobs") || yaml.contains("ingresses"),
                "nothing the environments do not render");
        assertEquals(2, yaml.split("- secrets\n", -1).length - 1, "Secrets only for the hash key (get by name, create): " + yaml);
        // CRDs: create and patch, never delete
        assertTrue(yaml.contains("""
                - apiGroups:
                  - apiextensions.k8s.io
                  resources:
                  - customresourcedefinitions
                  verbs:
                  - create
                  - patch
                """), yaml);
        // escalate/bind only on the bundles' role names, never on the reconciler's own
        assertTrue(yaml.contains("""
                  resources:
                  - clusterroles
                  resourceNames:
                  - jupyter-operator
                  verbs:
                  - escalate
                """), yaml);
        assertFalse(yaml.matches("(?s).*resourceNames:\\n  - dm-reconciler\\n.*"), yaml);
        assertTrue(result.err().contains("note: an environment renders roles named dm-reconciler"), result.err());
        // namespaced writes per namespace, e.g. the Data Manager namespace's ConfigMap, Role and RoleBinding
        assertTrue(yaml.contains("""
                kind: Role
                metadata:
                  name: dm-reconciler
                  namespace: data-manager-api-test
                rules:
                - apiGroups:
                  - ''
                  resources:
                  - configmaps
                  verbs:
                  - create
                  - patch
                  - delete
                """), yaml);
        // what the reconciler keeps itself, in its namespace: inventories saved with PUT (update) and deleted when a
        // shard empties, the apply and leader Leases (update), the hash-key Secret; watch for run's watch cache
        assertTrue(yaml.contains("""
                kind: Role
                metadata:
                  name: dm-reconciler
                  namespace: dm-reconciler
                rules:
                """), yaml);
        assertTrue(yaml.contains("""
                  - configmaps
                  verbs:
                  - get
                  - list
                  - watch
                  - create
                  - update
                  - patch
                  - delete
                """), yaml);
        assertTrue(yaml.contains("""
                  - leases
                  verbs:
                  - get
                  - list
                  - create
                  - update
                  - patch
                """), yaml);
        assertTrue(yaml.contains("""
                  - secrets
                  resourceNames:
                  - dm-reconciler-hash-key
                  verbs:
                  - get
                """), yaml);
        assertFalse(yaml.contains("impersonate"), "no policy names a ServiceAccount here");
    }

    @Test
    void impersonateOnExactlyTheServiceAccountsThePolicyNames() throws Exception {
        TestRepo repo = TestRepo.withProjectBundles(dir);
        repo.write("environments/example.yaml", Files.readString(TestRepo.projectRoot().resolve("environments/example.yaml")));
        repo.write("environments/shared/common.yaml", Files.readString(TestRepo.projectRoot().resolve("environments/shared/common.yaml")));
        repo.write("policy/local.yaml", "defaults:\n  serviceAccount: {namespace: deployers, name: example-deployer}\n");
        CliResult result = repo.cli("rbac", "--cluster", "local");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("""
                kind: Role
                metadata:
                  name: dm-reconciler
                  namespace: deployers
                rules:
                - apiGroups:
                  - ''
                  resources:
                  - serviceaccounts
                  resourceNames:
                  - example-deployer
                  verbs:
                  - impersonate
                """), result.out());
    }

    /**
     * The self-deploy bundle renders the generated file: generating it twice gives the same file (it reads as empty
     * while generated, and the reconciler's own roles are accounted for either way), the dm-reconciler environment
     * renders exactly its objects, and without the file that environment fails naming the command.
     */
    @Test
    void theSelfDeployBundleRendersTheGeneratedRbacAndGeneratingIsStable() throws Exception {
        TestRepo repo = TestRepo.withProjectBundles(dir);
        for (String file : new String[] {"example.yaml", "dm-reconciler.yaml", "shared/common.yaml"}) {
            repo.write("environments/" + file, Files.readString(TestRepo.projectRoot().resolve("environments/" + file)));
        }
        Path generated = repo.root().resolve("rbac/dm-reconciler/generated/local.yaml");
        Files.deleteIfExists(generated);
        CliResult missing = repo.cli("render", "--env", "dm-reconciler");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("rbac/dm-reconciler/generated/local.yaml does not exist: generate it with "
                + "bin/reconciler rbac --cluster local --for-bundle"), missing.err());

        CliResult first = repo.cli("rbac", "--cluster", "local", "--for-bundle", "--out", generated.toString());
        assertEquals(0, first.exitCode(), first.err());
        String once = Files.readString(generated);
        assertFalse(java.util.regex.Pattern.compile("(?m)^kind: (Namespace|ServiceAccount)$").matcher(once).find(), once);
        assertTrue(once.contains("kind: ClusterRole\n") && once.contains("kind: Role\n"), once);
        assertTrue(repo.cli("rbac", "--cluster", "local", "--for-bundle", "--out", generated.toString()).exitCode() == 0);
        assertEquals(once, Files.readString(generated), "a fixpoint: generating again with the file present changes nothing");

        CliResult rendered = repo.cli("render", "--env", "dm-reconciler");
        assertEquals(0, rendered.exitCode(), rendered.err());
        assertTrue(rendered.out().contains("kind: ClusterRole") && rendered.out().contains("dm-reconciler-hash-key"),
                rendered.out());
    }

    @Test
    void aClusterWithoutEnvironmentsIsAnError() throws Exception {
        TestRepo repo = TestRepo.withProjectBundles(dir);
        CliResult result = repo.cli("rbac", "--cluster", "nowhere");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("no environment of the repository has cluster: nowhere"), result.err());
    }

    /**
     * The committed rbac/dm-reconciler/generated/local.yaml is what the command generates from the project's
     * environments today: a bundle that starts rendering a new kind (or a new role name) fails this test until the
     * file is regenerated and reviewed, instead of the deployed reconciler failing with Forbidden.
     */
    @Test
    void theCommittedSelfDeployRbacIsUpToDate() throws Exception {
        Path root = TestRepo.projectRoot();
        TestRepo repo = TestRepo.withProjectBundles(dir.resolve("project"));
        try (var files = Files.walk(root.resolve("environments"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                repo.write(root.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        }
        Path secrets = root.resolve("reconciler/src/test/resources/secrets");
        Path generated = repo.root().resolve("rbac/dm-reconciler/generated/local.yaml");
        CliResult result = repo.cli("rbac", "--cluster", "local", "--for-bundle", "--out", generated.toString(),
                "--vault-password-file", secrets.resolve("ansible-vault/vault-password.txt").toString(),
                "--sops-age-key-file", secrets.resolve("sops-age/age.agekey").toString());
        assertEquals(0, result.exitCode(), result.err());
        assertEquals(Files.readString(generated), Files.readString(root.resolve("rbac/dm-reconciler/generated/local.yaml")),
                "regenerate it: bin/reconciler rbac --cluster local --for-bundle --out rbac/dm-reconciler/generated/local.yaml "
                        + "--vault-password-file reconciler/src/test/resources/secrets/ansible-vault/vault-password.txt "
                        + "--sops-age-key-file reconciler/src/test/resources/secrets/sops-age/age.agekey");
    }
}

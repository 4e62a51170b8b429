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
        assertFalse(yaml.contains("secrets") || yaml.contains("pods") || yaml.contains("jobs") || yaml.contains("ingresses"),
                "nothing the environments do not render");
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
        // the inventories and the Lease in the reconciler's namespace
        assertTrue(yaml.contains("""
                  - coordination.k8s.io
                  resources:
                  - leases
                  verbs:
                  - get
                  - create
                  - patch
                """), yaml);
    }

    @Test
    void aClusterWithoutEnvironmentsIsAnError() throws Exception {
        TestRepo repo = TestRepo.withProjectBundles(dir);
        CliResult result = repo.cli("rbac", "--cluster", "nowhere");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("no environment of the repository has cluster: nowhere"), result.err());
    }
}

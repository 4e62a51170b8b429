package dev.dmreconciler.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.TestRepo;
import dev.dmreconciler.TestRepo.CliResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate, the offline pull-request diff and apply report policy violations; apply refuses before connecting. */
class GuardCliTest {

    private static final PersonIdent AUTHOR = new PersonIdent("Test", "test@example.org");

    @TempDir
    Path dir;

    private static final String KUBE_SYSTEM_ERROR = "error: templates/gr/cm-0.yaml.ftl: ConfigMap kube-system/cm-0: targets "
            + "the protected namespace kube-system (allowed only when the policy lists it by name in namespaces: or allows "
            + "protected-namespace) (rule protected-namespace of the built-in default policy, environment sys)";

    @Test
    void validateReportsEveryViolationOfEveryEnvironment() {
        TestRepo repo = GuardIT.environment(GuardIT.repo(dir, 1, "admin.yaml.ftl"), "sys", "kube-system");
        GuardIT.environment(repo, "ok", "guard-a");
        CliResult result = repo.cli("validate");
        assertEquals(1, result.exitCode(), result.err());
        assertTrue(result.err().contains(KUBE_SYSTEM_ERROR), result.err());
        assertTrue(result.err().contains("error: templates/gr/admin.yaml.ftl: ClusterRoleBinding.rbac.authorization.k8s.io "
                + "gr-everyone-is-admin: binds the ClusterRole cluster-admin (rule cluster-admin-binding of the built-in "
                + "default policy, environment sys)"), result.err());
        assertTrue(result.out().contains("3 error(s)"), result.out()); // sys: 2, ok: the binding
    }

    @Test
    void validateTakesThePolicyFileOfTheClusterOrOfTheFlag() throws Exception {
        TestRepo repo = GuardIT.environment(GuardIT.repo(dir, 1), "payments", "payments")
                .write("policy/it.yaml", "defaults: {namespaces: [guard-*]}\n");
        CliResult result = repo.cli("validate");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("ConfigMap payments/cm-0: namespace payments is not among the allowed namespaces "
                + "[guard-*] (rule namespace of policy/it.yaml, environment payments)"), result.err());
        Path flag = Files.writeString(dir.resolve("platform-policy.yaml"), "defaults: {namespaces: [payments]}\n");
        assertEquals(0, repo.cli("validate", "--policy", flag.toString()).exitCode());
        Files.writeString(flag, "defaults: {namespace: [payments]}\n");
        CliResult broken = repo.cli("validate", "--policy", flag.toString());
        assertEquals(1, broken.exitCode());
        assertTrue(broken.err().contains(flag + ": defaults.namespace: unknown key"), broken.err());
    }

    @Test
    void applyRefusesBeforeConnecting() {
        TestRepo repo = GuardIT.environment(GuardIT.repo(dir, 1), "sys", "kube-system");
        CliResult result = repo.cli("apply", "--env", "sys", "--kubeconfig", dir.resolve("no-such-kubeconfig").toString());
        assertEquals(1, result.exitCode(), result.err());
        assertTrue(result.err().contains(KUBE_SYSTEM_ERROR), result.err());
    }

    @Test
    void thePullRequestDiffShowsAViolationTheHeadIntroduces() throws Exception {
        TestRepo repo = GuardIT.environment(GuardIT.repo(dir, 1), "team", "guard-a");
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("base").setAuthor(AUTHOR).setCommitter(AUTHOR).call();
        }
        GuardIT.repo(dir, 1, "admin.yaml.ftl");
        CliResult result = repo.cli("diff", "--base", "main");
        assertEquals(2, result.exitCode(), result.out() + result.err());
        assertTrue(result.out().contains("head: error: templates/gr/admin.yaml.ftl: ClusterRoleBinding.rbac.authorization.k8s.io "
                + "gr-everyone-is-admin: binds the ClusterRole cluster-admin (rule cluster-admin-binding of the built-in "
                + "default policy, environment team)"), result.out());
    }

    @Test
    void theProjectsEnvironmentsPassTheDefaultsAndTheExamplePolicy() throws Exception {
        TestRepo repo = TestRepo.withProjectBundles(dir);
        for (String environment : new String[] {"example.yaml", "dm-reconciler.yaml", "staging-parameters.yaml",
                "shared/common.yaml"}) {
            repo.write("environments/" + environment, Files.readString(TestRepo.projectRoot().resolve("environments/" + environment)));
        }
        CliResult defaults = repo.cli("validate");
        assertEquals(0, defaults.exitCode(), defaults.err());
        Path example = TestRepo.projectRoot().resolve("docs/policy-example.yaml");
        CliResult strict = repo.cli("validate", "--policy", example.toString());
        assertEquals(0, strict.exitCode(), strict.err());
        // without its entry, the reconciler's own escalate/bind (on the roles its generated RBAC names) would be refused
        Path withoutEntry = Files.writeString(dir.resolve("p.yaml"), Files.readString(example).replaceAll("(?s)environments:.*", ""));
        CliResult refused = repo.cli("validate", "--policy", withoutEntry.toString());
        assertEquals(1, refused.exitCode());
        assertTrue(refused.err().contains("ClusterRole.rbac.authorization.k8s.io dm-reconciler: rules[") 
                && refused.err().contains("grants escalate on [jupyter-operator, sui-operator] (rule escalate of " + withoutEntry), refused.err());
    }
}

package dev.dmreconciler.policy;

import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.params.Problems;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.source.RepoTree;
import java.nio.file.Path;
import java.util.List;

/**
 * How the guard rails are set up for a command or the controller.
 *
 * @param policyFile            {@code --policy}: used instead of the repository's {@code policy/<cluster>.yaml}
 * @param allowMassPrune        {@code --allow-mass-prune}: the prune budget does not hold deletions back
 * @param defaultServiceAccount {@code --default-service-account}: impersonated when the policy names none
 */
public record GuardOptions(Path policyFile, boolean allowMassPrune, ServiceAccountRef defaultServiceAccount) {

    public static final GuardOptions NONE = new GuardOptions(null, false, null);

    /** The rules of one environment: the --policy file, else the repository's file for its cluster, else defaults. */
    public Rules rulesFor(RepoTree tree, String environment, String cluster) {
        Rules rules = policyFile != null ? PolicyFile.read(policyFile).rulesFor(environment)
                : PolicyFile.forCluster(tree, cluster).map(p -> p.rulesFor(environment)).orElse(Rules.DEFAULTS);
        return rules.serviceAccount() == null && defaultServiceAccount != null
                ? rules.withServiceAccount(defaultServiceAccount) : rules;
    }

    public Rules rulesFor(RepoTree tree, DesiredState desired) {
        return rulesFor(tree, desired.environment().name(), desired.environment().cluster());
    }

    /** The environment's policy violations; each names the object, the template, the rule and the policy. */
    public static List<Violation> violations(Rules rules, DesiredState desired) {
        return PolicyCheck.check(desired.environment().name(), rules, desired.objects());
    }

    /**
     * Fails the environment, before any request, when it violates its policy.
     *
     * @throws InvalidInputException listing every violation
     */
    public static void enforce(Rules rules, DesiredState desired) {
        Problems problems = new Problems();
        violations(rules, desired).forEach(v -> problems.add(v.toProblem()));
        problems.throwIfErrors();
    }
}

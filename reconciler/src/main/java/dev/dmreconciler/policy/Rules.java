package dev.dmreconciler.policy;

import java.util.List;
import java.util.Set;

/**
 * What one environment may do, resolved from its cluster's policy file (or the built-in defaults).
 *
 * @param source         where the rules come from, as reported in every violation ("policy/prod.yaml")
 * @param fromFile       false for the built-in defaults: then only the rules enforced without a policy apply
 * @param namespaces     allowed target namespaces, names or globs; null = any (the protected ones only when
 *                       listed literally or allowed)
 * @param kinds          allowed kinds ("Deployment", "Deployment.apps", "*.example.com"); null = any
 * @param clusterScoped  allowed cluster-scoped objects ("Kind", "Kind.group" or "Kind/name", globs); null = any,
 *                       empty = none
 * @param allow          rules switched off for this environment, by {@link Rule#id()}
 * @param pruneBudget    how much one pass may delete
 * @param serviceAccount the identity the pass runs as; null = the reconciler's own
 */
public record Rules(String source, boolean fromFile, List<String> namespaces, List<String> kinds,
                    List<String> clusterScoped, Set<String> allow, PruneBudget pruneBudget,
                    ServiceAccountRef serviceAccount) {

    public static final String BUILT_IN = "the built-in default policy";

    /** No policy file: the safe defaults, everything else allowed. */
    public static final Rules DEFAULTS = new Rules(BUILT_IN, false, null, null, null, Set.of(), PruneBudget.DEFAULT, null);

    public boolean enforces(Rule rule) {
        return (fromFile || rule.enforcedWithoutPolicy()) && !allow.contains(rule.id());
    }

    public Rules withServiceAccount(ServiceAccountRef account) {
        return new Rules(source, fromFile, namespaces, kinds, clusterScoped, allow, pruneBudget, account);
    }
}

/**
 * Guard rails between render and apply: what an environment may do to a cluster, decided by someone other than
 * the environment's author.
 *
 * <ul>
 *   <li>{@link dev.dmreconciler.policy.PolicyFile}: the cluster's policy ({@code policy/<cluster>.yaml} in the
 *       repository, which CODEOWNERS gives to the platform owners, or {@code --policy FILE}), resolved per
 *       environment into {@link dev.dmreconciler.policy.Rules}; with no policy file the built-in safe defaults.</li>
 *   <li>{@link dev.dmreconciler.policy.PolicyCheck}: the rule table, applied to the rendered objects before any
 *       request, so a violation fails the environment before anything is written.</li>
 *   <li>{@link dev.dmreconciler.policy.PruneBudget}: a pass that would delete too much of an inventory deletes
 *       nothing (its prunes are held) unless explicitly overridden.</li>
 *   <li>{@link dev.dmreconciler.policy.Impersonation}: the identity a pass runs as.</li>
 * </ul>
 * Depends on params, render and plan; apply and the commands call it.
 */
package dev.dmreconciler.policy;

package dev.dmreconciler.policy;

import java.util.Arrays;
import java.util.Optional;

/** One rule of the policy table; the name is what {@code allow:} lists and what a violation reports. */
public enum Rule {
    /** An object in or of kube-system, kube-public or kube-node-lease. Forbidden unless allowed. */
    PROTECTED_NAMESPACE("protected-namespace", true),
    /** A target namespace outside the policy's {@code namespaces:}. */
    NAMESPACE("namespace", false),
    /** A kind outside the policy's {@code kinds:}. */
    KIND("kind", false),
    /** A cluster-scoped object the policy's {@code clusterScoped:} does not admit. */
    CLUSTER_SCOPED("cluster-scoped", false),
    /** A RoleBinding or ClusterRoleBinding to the ClusterRole cluster-admin. Forbidden unless allowed. */
    CLUSTER_ADMIN_BINDING("cluster-admin-binding", true),
    /** A (Cluster)Role rule granting every resource ({@code *}) of all API groups or of the core group. */
    ALL_RESOURCES("all-resources", true),
    /** Any other {@code *} in a rule's verbs, resources or API groups (only under a policy file). */
    WILDCARD("wildcard", false),
    /** The {@code escalate} verb: write roles granting more than the writer holds (only under a policy file). */
    ESCALATE("escalate", false),
    /** The {@code bind} verb: bind roles the binder does not hold (only under a policy file). */
    BIND("bind", false),
    /** The {@code impersonate} verb: act as another user, group or ServiceAccount (only under a policy file). */
    IMPERSONATE("impersonate", false);

    private final String id;
    private final boolean always;

    Rule(String id, boolean always) {
        this.id = id;
        this.always = always;
    }

    public String id() {
        return id;
    }

    /** True for the rules enforced even with no policy file at all (the safe defaults). */
    public boolean enforcedWithoutPolicy() {
        return always;
    }

    public static Optional<Rule> byId(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }
}

package dev.dmreconciler.policy;

import dev.dmreconciler.resource.KindOrder;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.RenderedObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rule table, applied to an environment's rendered objects (no request is made): each object gets every
 * violation it commits, so one run shows them all.
 *
 * <table>
 *   <tr><th>rule</th><th>object</th><th>without a policy file</th></tr>
 *   <tr><td>protected-namespace</td><td>in kube-system, kube-public, kube-node-lease, or that Namespace itself
 *       </td><td>forbidden</td></tr>
 *   <tr><td>namespace</td><td>namespaced object (or Namespace) outside {@code namespaces:}</td><td>-</td></tr>
 *   <tr><td>kind</td><td>kind outside {@code kinds:}</td><td>-</td></tr>
 *   <tr><td>cluster-scoped</td><td>cluster-scoped object outside {@code clusterScoped:}</td><td>-</td></tr>
 *   <tr><td>cluster-admin-binding</td><td>(Cluster)RoleBinding of the ClusterRole cluster-admin</td>
 *       <td>forbidden</td></tr>
 *   <tr><td>all-resources</td><td>(Cluster)Role rule: resources {@code *} of apiGroups {@code *} or core</td>
 *       <td>forbidden</td></tr>
 *   <tr><td>wildcard</td><td>any other {@code *} in a rule's verbs, resources or apiGroups</td><td>-</td></tr>
 *   <tr><td>escalate, bind, impersonate</td><td>(Cluster)Role rule with that verb</td><td>-</td></tr>
 * </table>
 * A rule listed in {@code allow:} is off. A protected namespace listed literally (not by a glob) in
 * {@code namespaces:} is allowed.
 */
public final class PolicyCheck {

    public static final Set<String> PROTECTED_NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease");
    private static final String RBAC = "rbac.authorization.k8s.io";

    private PolicyCheck() {
    }

    public static List<Violation> check(String environment, Rules rules, List<RenderedObject> objects) {
        List<Violation> violations = new ArrayList<>();
        for (RenderedObject object : objects) {
            new ObjectCheck(environment, rules, object, violations).run();
        }
        return violations;
    }

    /** The checks of one object; each finding becomes a violation when its rule is enforced. */
    private record ObjectCheck(String environment, Rules rules, RenderedObject object, List<Violation> into) {

        void run() {
            ObjectKey key = object.key();
            String targetNamespace = key.group().isEmpty() && key.kind().equals("Namespace") ? key.name() : key.namespace();
            if (!targetNamespace.isEmpty()) {
                namespace(targetNamespace);
            }
            String qualified = key.group().isEmpty() ? key.kind() : key.kind() + "." + key.group();
            if (rules.kinds() != null && !Globs.anyMatches(rules.kinds(), key.kind(), qualified)) {
                report(Rule.KIND, "kind " + qualified + " is not among the allowed kinds " + rules.kinds());
            }
            if (rules.clusterScoped() != null && KindOrder.isClusterScoped(key.group(), key.kind())
                    && !Globs.anyMatches(rules.clusterScoped(), key.kind(), qualified, key.kind() + "/" + key.name(),
                    qualified + "/" + key.name())) {
                report(Rule.CLUSTER_SCOPED, "cluster-scoped " + qualified + " " + key.name()
                        + " is not among the allowed cluster-scoped objects " + rules.clusterScoped());
            }
            if (key.group().equals(RBAC)) {
                rbac(key.kind());
            }
        }

        private void namespace(String namespace) {
            boolean listed = rules.namespaces() != null && rules.namespaces().contains(namespace);
            if (PROTECTED_NAMESPACES.contains(namespace)) {
                if (!listed) {
                    report(Rule.PROTECTED_NAMESPACE, "targets the protected namespace " + namespace
                            + " (allowed only when the policy lists it by name in namespaces: or allows "
                            + Rule.PROTECTED_NAMESPACE.id() + ")");
                }
                return;
            }
            if (rules.namespaces() != null && !Globs.anyMatches(rules.namespaces(), namespace)) {
                report(Rule.NAMESPACE, "namespace " + namespace + " is not among the allowed namespaces " + rules.namespaces());
            }
        }

        @SuppressWarnings("unchecked")
        private void rbac(String kind) {
            Map<String, Object> body = object.body();
            if (kind.equals("RoleBinding") || kind.equals("ClusterRoleBinding")) {
                Object roleRef = body.get("roleRef");
                if (roleRef instanceof Map<?, ?> ref && "ClusterRole".equals(ref.get("kind"))
                        && "cluster-admin".equals(ref.get("name"))) {
                    report(Rule.CLUSTER_ADMIN_BINDING, "binds the ClusterRole cluster-admin");
                }
            }
            if ((kind.equals("Role") || kind.equals("ClusterRole")) && body.get("rules") instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) instanceof Map<?, ?> rule) {
                        roleRule(i, (Map<String, Object>) rule);
                    }
                }
            }
        }

        private void roleRule(int index, Map<String, Object> rule) {
            List<String> groups = strings(rule.get("apiGroups"));
            List<String> resources = strings(rule.get("resources"));
            List<String> verbs = strings(rule.get("verbs"));
            String where = "rules[" + index + "]";
            boolean allResources = resources.contains("*") && (groups.contains("*") || groups.contains(""));
            if (allResources) {
                report(Rule.ALL_RESOURCES, where + " grants all resources (*) of "
                        + (groups.contains("*") ? "all API groups" : "the core API group"));
            }
            List<String> wild = new ArrayList<>();
            if (verbs.contains("*")) {
                wild.add("verbs");
            }
            if (resources.contains("*") && !allResources) {
                wild.add("resources");
            }
            if (groups.contains("*") && !allResources) {
                wild.add("apiGroups");
            }
            if (!wild.isEmpty()) {
                report(Rule.WILDCARD, where + " has * in " + String.join(", ", wild));
            }
            for (Rule verb : List.of(Rule.ESCALATE, Rule.BIND, Rule.IMPERSONATE)) {
                if (verbs.contains(verb.id())) {
                    Object names = rule.get("resourceNames");
                    report(verb, where + " grants " + verb.id() + (names == null ? " on every name" : " on " + names));
                }
            }
        }

        private void report(Rule rule, String detail) {
            if (rules.enforces(rule)) {
                into.add(new Violation(environment, object.key(), object.template(), rule, detail, rules.source()));
            }
        }

        private static List<String> strings(Object value) {
            return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
        }
    }
}

package dev.dmreconciler.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.RenderedObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The whole rule table, offline: each rule with no policy file, under a policy file, and allowed. */
class PolicyCheckTest {

    private static RenderedObject object(String yaml) {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = new Yaml().load(yaml);
        return new RenderedObject(ObjectKey.of(body), body, "app", "templates/app/t.yaml.ftl", null);
    }

    private static final RenderedObject CONFIGMAP_IN_KUBE_SYSTEM = object(
            "{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: kube-system}}");
    private static final RenderedObject KUBE_PUBLIC_NAMESPACE = object(
            "{apiVersion: v1, kind: Namespace, metadata: {name: kube-public}}");
    private static final RenderedObject LEASE_IN_NODE_LEASE = object(
            "{apiVersion: coordination.k8s.io/v1, kind: Lease, metadata: {name: l, namespace: kube-node-lease}}");
    private static final RenderedObject APP_CONFIGMAP = object(
            "{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: data-manager-a}}");
    private static final RenderedObject APP_NAMESPACE = object(
            "{apiVersion: v1, kind: Namespace, metadata: {name: data-manager-a}}");
    private static final RenderedObject OTHER_DEPLOYMENT = object(
            "{apiVersion: apps/v1, kind: Deployment, metadata: {name: d, namespace: payments}}");
    private static final RenderedObject CRD = object(
            "{apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition, metadata: {name: widgets.example.com}}");
    private static final RenderedObject CLUSTER_ADMIN_CRB = object("""
            {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRoleBinding, metadata: {name: everyone},
             roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin},
             subjects: [{kind: Group, name: 'system:authenticated'}]}""");
    private static final RenderedObject CLUSTER_ADMIN_RB = object("""
            {apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: admin, namespace: data-manager-a},
             roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}, subjects: []}""");
    private static final RenderedObject EDIT_RB = object("""
            {apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: edit, namespace: data-manager-a},
             roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}, subjects: []}""");
    private static final RenderedObject ALL_OF_ALL = object("""
            {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: god},
             rules: [{apiGroups: ['*'], resources: ['*'], verbs: [get]}]}""");
    private static final RenderedObject ALL_OF_CORE = object("""
            {apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: core, namespace: data-manager-a},
             rules: [{apiGroups: [''], resources: ['*'], verbs: [get, list]}]}""");
    private static final RenderedObject ALL_OF_APPS = object("""
            {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: apps},
             rules: [{apiGroups: [apps], resources: ['*'], verbs: [get]}]}""");
    private static final RenderedObject STAR_VERBS = object("""
            {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: star},
             rules: [{apiGroups: [''], resources: [configmaps], verbs: ['*']}]}""");
    private static final RenderedObject ESCALATING = object("""
            {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: deployer},
             rules: [{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate, bind],
                      resourceNames: [jupyter-operator]},
                     {apiGroups: [''], resources: [serviceaccounts], verbs: [impersonate]}]}""");
    private static final RenderedObject PLAIN_ROLE = object("""
            {apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: plain, namespace: data-manager-a},
             rules: [{apiGroups: [''], resources: [configmaps], verbs: [get, list, create]}]}""");

    private static final List<RenderedObject> ALL = List.of(CONFIGMAP_IN_KUBE_SYSTEM, KUBE_PUBLIC_NAMESPACE,
            LEASE_IN_NODE_LEASE, APP_CONFIGMAP, APP_NAMESPACE, OTHER_DEPLOYMENT, CRD, CLUSTER_ADMIN_CRB, CLUSTER_ADMIN_RB,
            EDIT_RB, ALL_OF_ALL, ALL_OF_CORE, ALL_OF_APPS, STAR_VERBS, ESCALATING, PLAIN_ROLE);

    /** object name → the rules it violates, sorted. */
    private static Map<String, String> violations(Rules rules) {
        return PolicyCheck.check("env", rules, ALL).stream().collect(Collectors.groupingBy(v -> v.key().name(),
                java.util.TreeMap::new, Collectors.mapping(v -> v.rule().id(), Collectors.joining(","))));
    }

    private static Rules policy(String yaml, String environment) {
        return PolicyFile.parse("policy/test.yaml", yaml.getBytes(StandardCharsets.UTF_8)).rulesFor(environment);
    }

    @Test
    void withoutPolicyOnlyTheSafeDefaultsApply() {
        assertEquals(Map.of(
                "c", "protected-namespace",          // the ConfigMap in kube-system (the app's one is fine)
                "kube-public", "protected-namespace",
                "l", "protected-namespace",
                "everyone", "cluster-admin-binding",
                "admin", "cluster-admin-binding",
                "god", "all-resources",
                "core", "all-resources"), violations(Rules.DEFAULTS));
    }

    @Test
    void aPolicyFileForbidsWildcardsAndEscalationsToo() {
        Map<String, String> found = violations(policy("defaults: {}", "env"));
        assertEquals("wildcard", found.get("apps"));
        assertEquals("wildcard", found.get("star"));
        assertEquals("escalate,bind,impersonate", found.get("deployer"));
        assertEquals("all-resources", found.get("god"));
        assertTrue(!found.containsKey("plain") && !found.containsKey("edit") && !found.containsKey("d"));
    }

    @Test
    void allowSwitchesRulesOffPerEnvironment() {
        String yaml = """
                environments:
                  admin-env: {allow: [cluster-admin-binding, escalate, bind, impersonate, wildcard, all-resources]}
                """;
        Map<String, String> found = violations(policy(yaml, "admin-env"));
        assertEquals(Map.of("c", "protected-namespace", "kube-public", "protected-namespace", "l", "protected-namespace"),
                found);
        assertEquals("escalate,bind,impersonate", violations(policy(yaml, "other")).get("deployer"));
    }

    @Test
    void protectedNamespacesOnlyWhenListedByNameOrAllowed() {
        assertEquals(Map.of("c", "protected-namespace", "kube-public", "protected-namespace", "l", "protected-namespace"),
                only(policy("defaults: {namespaces: ['*'], allow: [cluster-admin-binding, all-resources, wildcard, escalate, bind, impersonate]}", "e"),
                        CONFIGMAP_IN_KUBE_SYSTEM, KUBE_PUBLIC_NAMESPACE, LEASE_IN_NODE_LEASE));
        assertEquals(Map.of("kube-public", "protected-namespace", "l", "protected-namespace"),
                only(policy("defaults: {namespaces: [kube-system]}", "e"),
                        CONFIGMAP_IN_KUBE_SYSTEM, KUBE_PUBLIC_NAMESPACE, LEASE_IN_NODE_LEASE));
        assertEquals(Map.of(), only(policy("defaults: {allow: [protected-namespace]}", "e"),
                CONFIGMAP_IN_KUBE_SYSTEM, KUBE_PUBLIC_NAMESPACE, LEASE_IN_NODE_LEASE));
    }

    @Test
    void namespacesKindsAndClusterScopedObjects() {
        Rules rules = policy("""
                defaults:
                  namespaces: [data-manager-*]
                  kinds: [ConfigMap, Namespace, Deployment.apps, '*.rbac.authorization.k8s.io']
                  clusterScoped: [Namespace, ClusterRole/apps]
                """, "e");
        assertEquals(Map.of("d", "namespace", "widgets.example.com", "kind,cluster-scoped"),
                only(rules, APP_CONFIGMAP, APP_NAMESPACE, OTHER_DEPLOYMENT, CRD, EDIT_RB, PLAIN_ROLE));
        assertEquals(Map.of("apps", "wildcard", "star", "cluster-scoped,wildcard"), only(rules, ALL_OF_APPS, STAR_VERBS));
        assertEquals(Map.of("data-manager-a", "cluster-scoped", "widgets.example.com", "cluster-scoped"),
                only(policy("defaults: {clusterScoped: false}", "e"), APP_NAMESPACE, CRD, APP_CONFIGMAP));
    }

    @Test
    void aViolationNamesObjectTemplateRuleAndPolicy() {
        Violation violation = PolicyCheck.check("prod", Rules.DEFAULTS, List.of(CLUSTER_ADMIN_CRB)).get(0);
        assertEquals("error: templates/app/t.yaml.ftl: ClusterRoleBinding.rbac.authorization.k8s.io everyone: binds the "
                + "ClusterRole cluster-admin (rule cluster-admin-binding of the built-in default policy, environment prod)",
                violation.toProblem().toString());
    }

    private static Map<String, String> only(Rules rules, RenderedObject... objects) {
        return PolicyCheck.check("env", rules, List.of(objects)).stream().collect(Collectors.groupingBy(v -> v.key().name(),
                java.util.TreeMap::new, Collectors.mapping(v -> v.rule().id(), Collectors.joining(","))));
    }
}

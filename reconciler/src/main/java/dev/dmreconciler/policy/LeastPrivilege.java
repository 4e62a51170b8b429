package dev.dmreconciler.policy;

import dev.dmreconciler.params.AppInstance;
import dev.dmreconciler.params.Bundle;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.resource.KindOrder;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.RenderedObject;
import io.fabric8.kubernetes.api.Pluralize;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The RBAC the reconciler needs for exactly what a cluster's environments render, derived from the rendered
 * objects rather than written by hand:
 * <ul>
 *   <li>a ClusterRole: get, list and watch of every rendered kind (the plan reads live state with one LIST per kind across
 *       all namespaces, which RBAC can only grant cluster-wide), the writes of the cluster-scoped kinds (CRDs
 *       without delete), the bundles' precondition kinds (read), Namespaces (read, and create for the inventory
 *       namespace), Events (create), and escalate/bind limited to the names of the rendered roles and of the roles
 *       rendered bindings refer to;</li>
 *   <li>per namespace the environments write into, a Role with create, patch and delete of exactly the kinds
 *       rendered there;</li>
 *   <li>in the inventory namespace a Role for what the reconciler keeps itself: the inventory ConfigMaps (a save is
 *       a PUT with the resourceVersion read: update; empty shards are deleted), the per-environment apply Leases and
 *       the leader Lease (update: take, renew, release), and the Secret {@code dm-reconciler-hash-key} (get, and
 *       create on first use);</li>
 *   <li>impersonate on exactly the ServiceAccounts the cluster's policy names (Role in each one's namespace).</li>
 * </ul>
 * For the self-deploy bundle ({@link Request#forBundle}): no Namespace or ServiceAccount (the bundle renders them),
 * the reconciler may re-apply its own ClusterRole, Role and bindings (it holds everything in them), and every
 * namespaced write is granted in the ClusterRole, because a bundle can only place objects in namespaces it owns.
 * The reconciler's own ClusterRole (named {@code name}) never gets escalate or bind on itself, so a commit cannot
 * widen the reconciler's rights.
 */
public final class LeastPrivilege {

    private static final String RBAC = "rbac.authorization.k8s.io";
    /** get/list: the plan (one LIST per kind across namespaces); watch: run's watch cache of the same objects. */
    private static final List<String> READ = List.of("get", "list", "watch");
    private static final List<String> WRITE = List.of("create", "patch", "delete");

    /**
     * @param name         the ClusterRole, Roles and bindings' name; {@code account} the identity they are bound to
     * @param impersonated the ServiceAccounts the policy makes environments apply as (impersonate on exactly those)
     * @param forBundle    the output is rendered by the self-deploy bundle (see the class comment)
     */
    public record Request(String name, ServiceAccountRef account, String inventoryNamespace, Set<ServiceAccountRef> impersonated,
                          boolean forBundle) {

        public Request(String name, ServiceAccountRef account, String inventoryNamespace) {
            this(name, account, inventoryNamespace, Set.of(), false);
        }
    }

    /** The Secret holding the per-cluster key of the keyed hash of Secrets ({@code inventory.SecretHashKey}). */
    static final String HASH_KEY_SECRET = "dm-reconciler-hash-key";

    /** The objects to apply (in order) and notes for the person applying them. */
    public record Result(List<Map<String, Object>> objects, List<String> notes) {
    }

    private LeastPrivilege() {
    }

    public static Result derive(List<DesiredState> environments, Request request) {
        Map<String, String> plurals = customPlurals(environments);
        Map<String, Set<String>> read = new TreeMap<>();          // group -> resources
        Map<String, Set<String>> clusterWrite = new TreeMap<>();  // group -> resources
        Map<String, Map<String, Set<String>>> namespaceWrite = new TreeMap<>(); // namespace -> group -> resources
        Set<String> createdNamespaces = new TreeSet<>();
        Set<String> escalateClusterRoles = new TreeSet<>();
        Set<String> bindClusterRoles = new TreeSet<>();
        Set<String> escalateRoles = new TreeSet<>();
        Set<String> bindRoles = new TreeSet<>();
        boolean crdWrites = false;
        List<String> notes = new ArrayList<>();
        add(read, "", "namespaces");
        for (DesiredState desired : environments) {
            for (AppInstance app : desired.environment().apps()) {
                for (Bundle.Precondition precondition : app.bundle().namespacePreconditions()) {
                    add(read, ObjectKey.groupOf(precondition.apiVersion()), plural(plurals, ObjectKey.groupOf(precondition.apiVersion()), precondition.kind()));
                }
            }
            for (RenderedObject object : desired.objects()) {
                ObjectKey key = object.key();
                String resource = plural(plurals, key.group(), key.kind());
                add(read, key.group(), resource);
                if (KindOrder.isClusterScoped(key.group(), key.kind())) {
                    if (key.kind().equals("CustomResourceDefinition")) {
                        crdWrites = true;
                    } else {
                        add(clusterWrite, key.group(), resource);
                    }
                    if (key.group().isEmpty() && key.kind().equals("Namespace")) {
                        createdNamespaces.add(key.name());
                    }
                } else {
                    add(namespaceWrite.computeIfAbsent(key.namespace(), n -> new TreeMap<>()), key.group(), resource);
                }
                if (key.group().equals(RBAC)) {
                    switch (key.kind()) {
                        case "ClusterRole" -> escalateClusterRoles.add(key.name());
                        case "Role" -> escalateRoles.add(key.name());
                        default -> {
                            if (object.body().get("roleRef") instanceof Map<?, ?> ref) {
                                ("ClusterRole".equals(ref.get("kind")) ? bindClusterRoles : bindRoles).add(String.valueOf(ref.get("name")));
                            }
                        }
                    }
                }
            }
        }
        if (request.forBundle()) { // the bundle re-applies this very output: its roles and bindings
            for (String resource : List.of("clusterroles", "clusterrolebindings", "roles", "rolebindings")) {
                add(read, RBAC, resource);
            }
            add(clusterWrite, RBAC, "clusterroles");
            add(clusterWrite, RBAC, "clusterrolebindings");
            Map<String, Set<String>> own = namespaceWrite.computeIfAbsent(request.inventoryNamespace(), n -> new TreeMap<>());
            add(own, RBAC, "roles");
            add(own, RBAC, "rolebindings");
        }
        // A namespace an environment creates itself (the operator's) cannot hold a Role before the pass that creates
        // it: the writes there are granted cluster-wide, for exactly the kinds rendered into it.
        for (String namespace : createdNamespaces) {
            Map<String, Set<String>> byGroup = namespaceWrite.remove(namespace);
            if (byGroup != null && !namespace.equals(request.inventoryNamespace())) {
                byGroup.forEach((group, resources) -> resources.forEach(r -> add(clusterWrite, group, r)));
                notes.add("namespace " + namespace + " is created by the environments themselves: the writes of "
                        + byGroup.values() + " there are granted cluster-wide (a Role cannot exist before its namespace)");
            } else if (byGroup != null) {
                namespaceWrite.put(namespace, byGroup);
            }
        }
        bindClusterRoles.addAll(escalateClusterRoles);
        bindRoles.addAll(escalateRoles);
        if (escalateClusterRoles.remove(request.name()) | bindClusterRoles.remove(request.name())
                | escalateRoles.remove(request.name()) | bindRoles.remove(request.name())) {
            notes.add("an environment renders roles named " + request.name() + " (the reconciler's own, e.g. its "
                    + "self-deploy bundle): no escalate/bind on them, so a commit cannot widen the reconciler's rights; "
                    + "it re-applies them only while it holds everything in them");
        }
        if (bindClusterRoles.contains("cluster-admin")) {
            notes.add("an environment binds cluster-admin: bind on it is granted (the policy must allow the binding too)");
        }

        List<Map<String, Object>> rules = new ArrayList<>();
        read.forEach((group, resources) -> rules.add(rule(group, new ArrayList<>(resources), READ, null)));
        rules.add(rule("", List.of("namespaces"), List.of("create"), null)); // the inventory namespace, on first use
        if (crdWrites) {
            // no delete: deleting a CRD deletes every object of it (--prune-crds is an admin's CLI action)
            rules.add(rule("apiextensions.k8s.io", List.of("customresourcedefinitions"), List.of("create", "patch"), null));
        }
        clusterWrite.forEach((group, resources) -> rules.add(rule(group, new ArrayList<>(resources), WRITE, null)));
        rules.add(rule("", List.of("events"), List.of("create"), null));
        named(rules, "clusterroles", "escalate", escalateClusterRoles);
        named(rules, "clusterroles", "bind", bindClusterRoles);
        named(rules, "roles", "escalate", escalateRoles);
        named(rules, "roles", "bind", bindRoles);

        Map<String, List<Map<String, Object>>> namespaceRules = new TreeMap<>();
        if (request.forBundle()) { // one ClusterRole: a bundle places objects only in namespaces it owns
            Map<String, Set<String>> folded = new TreeMap<>();
            namespaceWrite.forEach((namespace, byGroup) -> byGroup.forEach((group, resources) ->
                    resources.forEach(r -> add(folded, group, r))));
            folded.forEach((group, resources) -> rules.add(rule(group, new ArrayList<>(resources), WRITE, null)));
            if (!namespaceWrite.isEmpty()) {
                notes.add("for the self-deploy bundle the writes in " + namespaceWrite.keySet() + " are granted cluster-wide "
                        + "(a bundle can only place objects in namespaces it owns); for one Role per namespace apply the "
                        + "output without --for-bundle by hand instead");
            }
        } else {
            namespaceWrite.forEach((namespace, byGroup) -> byGroup.forEach((group, resources) ->
                    namespaceRules.computeIfAbsent(namespace, n -> new ArrayList<>()).add(rule(group, new ArrayList<>(resources), WRITE, null))));
        }
        Map<String, Set<String>> impersonated = new TreeMap<>();
        request.impersonated().forEach(a -> impersonated.computeIfAbsent(a.namespace(), n -> new TreeSet<>()).add(a.name()));
        impersonated.forEach((namespace, names) -> {
            Map<String, Object> rule = rule("", List.of("serviceaccounts"), List.of("impersonate"), new ArrayList<>(names));
            if (request.forBundle() && !namespace.equals(request.inventoryNamespace())) {
                rules.add(rule); // resourceNames in a ClusterRole: these names in any namespace (noted)
                notes.add("impersonate " + names + " is granted by name in every namespace, not only " + namespace
                        + " (for the self-deploy bundle); apply the output without --for-bundle for a Role in " + namespace);
            } else {
                namespaceRules.computeIfAbsent(namespace, n -> new ArrayList<>()).add(rule);
            }
        });
        List<Map<String, Object>> state = namespaceRules.computeIfAbsent(request.inventoryNamespace(), n -> new ArrayList<>());
        // inventories: LIST per pass, GET, a save is a PUT with the resourceVersion read (update) or a create; empty
        // shards are deleted. Leases: per-environment apply locks and the leader Lease, taken, renewed and released
        // with the resourceVersion read (update; the leader elector also patches). The keyed-hash Secret: read, and
        // created on first use (create cannot be narrowed by name).
        state.add(rule("", List.of("configmaps"), List.of("get", "list", "watch", "create", "update", "patch", "delete"), null));
        state.add(rule("coordination.k8s.io", List.of("leases"), List.of("get", "list", "create", "update", "patch"), null));
        state.add(rule("", List.of("secrets"), List.of("get"), List.of(HASH_KEY_SECRET)));
        state.add(rule("", List.of("secrets"), List.of("create"), null));

        List<Map<String, Object>> objects = new ArrayList<>();
        if (!request.forBundle()) {
            Set<String> namespacesToCreate = new TreeSet<>(List.of(request.inventoryNamespace(), request.account().namespace()));
            namespacesToCreate.removeAll(createdNamespaces); // an environment creates it (the self-deploy bundle)
            namespacesToCreate.forEach(n -> objects.add(object("v1", "Namespace", n, null)));
            objects.add(object("v1", "ServiceAccount", request.account().name(), request.account().namespace()));
        }
        Map<String, Object> clusterRole = object(RBAC + "/v1", "ClusterRole", request.name(), null);
        clusterRole.put("rules", rules);
        objects.add(clusterRole);
        objects.add(binding("ClusterRoleBinding", null, "ClusterRole", request));

        namespaceRules.forEach((namespace, nsRules) -> {
            Map<String, Object> role = object(RBAC + "/v1", "Role", request.name(), namespace);
            role.put("rules", nsRules);
            objects.add(role);
            objects.add(binding("RoleBinding", namespace, "Role", request));
        });
        return new Result(objects, notes);
    }

    private static void named(List<Map<String, Object>> rules, String resource, String verb, Set<String> names) {
        if (!names.isEmpty()) {
            rules.add(rule(RBAC, List.of(resource), List.of(verb), new ArrayList<>(names)));
        }
    }

    /** Plurals of the custom kinds the environments' CRDs define (group/Kind → plural). */
    @SuppressWarnings("unchecked")
    private static Map<String, String> customPlurals(List<DesiredState> environments) {
        Map<String, String> plurals = new TreeMap<>();
        for (DesiredState desired : environments) {
            for (RenderedObject object : desired.objects()) {
                if (object.key().kind().equals("CustomResourceDefinition") && object.body().get("spec") instanceof Map<?, ?> spec
                        && spec.get("names") instanceof Map<?, ?> names) {
                    plurals.put(spec.get("group") + "/" + names.get("kind"), String.valueOf(names.get("plural")));
                }
            }
        }
        return plurals;
    }

    private static String plural(Map<String, String> custom, String group, String kind) {
        String known = custom.get(group + "/" + kind);
        return known != null ? known : Pluralize.toPlural(kind.toLowerCase(Locale.ROOT));
    }

    private static void add(Map<String, Set<String>> into, String group, String resource) {
        into.computeIfAbsent(group, g -> new TreeSet<>()).add(resource);
    }

    private static Map<String, Object> rule(String group, List<String> resources, List<String> verbs, List<String> names) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("apiGroups", new ArrayList<>(List.of(group))); // fresh lists: no YAML anchors in the output
        rule.put("resources", new ArrayList<>(resources));
        if (names != null) {
            rule.put("resourceNames", new ArrayList<>(names));
        }
        rule.put("verbs", new ArrayList<>(verbs));
        return rule;
    }

    private static Map<String, Object> object(String apiVersion, String kind, String name, String namespace) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        object.put("metadata", metadata);
        return object;
    }

    private static Map<String, Object> binding(String kind, String namespace, String roleKind, Request request) {
        Map<String, Object> binding = object(RBAC + "/v1", kind, request.name(), namespace);
        Map<String, Object> roleRef = new LinkedHashMap<>();
        roleRef.put("apiGroup", RBAC);
        roleRef.put("kind", roleKind);
        roleRef.put("name", request.name());
        binding.put("roleRef", roleRef);
        Map<String, Object> subject = new LinkedHashMap<>();
        subject.put("kind", "ServiceAccount");
        subject.put("name", request.account().name());
        subject.put("namespace", request.account().namespace());
        binding.put("subjects", List.of(subject));
        return binding;
    }
}

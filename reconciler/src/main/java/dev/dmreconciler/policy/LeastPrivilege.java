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
 *   <li>a ClusterRole: get and list of every rendered kind (the plan reads live state with one LIST per kind across
 *       all namespaces, which RBAC can only grant cluster-wide), the writes of the cluster-scoped kinds (CRDs
 *       without delete), the bundles' precondition kinds (read), Namespaces (read, and create for the inventory
 *       namespace), Events (create), and escalate/bind limited to the names of the rendered roles and of the roles
 *       rendered bindings refer to;</li>
 *   <li>per namespace the environments write into, a Role with create, patch and delete of exactly the kinds
 *       rendered there;</li>
 *   <li>in the inventory namespace a Role for the inventory ConfigMaps and the leader Lease.</li>
 * </ul>
 * The reconciler's own ClusterRole (named {@code name}) never gets escalate or bind on itself, so a commit cannot
 * widen the reconciler's rights.
 */
public final class LeastPrivilege {

    private static final String RBAC = "rbac.authorization.k8s.io";
    private static final List<String> READ = List.of("get", "list");
    private static final List<String> WRITE = List.of("create", "patch", "delete");

    /** @param name the ClusterRole, Roles and bindings' name; {@code account} the identity they are bound to */
    public record Request(String name, ServiceAccountRef account, String inventoryNamespace) {
    }

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

        List<Map<String, Object>> objects = new ArrayList<>();
        Set<String> namespacesToCreate = new TreeSet<>(List.of(request.inventoryNamespace(), request.account().namespace()));
        namespacesToCreate.removeAll(createdNamespaces); // an environment creates it (the self-deploy bundle)
        namespacesToCreate.forEach(n -> objects.add(object("v1", "Namespace", n, null)));
        objects.add(object("v1", "ServiceAccount", request.account().name(), request.account().namespace()));
        Map<String, Object> clusterRole = object(RBAC + "/v1", "ClusterRole", request.name(), null);
        clusterRole.put("rules", rules);
        objects.add(clusterRole);
        objects.add(binding("ClusterRoleBinding", null, "ClusterRole", request));

        Map<String, List<Map<String, Object>>> namespaceRules = new TreeMap<>();
        namespaceWrite.forEach((namespace, byGroup) -> byGroup.forEach((group, resources) ->
                namespaceRules.computeIfAbsent(namespace, n -> new ArrayList<>()).add(rule(group, new ArrayList<>(resources), WRITE, null))));
        List<Map<String, Object>> state = namespaceRules.computeIfAbsent(request.inventoryNamespace(), n -> new ArrayList<>());
        state.add(rule("", List.of("configmaps"), List.of("get", "list", "create", "patch", "delete"), null)); // inventories
        state.add(rule("coordination.k8s.io", List.of("leases"), List.of("get", "create", "patch"), null));    // leader lease
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

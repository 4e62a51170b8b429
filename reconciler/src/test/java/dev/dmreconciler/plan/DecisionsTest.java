package dev.dmreconciler.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.inventory.Inventory;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.RenderedObject;
import dev.dmreconciler.resource.Stamp;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The planner's whole decision table, offline, from YAML fixtures ({@code decisions/desired.yaml},
 * {@code decisions/removed.yaml}): create, update, unchanged, drift, adopt-refused (hand-made, Helm), adopted
 * (per run, per object), handed over, create-once, keep, adopted Namespace, protected kinds, unknown wanted set.
 */
class DecisionsTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final String MANAGER = "dm-reconciler";

    static Stream<Arguments> desiredRows() throws IOException {
        return rows("decisions/desired.yaml");
    }

    static Stream<Arguments> removedRows() throws IOException {
        return rows("decisions/removed.yaml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("desiredRows")
    @SuppressWarnings("unchecked")
    void desired(String name, Map<String, Object> row) {
        Map<String, Object> body = (Map<String, Object>) row.get("desired");
        RenderedObject object = new RenderedObject(ObjectKey.of(body), body, "app", "t.ftl",
                ObjectKey.of(body).namespace().isEmpty() ? null : ObjectKey.of(body).namespace());
        Map<String, Object> stamped = Stamp.stamp(object, "env", "c");

        GenericKubernetesResource ours = switch (String.valueOf(row.get("ours"))) {
            case "desired" -> applied(stamped, (List<String>) row.get("managers"));
            case "stale" -> {
                Map<String, Object> old = Stamp.deepCopy(stamped);
                ((Map<String, Object>) ((Map<String, Object>) old.get("metadata")).get("annotations")).put(Stamp.HASH, "0ld");
                yield applied(old, null);
            }
            default -> null;
        };
        GenericKubernetesResource existing = row.get("existing") == null ? null
                : SERIALIZATION.convertValue(row.get("existing"), GenericKubernetesResource.class);
        Inventory.Entry entry = switch (String.valueOf(row.get("entry"))) {
            case "recorded" -> new Inventory.Entry(String.valueOf(body.get("apiVersion")), "",
                    Stamp.hashOf(stamped), ours == null ? "" : Fingerprint.of(applied(stamped, null), MANAGER));
            case "other-hash" -> new Inventory.Entry(String.valueOf(body.get("apiVersion")), "", "other", "");
            case "pending" -> Inventory.Entry.pending(String.valueOf(body.get("apiVersion")), "", Stamp.hashOf(stamped));
            default -> null;
        };
        boolean adopt = Boolean.TRUE.equals(row.get("adopt"));

        Decisions.Verdict verdict = Decisions.desired(stamped, ours, existing, entry, adopt, MANAGER);
        check((Map<String, Object>) row.get("expect"), verdict);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("removedRows")
    @SuppressWarnings("unchecked")
    void removed(String name, Map<String, Object> row) {
        GenericKubernetesResource live = row.get("live") == null ? null
                : SERIALIZATION.convertValue(row.get("live"), GenericKubernetesResource.class);
        Decisions.Verdict verdict = Decisions.removed(String.valueOf(row.get("kind")), live,
                Boolean.TRUE.equals(row.get("wantedByOthers")), (String) row.get("wantedUnknown"), (String) row.get("refusal"));
        Map<String, Object> expect = (Map<String, Object>) row.get("expect");
        if (expect == null) {
            assertNull(verdict, name);
            return;
        }
        check(expect, verdict);
        if (expect.containsKey("orphaned")) {
            assertEquals(expect.get("orphaned"), Decisions.orphans(verdict.reason()), name + ": orphaned");
        }
    }

    @SuppressWarnings("unchecked")
    /**
     * A create's answer (the plan saw no object of that name): the whole table of {@link Decisions#createdBySomeoneElse}
     * and {@link Decisions#madeBy}. Managers are "name/operation[/subresource][@seconds after the creation]" (no "@":
     * no time); the creation is at {@link #CREATED} unless the row says none. Expected: "us" (null: the create made
     * it), "refused: the managers named" (someone else made it: released) or "unknown: the managers named" (failed,
     * never released).
     */
    static Stream<Arguments> createdRows() {
        return Stream.of(
                Arguments.of("made by the create: only our Apply entry", true, List.of("dm-reconciler/Apply@0"), "us"),
                Arguments.of("no managed fields in the answer: nothing says otherwise", true, List.of(), "us"),
                Arguments.of("our manager name with an Update entry is still ours (no other manager)", true,
                        List.of("dm-reconciler/Update@5", "dm-reconciler/Apply@0"), "us"),
                Arguments.of("a status subresource write (1.22+) does not count, whatever its time", true,
                        List.of("dm-reconciler/Apply@3", "kube-controller-manager/Update/status@0"), "us"),
                Arguments.of("ours from the creation, a controller's write a second later: ours (a retried create)", true,
                        List.of("dm-reconciler/Apply@0", "kube-controller-manager/Update@1"), "us"),
                Arguments.of("our entry timed in the second before the creation (the maker's entry is timed first)", true,
                        List.of("dm-reconciler/Apply@-1", "kube-controller-manager/Update@2"), "us"),
                Arguments.of("someone created it (kubectl create) before our write, a second or more earlier", true,
                        List.of("kubectl-create/Update@0", "dm-reconciler/Apply@1"), "refused: kubectl-create"),
                Arguments.of("someone applied it first (another manager's Apply entry), timed the second before", true,
                        List.of("helm/Apply@-1", "dm-reconciler/Apply@4"), "refused: helm"),
                Arguments.of("several others, one from the creation, named sorted", true,
                        List.of("zeta/Update@0", "dm-reconciler/Apply@2", "alpha/Apply@2"), "refused: alpha, zeta"),
                Arguments.of("an entry without a manager name, from the creation, is someone else's", true,
                        List.of("/Update@0", "dm-reconciler/Apply@1"), "refused: (no manager name)"),
                Arguments.of("both in the creation second: a merge race or an operator at once: cannot tell", true,
                        List.of("kubectl-create/Update@0", "dm-reconciler/Apply@0"), "unknown: kubectl-create"),
                Arguments.of("ours later and no other entry from the creation (the maker's entry gone): cannot tell", true,
                        List.of("dm-reconciler/Apply@2", "kubectl-edit/Update@1"), "unknown: kubectl-edit"),
                Arguments.of("F4: the Deployment controller's revision annotation in the creation second (a retried create, "
                        + "or a second environment's create of the shared object): ours", true,
                        List.of("kube-controller-manager/Update@0", "dm-reconciler/Apply@0"), "us"),
                Arguments.of("F4: the API server's CRD status write in the creation second (1.20, no subresource recorded): "
                        + "ours", true, List.of("dm-reconciler/Apply@0", "kube-apiserver/Update@0"), "us"),
                Arguments.of("the control plane's write does not count, someone else's does: refused", true,
                        List.of("kube-controller-manager/Update@0", "helm/Apply@0", "dm-reconciler/Apply@1"), "refused: helm"),
                Arguments.of("the control plane's write does not count, someone else's in the second: cannot tell", true,
                        List.of("kube-controller-manager/Update@0", "kubectl-create/Update@0", "dm-reconciler/Apply@0"),
                        "unknown: kubectl-create"),
                Arguments.of("the control plane's write without a time does not count either", true,
                        List.of("kube-apiserver/Update", "dm-reconciler/Apply@0"), "us"),
                Arguments.of("no creation time: cannot tell", false,
                        List.of("kubectl-create/Update@0", "dm-reconciler/Apply@1"), "unknown: kubectl-create"),
                Arguments.of("another manager's entry without a time: cannot tell", true,
                        List.of("kubectl-create/Update", "dm-reconciler/Apply@1"), "unknown: kubectl-create"),
                Arguments.of("our entry without a time: cannot tell", true,
                        List.of("kubectl-create/Update@0", "dm-reconciler/Apply"), "unknown: kubectl-create"),
                Arguments.of("no Apply entry of ours (only an Update one): cannot tell", true,
                        List.of("kubectl-create/Update@0", "dm-reconciler/Update@1"), "unknown: kubectl-create"));
    }

    static final java.time.Instant CREATED = java.time.Instant.parse("2026-11-22T01:30:00Z");

    static GenericKubernetesResource answer(boolean created, List<String> managers) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (String manager : managers) {
            String[] timed = manager.split("@", -1);
            String[] parts = timed[0].split("/", -1);
            Map<String, Object> entry = new LinkedHashMap<>();
            if (!parts[0].isEmpty()) {
                entry.put("manager", parts[0]);
            }
            entry.put("operation", parts[1]);
            entry.put("apiVersion", "v1");
            if (parts.length > 2) {
                entry.put("subresource", parts[2]);
            }
            if (timed.length > 1) {
                // as the API server writes it: RFC 3339, to the second
                entry.put("time", CREATED.plusSeconds(Long.parseLong(timed[1])).toString());
            }
            entries.add(entry);
        }
        Map<String, Object> metadata = new LinkedHashMap<>(Map.of("name", "first", "namespace", "dm", "uid", "u-1",
                "managedFields", entries));
        if (created) {
            metadata.put("creationTimestamp", CREATED.toString());
        }
        return SERIALIZATION.convertValue(Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", metadata),
                GenericKubernetesResource.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("createdRows")
    void createdBySomeoneElse(String name, boolean created, List<String> managers, String expected) {
        Decisions.Verdict verdict = Decisions.createdBySomeoneElse(answer(created, managers), MANAGER);
        if (expected.equals("us")) {
            assertNull(verdict, String.valueOf(verdict));
            return;
        }
        String others = expected.substring(expected.indexOf(": ") + 2);
        if (expected.startsWith("refused")) {
            assertEquals(Outcome.REFUSED, verdict.action(), verdict.toString());
            assertEquals(Reason.NOT_OURS, verdict.reason());
            assertTrue(verdict.message().contains("made by someone else since this pass read it (field managers: "
                    + others + ", whose fields date from its creation"), verdict.message());
            return;
        }
        assertEquals(Outcome.FAILED, verdict.action(), verdict.toString());
        assertEquals(Reason.MAKER_UNKNOWN, verdict.reason());
        for (String part : List.of("cannot tell who made it", "(" + others + ")", "uid u-1", "left as it is",
                "check it and use --adopt or remove the marks")) {
            assertTrue(verdict.message().contains(part), "'" + part + "' not in: " + verdict.message());
        }
    }

    /**
     * An object carrying the reconciler's marks with a pending inventory entry (a pass that did not finish):
     * the whole table of {@code Decisions.pendingCreate} through {@link Decisions#desired}.
     */
    static Stream<Arguments> pendingRows() {
        List<String> someoneElse = List.of("kubectl-create/Update@0", "dm-reconciler/Apply@1");
        List<String> sameSecond = List.of("kubectl-create/Update@0", "dm-reconciler/Apply@0");
        return Stream.of(
                Arguments.of("our own object, a controller wrote later: applied again", List.of("dm-reconciler/Apply@0",
                        "kube-controller-manager/Update@1"), "create", false, "configured NOT_IN_INVENTORY"),
                Arguments.of("our own object, no other manager: applied again", List.of("dm-reconciler/Apply@0"),
                        "create named", false, "configured NOT_IN_INVENTORY"),
                Arguments.of("a create met an object made by someone else before our write: refused, released",
                        someoneElse, "create", false, "refused MERGED_CREATE"),
                Arguments.of("the same, the entry names it too: refused, released", someoneElse, "create named", false,
                        "refused MERGED_CREATE"),
                Arguments.of("the same, --adopt: adopted", someoneElse, "create", true, "adopted ADOPTION_REQUESTED"),
                Arguments.of("not recorded for a create (the plan saw it ours; a CRD re-applied after a controller's write "
                        + "in its creation second): applied again", List.of("kube-apiserver/Update@0",
                        "dm-reconciler/Apply@7"), "", false, "configured NOT_IN_INVENTORY"),
                Arguments.of("cannot tell, the entry names the object: failed", sameSecond, "create named", false,
                        "failed MAKER_UNKNOWN"),
                Arguments.of("cannot tell, named, recorded before the create flag existed: failed", sameSecond, "named",
                        false, "failed MAKER_UNKNOWN"),
                Arguments.of("cannot tell, the entry names the object, --adopt: adopted", sameSecond, "create named", true,
                        "adopted ADOPTION_REQUESTED"),
                Arguments.of("our Deployment of a pass killed after its create, the controller in its creation second "
                        + "(the control plane's write is no maker's): applied again", List.of("kube-controller-manager/Update@0",
                        "dm-reconciler/Apply@0"), "create", false, "configured NOT_IN_INVENTORY"),
                Arguments.of("F4: our shared CRD, named by an earlier version's 'cannot tell' (the API server's status "
                        + "write in its creation second): applied again", List.of("kube-apiserver/Update@0",
                        "dm-reconciler/Apply@0"), "create named", false, "configured NOT_IN_INVENTORY"),
                Arguments.of("F1 residual: a merge into someone's object in its creation second, the pass stopped before the "
                        + "UID was recorded: failed, not taken over", sameSecond, "create", false, "failed MAKER_UNKNOWN"),
                Arguments.of("the same, --adopt: adopted", sameSecond, "create", true, "adopted ADOPTION_REQUESTED"),
                Arguments.of("F4: its maker added a field later (their entry's time moved past the creation), named: still "
                        + "failed", List.of("kubectl-create/Update@3", "dm-reconciler/Apply@0"), "create named", false,
                        "failed MAKER_UNKNOWN"),
                Arguments.of("the same, the pass stopped before the UID was recorded: still failed",
                        List.of("kubectl-create/Update@3", "dm-reconciler/Apply@0"), "create", false, "failed MAKER_UNKNOWN"),
                Arguments.of("F4 heals: its maker's fields are gone (their entry went), named: ours by managed fields alone, "
                        + "applied again", List.of("dm-reconciler/Apply@0"), "create named", false,
                        "configured NOT_IN_INVENTORY"),
                Arguments.of("F4 heals: only the control plane's entry left besides ours, named: applied again",
                        List.of("kube-controller-manager/Update@2", "dm-reconciler/Apply@0"), "create named", false,
                        "configured NOT_IN_INVENTORY"),
                Arguments.of("a person edited our fresh object of a killed pass before the next one (a later entry): cannot "
                        + "tell (the price of never taking over someone's object whose maker edited it)",
                        List.of("dm-reconciler/Apply@0", "kubectl-label/Update@5"), "create", false, "failed MAKER_UNKNOWN"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pendingRows")
    void pendingEntryOfAMarkedObject(String name, List<String> managers, String marks, boolean adopt, String expected) {
        Map<String, Object> body = Map.of("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Map.of("name", "first", "namespace", "dm"), "data", Map.of("c", "d"));
        Map<String, Object> stamped = Stamp.stamp(new RenderedObject(ObjectKey.of(body), body, "shop", "t.ftl", "dm"),
                "test", "c1");
        GenericKubernetesResource live = answer(true, managers);
        @SuppressWarnings("unchecked")
        Map<String, String> labels = (Map<String, String>) ((Map<String, Object>) stamped.get("metadata")).get("labels");
        @SuppressWarnings("unchecked")
        Map<String, String> annotations = (Map<String, String>) ((Map<String, Object>) stamped.get("metadata")).get("annotations");
        live.getMetadata().setLabels(labels);
        live.getMetadata().setAnnotations(annotations);
        Map<String, String> extra = new LinkedHashMap<>();
        if (marks.contains("create")) {
            extra.put(Inventory.CREATE, "true");
        }
        if (marks.contains("named")) {
            extra.put(Inventory.MERGED_INTO, "u-1");
        }
        Inventory.Entry entry = new Inventory.Entry("v1", "dm", Stamp.hashOf(stamped), "", true, extra);
        Decisions.Verdict verdict = Decisions.desired(stamped, live, null, entry, adopt, MANAGER);
        assertEquals(expected, verdict.action().word() + " " + verdict.reason().name(), verdict.toString());
        if (verdict.reason() == Reason.MAKER_UNKNOWN) {
            assertTrue(verdict.message().contains("cannot tell who made it") && verdict.message().contains("uid u-1"),
                    verdict.message());
        }
    }

    /**
     * An inventory object no longer rendered whose entry is pending for a create: the whole table of
     * {@link Decisions#pendingRemoval} (review S11-F13: someone else's object a create left our marks on was pruned).
     */
    static Stream<Arguments> pendingRemovalRows() {
        List<String> someoneElse = List.of("kubectl-create/Update@0", "dm-reconciler/Apply@1");
        List<String> sameSecond = List.of("kubectl-create/Update@0", "dm-reconciler/Apply@0");
        return Stream.of(
                Arguments.of("made by someone else, pending create: kept, released", someoneElse, "create", true,
                        "kept MERGED_CREATE"),
                Arguments.of("made by someone else, the entry names it: kept, released", someoneElse, "named", true,
                        "kept MERGED_CREATE"),
                Arguments.of("cannot tell, named: kept for a person", sameSecond, "create named", true, "kept MAKER_UNKNOWN"),
                Arguments.of("cannot tell, pending create (pass stopped before the UID was saved): kept", sameSecond,
                        "create", true, "kept MAKER_UNKNOWN"),
                Arguments.of("their entry later than the creation (they added a field): kept", List.of(
                        "kubectl-create/Update@4", "dm-reconciler/Apply@0"), "create named", true, "kept MAKER_UNKNOWN"),
                Arguments.of("our own object of a killed pass, only the control plane wrote: pruned as any", List.of(
                        "kube-controller-manager/Update@0", "dm-reconciler/Apply@0"), "create", true, "removed"),
                Arguments.of("no other manager (their fields gone): pruned as any", List.of("dm-reconciler/Apply@0"),
                        "create named", true, "removed"),
                Arguments.of("a settled entry: pruned as any (the object was the reconciler's when recorded)", sameSecond,
                        "create named", false, "removed"),
                Arguments.of("pending, not for a create (the plan saw it ours): pruned as any", sameSecond, "", true,
                        "removed"),
                Arguments.of("named, but another object of that name now (deleted, made again): pruned as any, by its own "
                        + "marks and the UID-bound delete", sameSecond, "other", true, "removed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pendingRemovalRows")
    void pendingRemoval(String name, List<String> managers, String marks, boolean pending, String expected) {
        GenericKubernetesResource live = answer(true, managers);
        Map<String, String> extra = new LinkedHashMap<>();
        if (marks.contains("create")) {
            extra.put(Inventory.CREATE, "true");
        }
        if (marks.contains("named")) {
            extra.put(Inventory.MERGED_INTO, "u-1");
        }
        if (marks.contains("other")) {
            extra.put(Inventory.MERGED_INTO, "u-0");
        }
        Inventory.Entry entry = new Inventory.Entry("v1", "dm", "h", "", pending, extra);
        Decisions.Verdict verdict = Decisions.pendingRemoval(live, entry, MANAGER);
        if (expected.equals("removed")) {
            assertNull(verdict, String.valueOf(verdict));
            return;
        }
        assertEquals(expected, verdict.action().word() + " " + verdict.reason().name(), verdict.toString());
        assertTrue(verdict.message().startsWith("not deleted: "), verdict.message());
        assertTrue(verdict.message().contains("kubectl-create"), verdict.message());
    }

    /**
     * {@link ControlPlane#touch}: the control plane's write to an object it does not make is no maker's; on an
     * object it makes (while a cluster runs, or at its bootstrap) it counts as anyone's.
     */
    static Stream<Arguments> controlPlaneRows() {
        return Stream.of(
                Arguments.of("the Deployment controller on a Deployment", "Deployment", "jupyter-operator", false,
                        "kube-controller-manager", true),
                Arguments.of("the API server on a CRD (its status, 1.20)", "CustomResourceDefinition", "widgets.example.com",
                        false, "kube-apiserver", true),
                Arguments.of("the token controller on an operator's ServiceAccount", "ServiceAccount", "jupyter-operator",
                        false, "kube-controller-manager", true),
                Arguments.of("the scheduler", "ConfigMap", "first", false, "kube-scheduler", true),
                Arguments.of("anyone else is no control plane", "Deployment", "web", false, "kubectl-create", false),
                Arguments.of("another distribution's controller counts as anyone else", "Deployment", "web", false,
                        "k3s", false),
                Arguments.of("a namespace's default ServiceAccount is the controller manager's", "ServiceAccount", "default",
                        false, "kube-controller-manager", false),
                Arguments.of("a namespace's kube-root-ca.crt is the controller manager's", "ConfigMap", "kube-root-ca.crt",
                        false, "kube-controller-manager", false),
                Arguments.of("a controller's child (owner reference) is the controller's", "Job", "backup-28391", true,
                        "kube-controller-manager", false),
                Arguments.of("token Secrets are the controller manager's", "Secret", "pull-secret", false,
                        "kube-controller-manager", false),
                Arguments.of("a Service's Endpoints are the controller manager's", "Endpoints", "web", false,
                        "kube-controller-manager", false),
                Arguments.of("bootstrap objects: kube-*", "Namespace", "kube-public", false, "kube-apiserver", false),
                Arguments.of("bootstrap objects: system:*", "ClusterRole", "system:aggregate-to-edit", false,
                        "kube-apiserver", false),
                Arguments.of("bootstrap objects: the kubernetes Service", "Service", "kubernetes", false, "kube-apiserver",
                        false),
                Arguments.of("anything in a kube-* namespace (extension-apiserver-authentication)", "ConfigMap",
                        "kube-system/extension-apiserver-authentication", false, "kube-apiserver", false),
                Arguments.of("a StatefulSet's claim has no owner reference but is its controller's (review S11B-F2)",
                        "PersistentVolumeClaim", "dm/data-db-0", false, "kube-controller-manager", false),
                Arguments.of("the API server's PriorityClasses", "PriorityClass", "system-node-critical", false,
                        "kube-apiserver", false),
                Arguments.of("the API server's bootstrap roles", "ClusterRole", "edit", false, "kube-apiserver", false),
                Arguments.of("a role of that name elsewhere is a ClusterRole only", "Role", "dm/edit", false,
                        "kube-controller-manager", true),
                Arguments.of("a person's kube-* namespace is not the control plane's (review S11B-F3)", "Deployment",
                        "kube-monitoring/jupyter-operator", false, "kube-controller-manager", true),
                Arguments.of("the same name elsewhere is no bootstrap object", "ConfigMap",
                        "dm/extension-apiserver-authentication", false, "kube-apiserver", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("controlPlaneRows")
    void controlPlaneTouch(String name, String kind, String objectName, boolean owned, String manager, boolean touch) {
        Map<String, Object> metadata = new LinkedHashMap<>(Map.of("uid", "u-1"));
        String[] named = objectName.split("/", 2); // "namespace/name" or a cluster-scoped "name"
        metadata.put("name", named[named.length - 1]);
        if (named.length == 2) {
            metadata.put("namespace", named[0]);
        }
        if (owned) {
            metadata.put("ownerReferences", List.of(Map.of("apiVersion", "batch/v1", "kind", "CronJob", "name", "backup",
                    "uid", "u-0", "controller", true)));
        }
        GenericKubernetesResource object = SERIALIZATION.convertValue(Map.of("apiVersion", "v1", "kind", kind,
                "metadata", metadata), GenericKubernetesResource.class);
        io.fabric8.kubernetes.api.model.ManagedFieldsEntry entry = new io.fabric8.kubernetes.api.model.ManagedFieldsEntry();
        entry.setManager(manager);
        entry.setOperation("Update");
        assertEquals(touch, ControlPlane.touch(object, entry), name);
    }

    private static void check(Map<String, Object> expect, Decisions.Verdict verdict) {
        assertEquals(expect.get("action"), verdict.action().word(), verdict.toString());
        assertEquals(expect.get("reason"), verdict.reason().name(), verdict.toString());
        for (String part : (List<String>) expect.getOrDefault("message", List.of())) {
            assertTrue(verdict.message().contains(part), "message '" + verdict.message() + "' lacks '" + part + "'");
        }
    }

    /** The stamped object as the API server has it after our apply: our managed fields, plus others' if given. */
    @SuppressWarnings("unchecked")
    private static GenericKubernetesResource applied(Map<String, Object> stamped, List<String> otherManagers) {
        Map<String, Object> copy = Stamp.deepCopy(stamped);
        List<Map<String, Object>> managed = new ArrayList<>();
        managed.add(Map.of("manager", MANAGER, "operation", "Apply", "apiVersion", "v1",
                "fieldsType", "FieldsV1", "fieldsV1", Map.of("f:data", Map.of())));
        if (otherManagers != null) {
            otherManagers.forEach(m -> managed.add(Map.of("manager", m, "operation", "Update", "apiVersion", "v1")));
            // the other manager took a field: ours shrinks, so the recorded fingerprint no longer matches
            managed.set(0, Map.of("manager", MANAGER, "operation", "Apply", "apiVersion", "v1",
                    "fieldsType", "FieldsV1", "fieldsV1", Map.of()));
        }
        ((Map<String, Object>) copy.get("metadata")).put("managedFields", managed);
        return SERIALIZATION.convertValue(copy, GenericKubernetesResource.class);
    }

    @SuppressWarnings("unchecked")
    private static Stream<Arguments> rows(String resource) throws IOException {
        try (InputStream in = DecisionsTest.class.getClassLoader().getResourceAsStream(resource)) {
            List<Map<String, Object>> rows = new Yaml().load(in);
            return rows.stream().map(r -> Arguments.of(r.get("case"), new LinkedHashMap<>(r)));
        }
    }
}

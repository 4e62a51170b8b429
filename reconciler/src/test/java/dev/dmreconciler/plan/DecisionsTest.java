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
     * A create's answer (the plan saw no object of that name): the whole table of {@link Decisions#createdBySomeoneElse}.
     * Managers are "name/operation[/subresource]"; expected: null (the create made it) or the managers named.
     */
    static Stream<Arguments> createdRows() {
        return Stream.of(
                Arguments.of("made by the create: only our Apply entry", List.of("dm-reconciler/Apply"), null),
                Arguments.of("no managed fields in the answer: nothing says otherwise", List.of(), null),
                Arguments.of("someone created it (kubectl create, an Update entry)",
                        List.of("kubectl-create/Update", "dm-reconciler/Apply"), "kubectl-create"),
                Arguments.of("someone applied it first (another manager's Apply entry)",
                        List.of("helm/Apply", "dm-reconciler/Apply"), "helm"),
                Arguments.of("several others, named sorted",
                        List.of("zeta/Update", "dm-reconciler/Apply", "alpha/Apply"), "alpha, zeta"),
                Arguments.of("our manager name with an Update entry is still ours (no other manager)",
                        List.of("dm-reconciler/Update", "dm-reconciler/Apply"), null),
                Arguments.of("a controller's status subresource write (a retried create) does not count",
                        List.of("dm-reconciler/Apply", "kube-controller-manager/Update/status"), null),
                Arguments.of("an entry without a manager name is someone else's",
                        List.of("/Update", "dm-reconciler/Apply"), "(no manager name)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("createdRows")
    void createdBySomeoneElse(String name, List<String> managers, String others) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (String manager : managers) {
            String[] parts = manager.split("/", -1);
            Map<String, Object> entry = new LinkedHashMap<>();
            if (!parts[0].isEmpty()) {
                entry.put("manager", parts[0]);
            }
            entry.put("operation", parts[1]);
            entry.put("apiVersion", "v1");
            if (parts.length > 2) {
                entry.put("subresource", parts[2]);
            }
            entries.add(entry);
        }
        GenericKubernetesResource answer = SERIALIZATION.convertValue(Map.of("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Map.of("name", "first", "namespace", "dm", "uid", "u-1", "managedFields", entries)),
                GenericKubernetesResource.class);

        Decisions.Verdict verdict = Decisions.createdBySomeoneElse(answer, MANAGER);
        if (others == null) {
            assertNull(verdict, String.valueOf(verdict));
            return;
        }
        assertEquals(Outcome.REFUSED, verdict.action());
        assertEquals(Reason.NOT_OURS, verdict.reason());
        assertTrue(verdict.message().contains("made by someone else since this pass read it (field managers: " + others + ")"),
                verdict.message());
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

package dev.dmreconciler.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dmreconciler.params.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyFileTest {

    private static PolicyFile parse(String yaml) {
        return PolicyFile.parse("policy/prod.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anEnvironmentEntryReplacesTheDefaultsKeyByKey() {
        PolicyFile file = parse("""
                defaults:
                  namespaces: [data-manager-*]
                  allow: [bind]
                  pruneBudget: {maxObjects: 3}
                  serviceAccount: {namespace: dm-reconciler, name: deployer}
                environments:
                  ops: {allow: [escalate, bind], clusterScoped: false}
                """);
        Rules ops = file.rulesFor("ops");
        assertEquals(List.of("data-manager-*"), ops.namespaces());
        assertEquals(Set.of("escalate", "bind"), ops.allow());
        assertEquals(List.of(), ops.clusterScoped());
        assertEquals(new PruneBudget(3, 25), ops.pruneBudget());
        assertEquals("system:serviceaccount:dm-reconciler:deployer", ops.serviceAccount().username());
        Rules other = file.rulesFor("other");
        assertEquals(Set.of("bind"), other.allow());
        assertNull(other.clusterScoped());
        assertEquals("policy/prod.yaml", other.source());
    }

    @Test
    void everyMistakeIsReportedWithFileAndKey() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse("""
                defaults:
                  namespace: [x]
                  allow: [escalation]
                  pruneBudget: {maxObjects: ten}
                environments:
                  a: {serviceAccount: {name: x}}
                  b: {kinds: Deployment}
                other: 1
                """));
        assertEquals(List.of(
                "error: policy/prod.yaml: other: unknown key (expected defaults, environments)",
                "error: policy/prod.yaml: defaults.namespace: unknown key (expected one of allow, clusterScoped, kinds, namespaces, pruneBudget, serviceAccount)",
                "error: policy/prod.yaml: defaults.allow: unknown rule 'escalation' (rules: protected-namespace, namespace, kind, cluster-scoped, cluster-admin-binding, all-resources, wildcard, escalate, bind, impersonate)",
                "error: policy/prod.yaml: defaults.pruneBudget: expected {maxObjects: INTEGER, maxPercent: INTEGER}",
                "error: policy/prod.yaml: environments.a.serviceAccount: expected {namespace: NAMESPACE, name: NAME}",
                "error: policy/prod.yaml: environments.b.kinds: expected a list of names"),
                e.problems().all().stream().map(Object::toString).toList());
    }

    @Test
    void emptyFileMeansStrictRulesWithNoLimits() {
        Rules rules = parse("").rulesFor("x");
        assertEquals(true, rules.fromFile());
        assertEquals(true, rules.enforces(Rule.ESCALATE));
        assertEquals(false, Rules.DEFAULTS.enforces(Rule.ESCALATE));
        assertNull(rules.namespaces());
    }
}

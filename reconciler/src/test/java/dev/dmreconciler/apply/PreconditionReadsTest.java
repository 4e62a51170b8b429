package dev.dmreconciler.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dmreconciler.apply.PreconditionReads.Batch;
import dev.dmreconciler.apply.PreconditionReads.Wanted;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The whole table of which precondition objects are read by one LIST and which by a GET each. */
class PreconditionReadsTest {

    private static Wanted namespace(String name) {
        return new Wanted("v1", "Namespace", false, "", name);
    }

    private static Wanted serviceAccount(String namespace, String name) {
        return new Wanted("v1", "ServiceAccount", true, namespace, name);
    }

    private static List<Wanted> namespaces(int n) {
        List<Wanted> wanted = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            wanted.add(namespace("dm-" + i));
        }
        return wanted;
    }

    @Test
    void fewObjectsOfAKindAreReadByGet() {
        assertEquals(List.of(), PreconditionReads.plan(namespaces(PreconditionReads.GETS_BEFORE_LIST)));
        assertEquals(List.of(), PreconditionReads.plan(List.of()));
    }

    @Test
    void manyOfAClusterScopedKindAreOneListOfTheKind() {
        List<Wanted> wanted = namespaces(PreconditionReads.GETS_BEFORE_LIST + 1);
        assertEquals(List.of(new Batch("v1", "Namespace", null, null, Set.copyOf(wanted))), PreconditionReads.plan(wanted));
    }

    @Test
    void duplicatesCountOnce() {
        List<Wanted> wanted = new ArrayList<>(namespaces(PreconditionReads.GETS_BEFORE_LIST));
        wanted.addAll(namespaces(PreconditionReads.GETS_BEFORE_LIST));
        assertEquals(List.of(), PreconditionReads.plan(wanted));
    }

    @Test
    void oneNameInManyNamespacesIsOneListAcrossNamespacesByFieldSelector() {
        List<Wanted> accounts = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            accounts.add(serviceAccount("dm-" + i, "data-manager"));
        }
        List<Wanted> wanted = new ArrayList<>(accounts);
        wanted.add(serviceAccount("dm-1", "other")); // left to a GET
        wanted.addAll(namespaces(3000));
        List<Batch> batches = PreconditionReads.plan(wanted);
        assertEquals(2, batches.size(), batches.toString());
        assertEquals(new Batch("v1", "ServiceAccount", null, "data-manager", Set.copyOf(accounts)), batches.get(0));
        assertEquals(new Batch("v1", "Namespace", null, null, Set.copyOf(namespaces(3000))), batches.get(1));
    }

    @Test
    void manyNamesInOneNamespaceAreOneListOfThatNamespace() {
        List<Wanted> inOne = new ArrayList<>();
        for (int i = 0; i <= PreconditionReads.GETS_BEFORE_LIST; i++) {
            inOne.add(serviceAccount("team", "sa-" + i));
        }
        List<Wanted> few = new ArrayList<>();
        for (int i = 0; i < PreconditionReads.GETS_BEFORE_LIST; i++) {
            few.add(serviceAccount("other-team", "sa-" + i)); // 16: GETs
        }
        List<Wanted> wanted = new ArrayList<>(inOne);
        wanted.addAll(few);
        assertEquals(List.of(new Batch("v1", "ServiceAccount", "team", null, Set.copyOf(inOne))), PreconditionReads.plan(wanted));
    }

    @Test
    void aNameListedAcrossNamespacesIsNotListedAgainPerNamespace() {
        List<Wanted> named = new ArrayList<>();
        List<Wanted> wanted = new ArrayList<>();
        for (int i = 0; i <= PreconditionReads.GETS_BEFORE_LIST; i++) {
            named.add(serviceAccount("team", "sa-" + i));
            named.add(serviceAccount("ns-" + i, "sa-0"));
        }
        wanted.addAll(named);
        List<Batch> batches = PreconditionReads.plan(wanted);
        // sa-0 is in 18 namespaces: one LIST by name; the 16 other names left in "team" are GETs
        assertEquals(1, batches.size(), batches.toString());
        assertEquals("sa-0", batches.get(0).name());
        assertEquals(PreconditionReads.GETS_BEFORE_LIST + 2, batches.get(0).covers().size());
    }

    @Test
    void secretsAreNeverListed() {
        List<Wanted> secrets = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            secrets.add(new Wanted("v1", "Secret", true, "dm-" + i, "credentials"));
            secrets.add(new Wanted("v1", "Secret", true, "team", "s-" + i));
        }
        assertEquals(List.of(), PreconditionReads.plan(secrets));
    }

    @Test
    void kindsOfOtherGroupsAreBatchedByTheirOwnType() {
        List<Wanted> wanted = new ArrayList<>();
        for (int i = 0; i <= PreconditionReads.GETS_BEFORE_LIST; i++) {
            wanted.add(new Wanted("example.com/v1", "Gate", true, "dm-" + i, "gate"));
            wanted.add(new Wanted("example.com/v2", "Gate", true, "dm-" + i, "gate"));
        }
        List<Batch> batches = PreconditionReads.plan(wanted);
        assertEquals(2, batches.size());
        assertEquals(List.of("example.com/v1", "example.com/v2"), batches.stream().map(Batch::apiVersion).toList());
    }
}

package dev.dmreconciler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dmreconciler.params.Environment;
import dev.dmreconciler.plan.Wanted;
import dev.dmreconciler.policy.Rules;
import dev.dmreconciler.render.DesiredState;
import dev.dmreconciler.resource.ObjectKey;
import dev.dmreconciler.resource.RenderedObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * The whole table of what a pass takes from the other environments at the head, offline: each environment of the
 * subject's cluster either renders at the head, or fails and has a last good revision, or fails without one (loading
 * or not); one of another cluster never counts.
 */
class ClusterAtHeadTest {

    private static final ObjectId HEAD = ObjectId.fromString("0123456789abcdef0123456789abcdef01234567");
    private static final ObjectId OLD = ObjectId.fromString("89abcdef0123456789abcdef0123456789abcdef");

    private static Environment form(String name, String marker) {
        return new Environment(name, "environments/" + name + ".yaml#" + marker, "c", Environment.Form.NATIVE, List.of());
    }

    private static ObjectKey key(String name) {
        return new ObjectKey("", "ConfigMap", "ns-" + name, "cm");
    }

    private static Controller.Rendered rendered(String name, ObjectId revision, String marker) {
        DesiredState desired = new DesiredState(form(name, marker), List.of(new RenderedObject(key(name), Map.of(), "app",
                "t.ftl", null)), List.of());
        return new Controller.Rendered(revision, HEAD, desired, Rules.DEFAULTS, false);
    }

    private final Map<String, AtomicInteger> renders = new ConcurrentHashMap<>();

    /** a (the subject) and b render at the head; x, y, z do not; o is on another cluster; z does not even load. */
    private ClusterAtHead cluster(Set<String> failing) {
        Map<String, String> clusters = Map.of("a", "c", "b", "c", "x", "c", "y", "c", "z", "c", "o", "other");
        Map<String, Environment> loaded = Map.of("a", form("a", "loaded"), "b", form("b", "loaded"),
                "x", form("x", "loaded"), "y", form("y", "loaded"), "o", form("o", "loaded"));
        return new ClusterAtHead(HEAD, (revision, head, environment, inForce) -> {
            renders.computeIfAbsent(environment, e -> new AtomicInteger()).incrementAndGet();
            assertNull(inForce, "the probe renders with the head's own files");
            if (failing.contains(environment)) {
                throw new IllegalArgumentException(environment + " does not render");
            }
            return rendered(environment, revision, "head");
        }, clusters, loaded);
    }

    @Test
    void aResyncForgetsOnlyWhatFailed() {
        Set<String> failing = ConcurrentHashMap.newKeySet();
        failing.addAll(Set.of("x", "y", "z"));
        ClusterAtHead cluster = cluster(failing);
        assertThrows(IllegalArgumentException.class, () -> cluster.probe("x"));
        assertTrue(cluster.wantedElsewhere("a", "c").incomplete() != null);
        assertThrows(IllegalArgumentException.class, () -> cluster.probe("x"), "a failure is shared by the passes of the head");
        assertEquals(1, renders.get("x").get());

        long before = cluster.epoch();
        assertTrue(cluster.forgetFailures(), "the failures are forgotten");
        assertTrue(cluster.epoch() != before, "renders kept from before are made again");
        assertThrows(IllegalArgumentException.class, () -> cluster.probe("x"), "still failing");
        cluster.wantedElsewhere("a", "c");
        assertEquals(1, renders.get("b").get(), "while they keep failing, what rendered is not rendered again");

        failing.clear(); // the vault password put right, no new commit
        assertTrue(cluster.forgetFailures());
        assertEquals("head", marker(cluster.probe("x").desired().environment()));
        assertNull(cluster.wantedElsewhere("a", "c").incomplete(), "the incomplete set is computed again");
        assertEquals(3, renders.get("x").get());
        int b = renders.get("b").get();
        assertTrue(b >= 2 && b <= 4, "b was made while x, y, z did not load: made again, at most once per environment "
                + "that renders again: " + b);
        cluster.probe("b");
        cluster.wantedElsewhere("a", "c");
        long settled = cluster.epoch();
        int rendersOfB = renders.get("b").get();
        assertFalse(cluster.forgetFailures(), "nothing failed since");
        cluster.probe("b");
        cluster.wantedElsewhere("a", "c");
        assertEquals(settled, cluster.epoch(), "nothing changed: renders are kept");
        assertEquals(rendersOfB, renders.get("b").get());
    }

    /**
     * The second half of the CRD flap: b's probe at the head was made while x did not load (a wrong vault password),
     * so with the head's files without x, and its CRD's namespace list lacks x's namespaces. When x renders again at a
     * resync, b's probe is made again (and the view's epoch changes, so the controller drops the renders it kept):
     * otherwise b's passes write the list without x and x's with it, on every resync.
     */
    @Test
    void anEnvironmentThatRendersAgainDropsWhatTheOthersRenderedWithoutIt() {
        Set<String> failing = ConcurrentHashMap.newKeySet();
        failing.add("x");
        ClusterAtHead cluster = cluster(failing);
        cluster.probe("b");
        assertThrows(IllegalArgumentException.class, () -> cluster.probe("x"));
        assertFalse(cluster.othersRender("b", "c"));
        assertEquals(1, renders.get("b").get());

        failing.clear();
        assertTrue(cluster.forgetFailures());
        long epoch = cluster.epoch();
        assertTrue(cluster.othersRender("b", "c"), "x renders now");
        assertTrue(cluster.epoch() != epoch, "x rendered again: the view changed");
        cluster.probe("b");
        assertEquals(2, renders.get("b").get(), "b's probe made without x is made again, once");
        cluster.probe("b");
        cluster.othersRender("a", "c");
        assertEquals(2, renders.get("b").get());
        assertEquals(2, renders.get("x").get());
    }

    @Test
    void everyOtherEnvironmentRenders() {
        ClusterAtHead cluster = cluster(Set.of("z"));
        ClusterAtHead clean = new ClusterAtHead(HEAD, (r, h, e, f) -> rendered(e, r, "head"), Map.of("a", "c", "b", "c", "o", "other"),
                Map.of());
        assertTrue(clean.othersRender("a", "c"), "o is on another cluster and does not count");
        Wanted wanted = clean.wantedElsewhere("a", "c");
        assertNull(wanted.incomplete());
        assertEquals(Set.of(key("b")), wanted.keys(), "b's objects; not a's own, not o's");
        assertEquals("head", marker(clean.inForce("a", "c", Map.of()).get("b")));
        assertFalse(cluster.othersRender("a", "c"));
    }

    @Test
    void theFormInForceOfEachOtherEnvironment() {
        ClusterAtHead cluster = cluster(Set.of("x", "y", "z"));
        Map<String, Controller.Rendered> lastGood = Map.of("x", rendered("x", OLD, "last-good"));
        Map<String, Environment> inForce = cluster.inForce("a", "c", lastGood);
        assertEquals(Set.of("b", "x", "y"), inForce.keySet(), "z neither renders, loads nor has a last good form; o is elsewhere");
        assertEquals("head", marker(inForce.get("b")), "renders at the head: its head form");
        assertEquals("last-good", marker(inForce.get("x")), "fails, with a last good revision: that one's form, not its head file");
        assertEquals("loaded", marker(inForce.get("y")), "fails, no last good revision (since a restart): its head file as loaded");
    }

    @Test
    void oneOtherEnvironmentThatDoesNotRenderMakesWhatIsWantedUnknown() {
        ClusterAtHead cluster = cluster(Set.of("x", "z"));
        Wanted wanted = cluster.wantedElsewhere("a", "c");
        assertEquals("environments of cluster c do not render at revision 0123456789ab: x, z",
                wanted.incomplete().substring(0, wanted.incomplete().indexOf(" (")));
        assertTrue(wanted.incomplete().endsWith("(what they want is unknown; pruned once they render)"), wanted.incomplete());
        assertTrue(wanted.keys().containsAll(Set.of(key("b"), key("y"))));
    }

    @Test
    void eachEnvironmentRendersOncePerHeadWhoeverAsksAndFailuresAreRethrown() throws Exception {
        ClusterAtHead cluster = cluster(Set.of("x"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> asks = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String subject = i % 2 == 0 ? "a" : "b";
                asks.add(pool.submit(() -> cluster.othersRender(subject, "c")));
            }
            for (Future<Boolean> ask : asks) {
                assertFalse(ask.get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        cluster.wantedElsewhere("a", "c");
        cluster.inForce("a", "c", Map.of());
        renders.forEach((environment, count) -> assertEquals(1, count.get(), environment + " rendered once"));
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, () -> cluster.probe("x"));
        assertEquals("x does not render", failure.getMessage());
        assertEquals(1, renders.get("x").get(), "a failure is remembered for the head too");
    }

    private static String marker(Environment environment) {
        return environment.file().substring(environment.file().indexOf('#') + 1);
    }

    /**
     * Head A (a rendered while x fails, then x forgotten), head B, head A again (a force-push, a reset): the controller
     * keeps a's render with the epoch it was made at and the head; the new view of A must not start at that epoch, or
     * a's render made without x would be served again.
     */
    @Test
    void aViewMadeAgainForAHeadSeenBeforeNeverRepeatsAnEpoch() {
        Set<String> failing = ConcurrentHashMap.newKeySet();
        failing.add("x");
        ClusterAtHead first = cluster(failing);
        long renderedAt = first.epoch(); // a rendered now, without x
        assertThrows(IllegalArgumentException.class, () -> first.probe("x"));
        assertTrue(first.forgetFailures());
        long forgotAt = first.epoch();
        Set<Long> seen = Set.of(renderedAt, forgotAt);
        cluster(Set.of()); // head B's view (another head; the same counter)
        ClusterAtHead again = cluster(Set.of()); // head A again
        long starts = again.epoch();
        assertFalse(seen.contains(starts), "epochs of the earlier view of this head " + seen + ", the new one "
                + starts + ": a render kept from before would be served again");
    }
}

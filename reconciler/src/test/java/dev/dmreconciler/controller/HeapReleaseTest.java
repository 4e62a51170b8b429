package dev.dmreconciler.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** When run collects between passes: the whole table of {@link HeapRelease}. */
class HeapReleaseTest {

    private static final long MB = 1024 * 1024;

    private static MemoryUsage usage(long usedMb, long committedMb) {
        return new MemoryUsage(0, usedMb * MB, committedMb * MB, 6000 * MB);
    }

    /** After the last full collection: 70 MB used of 100 committed (30 MB of room). */
    private static HeapRelease.OldGeneration now(long usedMb, long committedMb) {
        return new HeapRelease.OldGeneration(usage(usedMb, committedMb), usage(70, 100));
    }

    @Test
    void theOldGenerationIsFillingWhenHalfItsRoomIsTakenOrItGrew() {
        assertFalse(HeapRelease.filling(now(70, 100)), "as the collection left it");
        assertFalse(HeapRelease.filling(now(85, 100)), "half the room taken: not more than half");
        assertTrue(HeapRelease.filling(now(86, 100)), "more than half the room taken");
        assertTrue(HeapRelease.filling(now(80, 110)), "it grew");
        assertFalse(HeapRelease.filling(now(60, 100)), "less than then (a young collection cannot shrink it, but be safe)");
        assertFalse(HeapRelease.filling(null), "a JVM that does not tell");
        assertFalse(HeapRelease.filling(new HeapRelease.OldGeneration(usage(80, 100), null)), "never collected");
        assertFalse(HeapRelease.filling(new HeapRelease.OldGeneration(usage(80, 100), usage(0, 0))), "never collected");
    }

    @Test
    void collectsAtTheEndOfAWaveWhenDueOrFillingAndOnlyOncePerDue() {
        AtomicReference<HeapRelease.OldGeneration> old = new AtomicReference<>(now(70, 100));
        AtomicInteger collections = new AtomicInteger();
        HeapRelease release = new HeapRelease(old::get, collections::incrementAndGet);
        assertFalse(release.atIdle(), "an unchanged resync's wave: nothing");
        release.due(); // a pass rendered a new commit
        release.due(); // and another environment's pass too: one collection for the wave
        assertTrue(release.atIdle());
        assertFalse(release.atIdle(), "done");
        old.set(now(90, 100)); // resyncs promoted their garbage
        assertTrue(release.atIdle());
        assertEquals(2, collections.get());
    }

    @Test
    void findsThisJvmsOldGeneration() {
        HeapRelease release = HeapRelease.ofThisJvm(); // whatever collector the tests run with: it must not throw
        release.due();
        assertTrue(release.atIdle());
    }
}

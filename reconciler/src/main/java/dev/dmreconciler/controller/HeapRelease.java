package dev.dmreconciler.controller;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * When {@code run} gives heap back to the system: a full collection once a wave of passes is over (no pass running
 * or waiting), if a pass of the wave rendered anew or wrote many objects ({@link #due}), or if the old generation
 * has filled half of the room it had after the last full collection. Why: the run launcher's serial collector
 * shrinks the heap only at a full collection (to at most {@code MaxHeapFreeRatio} free), and every pass promotes
 * some of its short-lived garbage (a pass of 9,000 objects outlives a young collection), so without this the old
 * generation fills, grows, and stays grown; the collection it would eventually need comes in the middle of a pass.
 * Here it comes between passes, when only what the process keeps is alive, so the heap is sized to that. Costs one
 * pause of ~0.1–0.3 s at 3,000 namespaces per such wave.
 */
final class HeapRelease {

    /** The old generation now, and as the last collection of it left it; null when the JVM does not tell. */
    record OldGeneration(MemoryUsage now, MemoryUsage afterLastCollection) {
    }

    private final AtomicBoolean due = new AtomicBoolean();
    private final Supplier<OldGeneration> oldGeneration;
    private final Runnable collect;

    HeapRelease(Supplier<OldGeneration> oldGeneration, Runnable collect) {
        this.oldGeneration = oldGeneration;
        this.collect = collect;
    }

    /**
     * The serial collector's old generation ("Tenured Gen", the run launcher's collector) and {@link System#gc}. With
     * another collector (RECONCILER_JAVA_OPTS, tests) only {@link #due} collects: G1's old generation is collected
     * by mixed collections that this check would not see, and it would ask for a full collection after every wave.
     */
    static HeapRelease ofThisJvm() {
        MemoryPoolMXBean old = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null)
                .filter(pool -> pool.getName().equals("Tenured Gen"))
                .findFirst().orElse(null);
        return new HeapRelease(() -> old == null ? null : new OldGeneration(old.getUsage(), old.getCollectionUsage()),
                System::gc);
    }

    /** A pass rendered anew or wrote many objects: the heap it grew is given back at the end of the wave. */
    void due() {
        due.set(true);
    }

    /** At the end of a wave of passes: collects when due or when the old generation has filled up (see the class). */
    boolean atIdle() {
        boolean wanted = due.getAndSet(false) | filling(oldGeneration.get());
        if (wanted) {
            collect.run();
        }
        return wanted;
    }

    /** Half the room the last full collection left (committed minus used then) has been taken since. */
    static boolean filling(OldGeneration old) {
        if (old == null || old.afterLastCollection() == null || old.afterLastCollection().getCommitted() <= 0) {
            return false; // never collected yet (or not told): the first wave's collection is due anyway
        }
        long usedThen = old.afterLastCollection().getUsed();
        long room = Math.max(0, old.afterLastCollection().getCommitted() - usedThen);
        return old.now().getUsed() - usedThen > room / 2 || old.now().getCommitted() > old.afterLastCollection().getCommitted();
    }
}

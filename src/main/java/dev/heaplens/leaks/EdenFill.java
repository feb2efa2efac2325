package dev.heaplens.leaks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Forces a young collection of this JVM by filling what is left of eden with short-lived garbage.
 *
 * <pre>{@code
 * EdenFill fill = EdenFill.forThisJvm().orElseThrow();
 * EdenFill.Filled f = fill.untilCollected(2 * fill.freeBytes(), 50_000_000); // 50 ms at most
 * if (f.collected()) ... // a young collection happened
 * }</pre>
 *
 * <p>Java has no call for a young collection: {@link System#gc()} is a full one, whose time grows with
 * the whole live heap. A young collection is what the JVM does when eden is full, and it clears the
 * weak references to young objects nothing else holds. Its cost is the allocation (zeroing the free
 * part of eden) plus a pause that grows with the surviving young objects only, so it is cheaper than
 * a full collection when eden's free part is small next to the live heap.
 *
 * <p>Only stop-the-world generational collectors are used (G1, Parallel, Serial): they collect eden as
 * soon as an allocation does not fit. Concurrent collectors (ZGC, Shenandoah) start a cycle later and
 * on their own terms, so for them {@link #forThisJvm()} is empty.
 */
final class EdenFill {
    /** Young collectors of HotSpot's stop-the-world generational GCs: G1, Parallel, Serial, CMS's ParNew. */
    private static final Set<String> YOUNG_COLLECTORS = Set.of("G1 Young Generation", "PS Scavenge", "Copy", "ParNew");
    /** Well below half a G1 region (at least 1 MB), so never a humongous object allocated outside eden. */
    private static final int CHUNK_BYTES = 64 * 1024;
    /** Allocations between two looks at the collection counts: 1 MB. */
    private static final int CHUNKS_PER_LOOK = 16;

    /** Where each chunk goes, so that no compiler can prove the allocation useless and remove it. */
    @SuppressWarnings("unused")
    private static volatile Object sink;

    /**
     * What a fill came to.
     *
     * @param collected  whether eden was collected before the budget or the time limit ran out
     * @param bytes      how much garbage was allocated
     * @param nanos      how long the fill took, the collection's pause included
     * @param pauseNanos how long the collections it caused took, to the JVM's millisecond
     */
    record Filled(boolean collected, long bytes, long nanos, long pauseNanos) {
    }

    private final MemoryPoolMXBean eden;
    /** The collectors that collect eden: the young one and the full one (not G1's concurrent cycle). */
    private final List<GarbageCollectorMXBean> collectors;

    private EdenFill(MemoryPoolMXBean eden, List<GarbageCollectorMXBean> collectors) {
        this.eden = eden;
        this.collectors = collectors;
    }

    /** The fill for this JVM's collector, or empty when it has no stop-the-world young collection. */
    static Optional<EdenFill> forThisJvm() {
        List<GarbageCollectorMXBean> all = ManagementFactory.getGarbageCollectorMXBeans();
        Optional<String> edenName = all.stream()
                .filter(c -> YOUNG_COLLECTORS.contains(c.getName()))
                .flatMap(c -> List.of(c.getMemoryPoolNames()).stream())
                .filter(pool -> pool.endsWith("Eden Space"))
                .findFirst();
        if (edenName.isEmpty()) {
            return Optional.empty();
        }
        Optional<MemoryPoolMXBean> eden = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getName().equals(edenName.get()))
                .findFirst();
        List<GarbageCollectorMXBean> collectingEden = all.stream()
                .filter(c -> List.of(c.getMemoryPoolNames()).contains(edenName.get()))
                .toList();
        return eden.map(pool -> new EdenFill(pool, collectingEden));
    }

    /** Bytes that can still be allocated in eden before it is collected (G1: its current target size). */
    long freeBytes() {
        MemoryUsage u = eden.getUsage();
        return Math.max(0, u.getCommitted() - u.getUsed());
    }

    /** The heap in use outside eden: survivors and the old generation, which a full collection goes through. */
    long usedOutsideEden() {
        return Math.max(0, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() - eden.getUsage().getUsed());
    }

    /** Collections of eden so far, young and full together. */
    long collections() {
        long n = 0;
        for (GarbageCollectorMXBean c : collectors) {
            n += Math.max(0, c.getCollectionCount());
        }
        return n;
    }

    /** Milliseconds spent in collections of eden so far, young and full together. */
    private long collectionMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean c : collectors) {
            ms += Math.max(0, c.getCollectionTime());
        }
        return ms;
    }

    /**
     * Allocates garbage until eden has been collected, or until {@code budgetBytes} have been allocated,
     * or until {@code timeLimitNanos} have passed: a fill that would cost more than what it saves is
     * cut short (eden's pages may be new to the process, and faulting them in costs several times the
     * zeroing).
     */
    Filled untilCollected(long budgetBytes, long timeLimitNanos) {
        long start = System.nanoTime();
        long before = collections();
        long millisBefore = collectionMillis();
        long allocated = 0;
        try {
            while (allocated < budgetBytes && System.nanoTime() - start < timeLimitNanos) {
                for (int i = 0; i < CHUNKS_PER_LOOK; i++) {
                    sink = new byte[CHUNK_BYTES];
                }
                allocated += (long) CHUNKS_PER_LOOK * CHUNK_BYTES;
                if (collections() != before) {
                    return new Filled(true, allocated, System.nanoTime() - start, (collectionMillis() - millisBefore) * 1_000_000);
                }
            }
            return new Filled(false, allocated, System.nanoTime() - start, 0);
        } finally {
            sink = null;
        }
    }
}

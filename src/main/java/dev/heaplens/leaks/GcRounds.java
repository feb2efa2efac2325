package dev.heaplens.leaks;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Collects garbage until a condition holds or a deadline passes: first a young collection where that
 * is cheaper ({@link EdenFill}), then one {@link System#gc()}, then more after growing pauses (10, 20,
 * 40, … ms, and never shorter than twice the last collection took) while the next one would still
 * come before the deadline; then it sleeps out the rest of the time, looks once more, and gives up.
 *
 * <pre>{@code
 * GcRounds.Outcome o = GcRounds.until(ref::isCleared, Duration.ofSeconds(1));
 * if (!o.done()) ... // still there after o.collections() collections
 * }</pre>
 *
 * <p>Why this schedule. Most watched objects are young: a test made them moments ago. A young
 * collection clears the weak references to young objects that nothing else holds, and its cost does
 * not grow with the live heap as a full collection's does; but Java can only ask for one by filling
 * eden, and filling a large eden costs more than a full collection of a small heap. So it comes first
 * only when {@link CollectionCosts}, from what this JVM's collections cost so far, predicts it cheaper
 * (with 100 MB live under Serial, a passing check then takes 10 ms instead of 90). A young collection
 * that leaves a reference uncleared proves nothing: the object may be old, or held by old garbage.
 * An explicit full collection clears every weak reference whose object is only weakly reachable, so
 * the first full round settles nearly every remaining check; weak references are cleared before
 * finalization, so finalizers never need waiting for. What does need time is another thread: a
 * finalizer or {@code Cleaner} action, an executor or event loop that drops its last reference a
 * little later. The pauses give it that time; their growth, and their floor of twice the last
 * collection's time, keep full collections (each costs time in proportion to the live heap) to a few,
 * at most a third of the wait. The caller's live heap dump collects garbage itself: it is the round
 * at the deadline. {@code System.runFinalization()} is not used: it is deprecated for removal. With
 * {@code -XX:+DisableExplicitGC} {@code System.gc()} does nothing: every round then fills eden
 * instead, and the dump's own collection decides the rest.
 */
final class GcRounds {
    private static final long FIRST_PAUSE_NANOS = 10_000_000;
    /** What a fill may allocate beyond twice eden's free part (G1 may grow eden's target while it fills). */
    private static final long FILL_SLACK_BYTES = 8 << 20;
    /** The JVM's own rounds: one eden, one set of costs learnt by every check. */
    private static final GcRounds THIS_JVM = new GcRounds(EdenFill.forThisJvm(), new CollectionCosts());

    private final Optional<EdenFill> eden;
    private final CollectionCosts costs;

    /**
     * What a wait came to.
     *
     * @param done        whether the condition held
     * @param collections how many collections were requested
     * @param waited      how long it took
     */
    record Outcome(boolean done, int collections, Duration waited) {
    }

    /** Rounds that fill {@code eden} (if any) when {@code costs} say so. */
    GcRounds(Optional<EdenFill> eden, CollectionCosts costs) {
        this.eden = eden;
        this.costs = costs;
    }

    /** Collects garbage until {@code done} holds (true at once if it already does) or {@code timeout} has passed. */
    static Outcome until(BooleanSupplier done, Duration timeout) {
        return THIS_JVM.collectUntil(done, timeout);
    }

    /** The costs this JVM's checks have learnt so far, for tests and benchmarks to print. */
    static CollectionCosts costs() {
        return THIS_JVM.costs;
    }

    /** {@link #until}, with these rounds' eden and costs. */
    Outcome collectUntil(BooleanSupplier done, Duration timeout) {
        long start = System.nanoTime();
        if (done.getAsBoolean()) {
            return new Outcome(true, 0, Duration.ZERO);
        }
        int collections = 0;
        if (eden.isPresent() && youngCollection(eden.get(), done)) {
            collections++;
            if (done.getAsBoolean()) {
                return new Outcome(true, collections, Duration.ofNanos(System.nanoTime() - start));
            }
        }
        long deadline = start + timeout.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        while (true) {
            long took = fullCollection(done);
            collections++;
            long after = System.nanoTime();
            if (done.getAsBoolean()) {
                return new Outcome(true, collections, Duration.ofNanos(after - start));
            }
            pause = Math.max(pause, 2 * took);
            if (after + pause >= deadline) {
                sleepNanos(deadline - after);
                return new Outcome(done.getAsBoolean(), collections, Duration.ofNanos(System.nanoTime() - start));
            }
            sleepNanos(pause);
            pause *= 2;
        }
    }

    /** Fills eden if the costs say that is cheaper than a full collection; whether a collection happened. */
    private boolean youngCollection(EdenFill eden, BooleanSupplier done) {
        long outsideEden = eden.usedOutsideEden();
        if (!costs.chooseYoungFirst(eden.freeBytes(), outsideEden)) {
            return false;
        }
        return fill(eden, outsideEden, done);
    }

    /** Fills eden within the costs' time limit and teaches them what it cost; whether a collection happened. */
    private boolean fill(EdenFill eden, long outsideEden, BooleanSupplier done) {
        EdenFill.Filled filled = eden.untilCollected(2 * eden.freeBytes() + FILL_SLACK_BYTES, costs.fillTimeLimitNanos(outsideEden));
        costs.filled(filled, filled.collected() && done.getAsBoolean());
        return filled.collected();
    }

    /**
     * {@link System#gc()}, learning its cost where eden can be filled instead; when it collected nothing
     * ({@code -XX:+DisableExplicitGC}), a fill of eden takes its place. How long it took.
     */
    private long fullCollection(BooleanSupplier done) {
        if (eden.isEmpty()) {
            long start = System.nanoTime();
            System.gc();
            return System.nanoTime() - start;
        }
        EdenFill e = eden.get();
        long outsideEden = e.usedOutsideEden();
        long collectionsBefore = e.collections();
        long start = System.nanoTime();
        System.gc();
        long took = System.nanoTime() - start;
        boolean collected = e.collections() != collectionsBefore;
        costs.collectedFully(outsideEden, took, collected);
        if (!collected) {
            fill(e, outsideEden, done);
            took = System.nanoTime() - start;
        }
        return took;
    }

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the garbage collector", e);
        }
    }
}

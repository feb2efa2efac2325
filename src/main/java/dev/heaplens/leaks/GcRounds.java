package dev.heaplens.leaks;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Collects garbage until a condition holds or a deadline passes: one {@link System#gc()} at once,
 * then more after growing pauses (10, 20, 40, … ms, and never shorter than twice the last
 * collection took) while the next one would still come before the deadline; then it sleeps out the
 * rest of the time, looks once more, and gives up.
 *
 * <pre>{@code
 * GcRounds.Outcome o = GcRounds.until(ref::isCleared, Duration.ofSeconds(1));
 * if (!o.done()) ... // still there after o.collections() collections
 * }</pre>
 *
 * <p>Why this schedule. An explicit full collection clears every weak reference whose object is only
 * weakly reachable, so the first round settles nearly every check; weak references are cleared
 * before finalization, so finalizers never need waiting for. What does need time is another thread:
 * a finalizer or {@code Cleaner} action, an executor or event loop that drops its last reference a
 * little later. The pauses give it that time; their growth, and their floor of twice the last
 * collection's time, keep full collections (each costs time in proportion to the live heap) to a few,
 * at most a third of the wait. The caller's live heap dump collects garbage itself: it is the round
 * at the deadline. {@code System.runFinalization()} is not used: it is deprecated for removal. With
 * {@code -XX:+DisableExplicitGC} the rounds do nothing, and the dump's own collection still decides.
 */
final class GcRounds {
    private static final long FIRST_PAUSE_NANOS = 10_000_000;

    /**
     * What a wait came to.
     *
     * @param done        whether the condition held
     * @param collections how many collections were requested
     * @param waited      how long it took
     */
    record Outcome(boolean done, int collections, Duration waited) {
    }

    private GcRounds() {
    }

    /** Collects garbage until {@code done} holds (true at once if it already does) or {@code timeout} has passed. */
    static Outcome until(BooleanSupplier done, Duration timeout) {
        long start = System.nanoTime();
        if (done.getAsBoolean()) {
            return new Outcome(true, 0, Duration.ZERO);
        }
        long deadline = start + timeout.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        for (int collections = 1; ; collections++) {
            long before = System.nanoTime();
            System.gc();
            long after = System.nanoTime();
            if (done.getAsBoolean()) {
                return new Outcome(true, collections, Duration.ofNanos(after - start));
            }
            pause = Math.max(pause, 2 * (after - before));
            if (after + pause >= deadline) {
                sleepNanos(deadline - after);
                return new Outcome(done.getAsBoolean(), collections, Duration.ofNanos(System.nanoTime() - start));
            }
            sleepNanos(pause);
            pause *= 2;
        }
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

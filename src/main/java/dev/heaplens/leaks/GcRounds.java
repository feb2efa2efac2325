package dev.heaplens.leaks;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Collects garbage until a condition holds or a deadline passes: one {@link System#gc()} at once,
 * then more at doubling intervals (10, 20, 40, … ms) while time is left.
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
 * little later. The pauses give it that time, and their doubling keeps the number of full
 * collections (each costs time in proportion to the live heap) logarithmic in the timeout.
 * {@code System.runFinalization()} is not used: it is deprecated for removal. With
 * {@code -XX:+DisableExplicitGC} the rounds do nothing; the live heap dump that follows a failed
 * wait forces a full collection itself, so the check still only reports objects that survive one.
 */
final class GcRounds {
    private static final long FIRST_PAUSE_MILLIS = 10;

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
        long pause = FIRST_PAUSE_MILLIS;
        for (int collections = 1; ; collections++) {
            System.gc();
            if (done.getAsBoolean()) {
                return new Outcome(true, collections, Duration.ofNanos(System.nanoTime() - start));
            }
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                return new Outcome(false, collections, Duration.ofNanos(System.nanoTime() - start));
            }
            sleep(Math.min(pause, leftMillis));
            pause *= 2;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the garbage collector", e);
        }
    }
}

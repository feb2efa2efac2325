package dev.heaplens.concurrent;

import java.util.function.IntConsumer;

/**
 * Runs the parts of one phase at once: part 0 on the calling thread, each other part on a daemon
 * thread of its own named {@code name-k}, and returns when every part is done. A part's failure, an
 * {@code OutOfMemoryError} too, is thrown by the caller, as it was thrown, not printed by a helper
 * thread and lost; if several fail, the first in part order is thrown, after all have ended, so no
 * helper is still writing to the phase's arrays when the caller sees the failure.
 *
 * <pre>{@code
 * long[] sums = new long[2];
 * Parallel.run("heaplens-sum", 2, part -> sums[part] = sumOfHalf(part));
 * }</pre>
 *
 * <p>The phases that use it split their work into as many parts as there are cores (two on the
 * machines heaplens is measured on); a thread per part costs about 0.1 ms to start, nothing beside
 * phases that take tens of milliseconds, and needs no pool to shut down.
 */
public final class Parallel {
    private Parallel() {
    }

    /**
     * Runs {@code part.accept(k)} for every {@code k} in {@code [0, parts)}, part 0 on this thread.
     *
     * @throws IllegalStateException if this thread is interrupted while it waits for the others
     *                               (which then run on, as daemons, and their results are lost)
     */
    public static void run(String name, int parts, IntConsumer part) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be >= 1: " + parts);
        }
        Throwable[] failures = new Throwable[parts];
        Thread[] helpers = new Thread[parts];
        for (int k = 1; k < parts; k++) {
            int own = k;
            helpers[k] = new Thread(() -> failures[own] = attempt(part, own), name + "-" + k);
            helpers[k].setDaemon(true);
            helpers[k].start();
        }
        failures[0] = attempt(part, 0);
        for (int k = 1; k < parts; k++) {
            try {
                helpers[k].join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name + "'s threads", e);
            }
        }
        for (Throwable failure : failures) {
            if (failure instanceof Error error) {
                throw error;
            }
            if (failure != null) {
                throw (RuntimeException) failure;
            }
        }
    }

    /** Runs one part; what it threw, or {@code null}. */
    private static Throwable attempt(IntConsumer part, int k) {
        try {
            part.accept(k);
            return null;
        } catch (RuntimeException | Error e) {
            return e;
        }
    }
}

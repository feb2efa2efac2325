package dev.heaplens.leaks;

/**
 * What collections have cost in this JVM, to choose how a check starts: with a young collection
 * forced by filling eden ({@link EdenFill}), or with a full one ({@link System#gc()}).
 *
 * <pre>{@code
 * if (costs.chooseYoungFirst(eden.freeBytes(), eden.usedOutsideEden())) {
 *     EdenFill.Filled f = eden.untilCollected(budget, costs.fillTimeLimitNanos(eden.usedOutsideEden()));
 *     costs.filled(f, f.collected() && allCleared());   // what it cost, and whether it was enough
 * }
 * }</pre>
 *
 * <p>The model, each figure taken from the last collection of its kind this JVM's checks made (the
 * heap changes between checks, and a choice between two routes of nearly the same cost matters little,
 * so the newest measurement is worth more than an average):
 * <ul>
 *   <li>a young collection costs its pause plus nanoseconds per byte of eden filled (allocating is
 *       zeroing memory);</li>
 *   <li>a full collection costs nanoseconds per byte of heap outside eden (it marks and compacts the
 *       old generation);</li>
 *   <li>a young collection is enough on its own in some share of checks (an average weighting the
 *       newest half): a watched object promoted to the old generation needs the full collection
 *       anyway, and then the fill was wasted.</li>
 * </ul>
 * A young collection is tried first when its cost is below the full collection's times that share
 * (never taken below a tenth, so a run of promoted objects does not stop the young route for good).
 * The figures of a route that is never taken would go stale while the heap changes (a full
 * collection of a small heap costs more per byte than one of a large heap; eden's pages cost several
 * times more to fill the first time after the heap grew), so {@link #chooseYoungFirst} takes the other
 * route once every {@value #EXPLORE_EVERY} checks. Neither costs more than about twice what a check
 * always did: a full collection is what every check cost before the fill existed, and a fill is cut
 * short once it has taken as long as a full collection is predicted to ({@link #fillTimeLimitNanos})
 * and its rate is measured all the same; the full collection follows.
 * When {@code System.gc()} collects nothing ({@code -XX:+DisableExplicitGC}), filling eden is the only
 * way, so it is always tried.
 *
 * <p>The starting figures are this machine's orders of magnitude: a 1 ms pause, zeroing at about
 * 10 GB/s, a full collection at about 2 GB/s of live heap. Thread-safe; a lost update between two
 * checks running at once only costs one estimate.
 */
final class CollectionCosts {
    private static final double NEWEST_WEIGHT = 0.5;

    private static final double LEAST_YOUNG_ENOUGH = 0.1;
    private static final int EXPLORE_EVERY = 16;

    private volatile double youngPauseNanos;
    private volatile double fillNanosPerByte;
    private volatile double fullNanosPerByte;
    private volatile double youngEnough = 1.0;
    private volatile boolean explicitGcCollects = true;
    private volatile int checksSinceFill;
    private volatile int checksSinceFull;

    /** Costs starting from this machine's orders of magnitude. */
    CollectionCosts() {
        this(1_000_000, 0.1, 0.5);
    }

    /** Costs starting from these figures (tests choose a route with them). */
    CollectionCosts(double youngPauseNanos, double fillNanosPerByte, double fullNanosPerByte) {
        this.youngPauseNanos = youngPauseNanos;
        this.fillNanosPerByte = fillNanosPerByte;
        this.fullNanosPerByte = fullNanosPerByte;
    }

    /**
     * How a check should start: {@link #youngFirst}, except that once every {@value #EXPLORE_EVERY}
     * checks the route not taken lately is taken, to measure it again.
     */
    boolean chooseYoungFirst(long edenFreeBytes, long heapOutsideEden) {
        boolean young = youngFirst(edenFreeBytes, heapOutsideEden);
        if (explicitGcCollects && (young ? checksSinceFull : checksSinceFill) >= EXPLORE_EVERY) {
            young = !young;
        }
        checksSinceFill++;
        checksSinceFull++;
        return young;
    }

    /**
     * How long a fill may take before it is cut short: as long as a full collection of
     * {@code heapOutsideEden} bytes is predicted to take (no limit when {@code System.gc()} does nothing).
     */
    long fillTimeLimitNanos(long heapOutsideEden) {
        return explicitGcCollects ? (long) (heapOutsideEden * fullNanosPerByte) : Long.MAX_VALUE;
    }

    /** Whether filling {@code edenFreeBytes} first is predicted cheaper than a full collection of {@code heapOutsideEden} bytes. */
    boolean youngFirst(long edenFreeBytes, long heapOutsideEden) {
        return !explicitGcCollects || predictedFillNanos(edenFreeBytes) < predictedFullNanos(heapOutsideEden);
    }

    private double predictedFillNanos(long edenFreeBytes) {
        return youngPauseNanos + edenFreeBytes * fillNanosPerByte;
    }

    /** The full collection's cost, times the share of checks in which a fill was enough (what a fill can save). */
    private double predictedFullNanos(long heapOutsideEden) {
        return Math.max(LEAST_YOUNG_ENOUGH, youngEnough) * heapOutsideEden * fullNanosPerByte;
    }

    /**
     * What a fill cost; {@code enough}: whether it cleared everything. A fill cut short before the
     * collection still tells the rate at which eden fills.
     */
    void filled(EdenFill.Filled fill, boolean enough) {
        checksSinceFill = 0;
        if (fill.bytes() > 0) {
            fillNanosPerByte = (double) Math.max(0, fill.nanos() - fill.pauseNanos()) / fill.bytes();
        }
        if (fill.collected()) {
            youngPauseNanos = fill.pauseNanos();
            youngEnough = blend(youngEnough, enough ? 1 : 0);
        }
    }

    /** A full collection with {@code heapOutsideEden} bytes outside eden took {@code nanos}; {@code collected}: whether one happened. */
    void collectedFully(long heapOutsideEden, long nanos, boolean collected) {
        checksSinceFull = 0;
        explicitGcCollects = collected;
        if (collected && heapOutsideEden > 0) {
            fullNanosPerByte = (double) nanos / heapOutsideEden;
        }
    }

    private static double blend(double average, double newest) {
        return (1 - NEWEST_WEIGHT) * average + NEWEST_WEIGHT * newest;
    }

    /** {@code CollectionCosts: young pause 2.1 ms, fill 0.080 ns/B, full 0.410 ns/B, young enough 97%}. */
    @Override
    public String toString() {
        return String.format("CollectionCosts: young pause %.1f ms, fill %.3f ns/B, full %.3f ns/B, young enough %.0f%%%s",
                youngPauseNanos / 1e6, fillNanosPerByte, fullNanosPerByte, 100 * youngEnough, explicitGcCollects ? "" : ", System.gc() disabled");
    }
}

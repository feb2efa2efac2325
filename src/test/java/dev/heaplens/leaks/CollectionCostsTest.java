package dev.heaplens.leaks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The choice between filling eden and a full collection, from the costs seen so far. */
class CollectionCostsTest {
    private static final long MB = 1 << 20;

    @Test
    void beforeAnyMeasurementASmallEdenBeatsALargeHeapAndNotTheOtherWayRound() {
        CollectionCosts costs = new CollectionCosts();
        // 1 ms + 20 MB × 0.1 ns/B = 3 ms against 100 MB × 0.5 ns/B = 52 ms
        assertTrue(costs.youngFirst(20 * MB, 100 * MB), costs.toString());
        // 1 ms + 500 MB × 0.1 ns/B = 53 ms against 10 MB × 0.5 ns/B = 5 ms
        assertFalse(costs.youngFirst(500 * MB, 10 * MB), costs.toString());
    }

    @Test
    void measuredCostsReplaceTheStartingFigures() {
        CollectionCosts costs = new CollectionCosts();
        assertTrue(costs.youngFirst(100 * MB, 100 * MB), costs.toString());
        // fills turn out four times slower than zeroing (page faults), full collections twice as fast
        costs.filled(new EdenFill.Filled(true, 100 * MB, 42_000_000 + 2_000_000, 2_000_000), true);
        costs.collectedFully(100 * MB, 26_000_000, true);
        assertFalse(costs.youngFirst(100 * MB, 100 * MB), costs.toString());
        assertTrue(costs.youngFirst(40 * MB, 100 * MB), costs.toString());
    }

    @Test
    void youngCollectionsThatAreNotEnoughMakeTheFillDearerButNeverRuleItOut() {
        CollectionCosts costs = new CollectionCosts(1_000_000, 0.1, 0.5);
        assertTrue(costs.youngFirst(200 * MB, 100 * MB), costs.toString());
        for (int i = 0; i < 20; i++) {
            costs.filled(new EdenFill.Filled(true, 10 * MB, 2_000_000, 1_000_000), false);
        }
        // the fill is now worth it only below a tenth of the full collection's cost
        assertFalse(costs.youngFirst(200 * MB, 100 * MB), costs.toString());
        assertTrue(costs.youngFirst(MB, 100 * MB), costs.toString());
        costs.filled(new EdenFill.Filled(true, 10 * MB, 2_000_000, 1_000_000), true);
        costs.filled(new EdenFill.Filled(true, 10 * MB, 2_000_000, 1_000_000), true);
        assertTrue(costs.youngFirst(100 * MB, 100 * MB), costs.toString());
    }

    @Test
    void whenSystemGcCollectsNothingTheFillIsAlwaysTried() {
        CollectionCosts costs = new CollectionCosts();
        assertFalse(costs.youngFirst(2_000 * MB, MB), costs.toString());
        costs.collectedFully(MB, 5_000, false);
        assertTrue(costs.youngFirst(2_000 * MB, MB), costs.toString());
        assertTrue(costs.toString().endsWith("System.gc() disabled"), costs.toString());
        costs.collectedFully(MB, 500_000, true);
        assertFalse(costs.youngFirst(2_000 * MB, MB), costs.toString());
    }

    @Test
    void theRouteNotTakenIsTakenOnceEverySixteenChecksSoItsCostIsMeasuredAgain() {
        // 400 MB at 0.1 ns/B = 43 ms against 100 MB at 3 ns/B (a small heap's full collection) = 314 ms:
        // fills, until the 17th check measures a full collection again; at 50 ms (0.5 ns/B) fills stay cheaper
        assertEquals("y".repeat(16) + "F" + "y".repeat(16) + "F" + "y".repeat(6), routes(400, 50_000_000));
    }

    @Test
    void aFillTakenToMeasureItIsCutShortAtTheFullCollectionsCost() {
        // at 40 ms the full collection wins once measured; the fill tried again at the 33rd check would
        // take 45 ms, and is cut at 40
        assertEquals("y".repeat(16) + "F".repeat(16) + "c" + "F".repeat(7), routes(400, 40_000_000));
        // 4,000 MB of eden (420 ms) is never filled: the fill tried every 17th check stops at 50 ms
        assertEquals("F".repeat(16) + "c" + "F".repeat(16) + "c" + "F".repeat(6), routes(4_000, 50_000_000));
    }

    /**
     * The routes of 40 checks with an eden of {@code edenMb} that fills at 0.1 ns/B plus a 3 ms pause,
     * and 100 MB outside it that a full collection goes through in {@code fullNanos}; the full
     * collection was first measured on a 10 MB heap, at 3 ns/B. {@code y}: a young collection first,
     * {@code F}: a full one, {@code c}: a fill cut short at its time limit, then a full collection.
     */
    private static String routes(long edenMb, long fullNanos) {
        CollectionCosts costs = new CollectionCosts();
        costs.collectedFully(10 * MB, 31_000_000, true);
        StringBuilder routes = new StringBuilder();
        for (int check = 0; check < 40; check++) {
            if (!costs.chooseYoungFirst(edenMb * MB, 100 * MB)) {
                routes.append('F');
                costs.collectedFully(100 * MB, fullNanos, true);
                continue;
            }
            long fillNanos = (long) (edenMb * MB * 0.1);
            long limit = costs.fillTimeLimitNanos(100 * MB);
            if (fillNanos + 3_000_000 <= limit) {
                routes.append('y');
                costs.filled(new EdenFill.Filled(true, edenMb * MB, fillNanos + 3_000_000, 3_000_000), true);
            } else {
                routes.append('c');
                costs.filled(new EdenFill.Filled(false, (long) (limit / 0.1), limit, 0), false);
                costs.collectedFully(100 * MB, fullNanos, true);
            }
        }
        return routes.toString();
    }
}

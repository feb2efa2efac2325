package dev.heaplens.leaks;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The waiting schedule: no collection when already done, bounded by the timeout, a condition another
 * thread makes true; and the young collection that comes first when the costs say so, with the full
 * one after it when it was not enough.
 */
class GcRoundsTest {
    /** Rounds that never fill eden: the schedule of full collections alone. */
    private static final GcRounds FULL_ONLY = new GcRounds(Optional.empty(), new CollectionCosts());
    private static final List<Object> KEPT = new ArrayList<>();

    /** Rounds that always fill eden first, and to the end: a fill predicted free, a full collection at 1 ms a byte. */
    private static GcRounds youngFirst() {
        return new GcRounds(EdenFill.forThisJvm(), new CollectionCosts(0, 0, 1e6));
    }

    @Test
    void nothingToWaitForCostsNoCollection() {
        GcRounds.Outcome o = GcRounds.until(() -> true, Duration.ofSeconds(10));
        assertEquals(new GcRounds.Outcome(true, 0, Duration.ZERO), o);
    }

    @Test
    void aConditionThatNeverHoldsGivesUpAtTheTimeoutAfterAFewCollections() {
        GcRounds.Outcome o = FULL_ONLY.collectUntil(() -> false, Duration.ofMillis(300));
        assertFalse(o.done());
        assertTrue(o.waited().toMillis() >= 300 && o.waited().toMillis() < 3_000, o.toString());
        // 10, 20, 40, 80 ms pauses fit before 300 ms on a small heap; a slow collection makes them fewer
        assertTrue(o.collections() >= 1 && o.collections() <= 6, o.toString());
    }

    @Test
    void aZeroTimeoutStillCollectsOnce() {
        GcRounds.Outcome o = FULL_ONLY.collectUntil(() -> false, Duration.ZERO);
        assertEquals(1, o.collections());
        assertFalse(o.done());
        GcRounds.Outcome young = youngFirst().collectUntil(() -> false, Duration.ZERO);
        assertEquals(2, young.collections(), "a young collection, then the full one");
        assertFalse(young.done());
    }

    @Test
    void aYoungObjectNothingHoldsGoesInAYoungCollectionWithoutAFullOne() {
        WeakReference<Object> ref = EdenFillProbe.sharedThenDropped();
        long full = EdenFillTest.fullCollections();
        GcRounds.Outcome o = youngFirst().collectUntil(() -> ref.refersTo(null), Duration.ofSeconds(10));
        assertEquals(new GcRounds.Outcome(true, 1, o.waited()), o);
        assertEquals(full, EdenFillTest.fullCollections());
    }

    @Test
    void aFillOutOfTimeIsCutShortAndTheFullCollectionDecides() {
        WeakReference<Object> ref = EdenFillProbe.sharedThenDropped();
        long full = EdenFillTest.fullCollections();
        // a fill predicted free, a full collection predicted at a millionth of a nanosecond a byte: the fill
        // is chosen, and has no time at all
        CollectionCosts costs = new CollectionCosts(0, 0, 1e-6);
        GcRounds.Outcome o = new GcRounds(EdenFill.forThisJvm(), costs).collectUntil(() -> ref.refersTo(null), Duration.ofSeconds(10));
        assertEquals(new GcRounds.Outcome(true, 1, o.waited()), o);
        assertEquals(full + 1, EdenFillTest.fullCollections());
    }

    @Test
    void anObjectAlreadyInTheOldGenerationNeedsTheFullCollectionAfterTheYoungOne() {
        Object o = new int[16];
        KEPT.add(o);
        WeakReference<Object> ref = new WeakReference<>(o);
        o = null;
        System.gc(); // a full collection leaves every survivor in the old generation
        KEPT.clear();
        long full = EdenFillTest.fullCollections();
        GcRounds.Outcome out = youngFirst().collectUntil(() -> ref.refersTo(null), Duration.ofSeconds(10));
        assertEquals(new GcRounds.Outcome(true, 2, out.waited()), out);
        assertEquals(full + 1, EdenFillTest.fullCollections());
    }

    @Test
    void waitsForAnotherThread() throws InterruptedException {
        AtomicBoolean released = new AtomicBoolean();
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            released.set(true);
        });
        t.start();
        GcRounds.Outcome o = GcRounds.until(released::get, Duration.ofSeconds(20));
        t.join();
        assertTrue(o.done(), o.toString());
        assertTrue(o.waited().toMillis() >= 150 && o.waited().toMillis() < 10_000, o.toString());
    }
}

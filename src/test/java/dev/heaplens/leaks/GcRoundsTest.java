package dev.heaplens.leaks;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The waiting schedule: no collection when already done, bounded by the timeout, and a condition another thread makes true. */
class GcRoundsTest {

    @Test
    void nothingToWaitForCostsNoCollection() {
        GcRounds.Outcome o = GcRounds.until(() -> true, Duration.ofSeconds(10));
        assertEquals(new GcRounds.Outcome(true, 0, Duration.ZERO), o);
    }

    @Test
    void aConditionThatNeverHoldsGivesUpAtTheTimeoutAfterAFewCollections() {
        GcRounds.Outcome o = GcRounds.until(() -> false, Duration.ofMillis(300));
        assertFalse(o.done());
        assertTrue(o.waited().toMillis() >= 300 && o.waited().toMillis() < 3_000, o.toString());
        // 10, 20, 40, 80 ms pauses fit before 300 ms on a small heap; a slow collection makes them fewer
        assertTrue(o.collections() >= 1 && o.collections() <= 6, o.toString());
    }

    @Test
    void aZeroTimeoutStillCollectsOnce() {
        GcRounds.Outcome o = GcRounds.until(() -> false, Duration.ZERO);
        assertEquals(1, o.collections());
        assertFalse(o.done());
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

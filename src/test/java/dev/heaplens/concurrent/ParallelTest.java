package dev.heaplens.concurrent;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelTest {
    @Test
    void everyPartRunsOnceAtTheSameTimePartZeroOnTheCaller() {
        int parts = 4;
        String[] threads = new String[parts];
        CountDownLatch allStarted = new CountDownLatch(parts);
        Parallel.run("test-parts", parts, k -> {
            threads[k] = Thread.currentThread().getName();
            allStarted.countDown();
            try {
                // every part waits for all the others: this returns only if they all run at once
                assertTrue(allStarted.await(10, TimeUnit.SECONDS), "parts run at the same time");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(Thread.currentThread().getName(), threads[0]);
        assertEquals("test-parts-1", threads[1]);
        assertEquals("test-parts-3", threads[3]);
    }

    @Test
    void theFirstFailureInPartOrderIsThrownAfterEveryPartHasEnded() {
        AtomicBoolean slowPartEnded = new AtomicBoolean();
        IllegalStateException second = new IllegalStateException("part 1");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> Parallel.run("test-fail", 4, k -> {
            switch (k) {
                case 1 -> throw second;
                case 2 -> {
                    sleep(200);
                    slowPartEnded.set(true);
                }
                case 3 -> throw new OutOfMemoryError("part 3, later in part order");
                default -> { }
            }
        }));
        assertSame(second, thrown);
        assertTrue(slowPartEnded.get(), "the caller waited for the slow part");
    }

    @Test
    void aFailureOnTheCallerStillWaitsForTheHelpers() {
        AtomicBoolean helperEnded = new AtomicBoolean();
        IllegalArgumentException own = new IllegalArgumentException("part 0");
        assertSame(own, assertThrows(IllegalArgumentException.class, () -> Parallel.run("test-caller", 2, k -> {
            if (k == 0) {
                throw own;
            }
            sleep(200);
            helperEnded.set(true);
        })));
        assertTrue(helperEnded.get(), "no helper still runs when the caller sees the failure");
    }

    @Test
    void anErrorOfAHelperIsThrownAsItWas() {
        OutOfMemoryError oom = new OutOfMemoryError("helper's");
        assertSame(oom, assertThrows(OutOfMemoryError.class, () -> Parallel.run("test-error", 2, k -> {
            if (k == 1) {
                throw oom;
            }
        })));
    }

    @Test
    void aPartCountBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Parallel.run("test-none", 0, k -> { }));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}

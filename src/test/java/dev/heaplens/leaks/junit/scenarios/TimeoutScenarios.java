package dev.heaplens.leaks.junit.scenarios;

import dev.heaplens.leaks.LeakWatcher;
import dev.heaplens.leaks.junit.CheckLeaks;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@code LeakCheckExtensionTest}: listeners another thread unregisters after the test. The
 * class allows 10 s, and {@link #longEnough}'s is unregistered after 300 ms; {@link #tooShort}
 * overrides the timeout with 0 ms, and its listener stays until the test opens {@link #release}.
 */
@CheckLeaks(gcTimeoutMillis = 10_000)
public class TimeoutScenarios {
    public static final List<Object> HELD = new CopyOnWriteArrayList<>();
    /** Replaced by the test before each run. */
    public static volatile CountDownLatch release = new CountDownLatch(1);

    private static void unregisterLater(LeakWatcher watcher, long millis) {
        Object listener = new ScenarioRegistry.Listener();
        HELD.add(listener);
        watcher.watch(listener, "listener another thread unregisters");
        CountDownLatch latch = release;
        Thread t = new Thread(() -> {
            try {
                latch.await(millis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            HELD.remove(listener);
        }, "unregisters-later");
        t.setDaemon(true);
        t.start();
    }

    @Test
    void longEnough(LeakWatcher watcher) {
        unregisterLater(watcher, 300);
    }

    @Test
    @CheckLeaks(gcTimeoutMillis = 0)
    void tooShort(LeakWatcher watcher) {
        unregisterLater(watcher, Long.MAX_VALUE);
    }
}

package dev.heaplens.leaks.junit.scenarios;

import dev.heaplens.leaks.LeakWatcher;
import dev.heaplens.leaks.junit.CheckLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Run by {@code LeakCheckExtensionTest}: the check comes after {@code @AfterEach} (which releases
 * the listener here), and a {@code @BeforeEach} method gets the test's own watcher.
 */
@CheckLeaks
public class LifecycleScenarios {
    private LeakWatcher fromBeforeEach;

    @BeforeEach
    void watchInSetUp(LeakWatcher watcher) {
        fromBeforeEach = watcher;
        ScenarioRegistry.registerWatched(watcher, "listener registered in @BeforeEach");
    }

    @Test
    void sameWatcherAsBeforeEach(LeakWatcher watcher) {
        assertSame(fromBeforeEach, watcher);
    }

    @AfterEach
    void tearDown() {
        ScenarioRegistry.LISTENERS.clear();
    }
}

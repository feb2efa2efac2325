package dev.heaplens.leaks.junit.scenarios;

import dev.heaplens.leaks.LeakWatcher;
import dev.heaplens.leaks.junit.CheckLeaks;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Tests run by {@code LeakCheckExtensionTest} through the JUnit Platform, never by Surefire (their
 * package is excluded): a passing test that leaks, one that does not, and a failing one that leaks.
 */
@CheckLeaks
public class CheckedScenarios {

    @Test
    void passesButLeaks(LeakWatcher watcher) {
        ScenarioRegistry.registerWatched(watcher, "listener the test forgot");
    }

    @Test
    void passesAndReleases(LeakWatcher watcher) {
        ScenarioRegistry.registerWatched(watcher, "listener the test removes");
        ScenarioRegistry.LISTENERS.clear();
    }

    @Test
    void failsAndLeaks(LeakWatcher watcher) {
        ScenarioRegistry.registerWatched(watcher, "listener of a failing test");
        fail("the test's own failure");
    }

    @Test
    void watchesNothing() {
        ScenarioRegistry.LISTENERS.add(new ScenarioRegistry.Listener());
    }
}

package dev.heaplens.leaks.junit.scenarios;

import dev.heaplens.leaks.LeakWatcher;
import dev.heaplens.leaks.junit.CheckLeaks;
import org.junit.jupiter.api.Test;

/** Run by {@code LeakCheckExtensionTest}: a watcher is per test, so a constructor cannot have one. */
@CheckLeaks
public class ConstructorScenarios {
    public ConstructorScenarios(LeakWatcher watcher) {
        watcher.clear();
    }

    @Test
    void neverRuns() {
    }
}

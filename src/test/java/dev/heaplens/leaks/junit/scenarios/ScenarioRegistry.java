package dev.heaplens.leaks.junit.scenarios;

import java.util.ArrayList;
import java.util.List;

/** The static registry the scenarios leak into; {@link #LISTENERS} is emptied by the test that runs them. */
public final class ScenarioRegistry {
    public static final List<Object> LISTENERS = new ArrayList<>();

    private ScenarioRegistry() {
    }

    /** A listener registered and watched; nothing of it is handed back to the caller's frame. */
    public static void registerWatched(dev.heaplens.leaks.LeakWatcher watcher, String description) {
        Object listener = new Listener();
        LISTENERS.add(listener);
        watcher.watch(listener, description);
    }

    /** What the scenarios register. */
    public static final class Listener {
    }
}

package leaks;

import dev.heaplens.leaks.LeakWatcher;
import dev.heaplens.leaks.junit.CheckLeaks;
import org.junit.jupiter.api.Test;

/**
 * A leak caught by a unit test, and its fix.
 *
 * <p>{@link #closedLeakyScreenIsCollected} fails, on purpose: {@link LeakyScreen} registers with the
 * {@link EventBus} and never unregisters, and the failure says so with the path from a GC root:
 *
 * <pre>
 * 1 of 1 watched object was not garbage-collected: still strongly reachable after 8 garbage collections in 1002 ms …
 *
 * "leaky screen after close()": leaks.LeakyScreen@0x7ff3a1c28 (16 bytes, retained 72 B)
 * GC root: …
 *   …                          → class leaks.EventBus@0x7ff3a0e10 (…)
 *   static EventBus.LISTENERS  → java.util.ArrayList@0x7ff3a1b90 (24 bytes, retained …)
 *   .elementData               → java.lang.Object[]@0x7ff3a1ba8 (56 bytes, retained …)
 *   [0]                        → leaks.LeakyScreen@0x7ff3a1c28 (16 bytes, retained 72 B)
 *
 * Heap dump kept: /tmp/heaplens-leak-dumps/leak-check-….hprof (…)
 * </pre>
 *
 * <p>{@link #closedScreenIsCollected} passes: {@link Screen#close()} unregisters. Neither test needs
 * to null its local variable: {@code @CheckLeaks} checks once the test method has returned. The build
 * runs this class and checks both outcomes ({@code dev.heaplens.leaks.ExamplesTest}); run it yourself
 * from an IDE, or with {@code mvn test -Dtest=leaks.ListenerLeakTest -Dsurefire.failIfNoSpecifiedTests=false}
 * after removing the {@code leaks/**} exclusion from the Surefire configuration.
 */
@CheckLeaks
class ListenerLeakTest {

    @Test
    void closedLeakyScreenIsCollected(LeakWatcher watcher) {
        LeakyScreen screen = new LeakyScreen();
        EventBus.publish("opened");
        screen.close();
        watcher.watch(screen, "leaky screen after close()");
    }

    @Test
    void closedScreenIsCollected(LeakWatcher watcher) {
        Screen screen = new Screen();
        EventBus.publish("opened");
        screen.close();
        watcher.watch(screen, "screen after close()");
    }
}

package dev.heaplens.leaks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run by {@link CoreWithoutJUnitTest} in a child JVM whose class path has no JUnit: the core leak
 * assertions, passing and failing, print what they did. Argument: the dump directory (the
 * watcher's; {@link HeapAssertions} reads its own from the system properties the test sets).
 */
public final class WithoutJUnitProgram {
    static final List<Object> REGISTRY = new ArrayList<>();

    /** What the program leaks. */
    static final class Registered {
    }

    private WithoutJUnitProgram() {
    }

    private static void watchDropped(LeakWatcher watcher) {
        watcher.watch(new Registered(), "dropped at once");
    }

    private static void watchRegistered(LeakWatcher watcher) {
        Registered r = new Registered();
        REGISTRY.add(r);
        watcher.watch(r, "left in the registry");
    }

    public static void main(String[] args) {
        try {
            Class.forName("org.junit.jupiter.api.Test");
            System.out.println("JUNIT PRESENT");
        } catch (ClassNotFoundException e) {
            System.out.println("NO JUNIT");
        }
        LeakWatcher watcher = new LeakWatcher(LeakCheckOptions.defaults().dumpDirectory(Path.of(args[0])).keepDumps(false));
        watchDropped(watcher);
        watcher.assertAllCollected();
        System.out.println("COLLECTED");
        HeapAssertions.assertNoInstances(Registered.class);
        System.out.println("NO INSTANCES");

        watchRegistered(watcher);
        try {
            watcher.assertAllCollected();
            System.out.println("MISSED THE LEAK");
        } catch (LeakAssertionError e) {
            System.out.println("LEAK REPORTED");
            System.out.println(e.getMessage());
        }
        try {
            HeapAssertions.assertInstanceCount(Registered.class, 0);
            System.out.println("MISSED THE INSTANCE");
        } catch (LeakAssertionError e) {
            System.out.println("INSTANCE REPORTED");
            System.out.println(e.getMessage());
        }
    }
}

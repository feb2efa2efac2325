package dev.heaplens.leaks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@value #CHECKS} leak checks that must all pass, run by {@link PassingCheckStressTest} in a JVM of
 * its own: each watches three small objects that were briefly shared (put in a list, then removed),
 * made in a helper method so that no frame of the loop holds them. Prints
 * {@code PASSED <checks> <millis> <the costs the checks learnt>} and exits 0, or prints the first false
 * failure and exits 1. Argument: the dump directory, which must stay empty.
 */
public final class PassingCheckStress {
    static final int CHECKS = 1_000;

    private static final List<Object> SHARED = new ArrayList<>();

    private PassingCheckStress() {
    }

    private static void useAndRelease(LeakWatcher watcher, int round) {
        for (int i = 0; i < 3; i++) {
            Object o = i == 0 ? new StringBuilder("round " + round) : i == 1 ? new int[8] : new ArrayList<>(List.of(round));
            SHARED.add(o);
            watcher.watch(o, "object " + i + " of round " + round);
        }
        SHARED.clear();
    }

    public static void main(String[] args) throws Exception {
        Path dumps = Path.of(args[0]);
        LeakWatcher watcher = new LeakWatcher(LeakCheckOptions.defaults().dumpDirectory(dumps));
        long start = System.nanoTime();
        for (int round = 0; round < CHECKS; round++) {
            useAndRelease(watcher, round);
            try {
                watcher.assertAllCollected();
            } catch (AssertionError e) {
                System.out.println("FALSE FAILURE in round " + round + ":\n" + e.getMessage());
                System.exit(1);
            }
            if (watcher.pendingCount() != 0) {
                System.out.println("STILL WATCHING after round " + round + ": " + watcher);
                System.exit(1);
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        try (var files = Files.list(dumps)) {
            if (files.findAny().isPresent()) {
                System.out.println("A PASSING CHECK LEFT A DUMP in " + dumps);
                System.exit(1);
            }
        }
        System.out.println("PASSED " + CHECKS + " " + millis + " " + GcRounds.costs());
    }
}

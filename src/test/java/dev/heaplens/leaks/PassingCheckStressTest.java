package dev.heaplens.leaks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * 1,000 checks that must pass, none may fail: each watches a few small objects that were briefly
 * shared (put in a list, then removed), made in a helper method so no frame of the test holds them.
 * A false failure would throw, and would leave a dump behind.
 */
class PassingCheckStressTest {
    static final int CHECKS = 1_000;

    @TempDir
    Path dumps;

    private static final List<Object> SHARED = new ArrayList<>();

    private static void useAndRelease(LeakWatcher watcher, int round) {
        for (int i = 0; i < 3; i++) {
            Object o = i == 0 ? new StringBuilder("round " + round) : i == 1 ? new int[8] : new ArrayList<>(List.of(round));
            SHARED.add(o);
            watcher.watch(o, "object " + i + " of round " + round);
        }
        SHARED.clear();
    }

    @Test
    void aThousandPassingChecksWithoutAFalseFailure() throws IOException {
        LeakWatcher watcher = new LeakWatcher(LeakCheckOptions.defaults().dumpDirectory(dumps));
        long start = System.nanoTime();
        for (int round = 0; round < CHECKS; round++) {
            useAndRelease(watcher, round);
            watcher.assertAllCollected();
            assertEquals(0, watcher.pendingCount());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("PassingCheckStressTest: %,d passing checks in %,d ms (%.1f ms each)%n", CHECKS, millis, (double) millis / CHECKS);
        try (Stream<Path> files = Files.list(dumps)) {
            assertEquals(List.of(), files.toList(), "no check dumped the heap");
        }
    }
}

package dev.heaplens.leaks;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HeapAssertions#assertNoGrowth} in this JVM: a scenario that leaks into a static list fails,
 * naming that path with its exact growth per repetition; a cache that fills during the warm-up and
 * stays full passes, and so does a scenario that only makes garbage (the check's own dumps grow
 * nothing).
 */
class NoGrowthTest {
    private static final int LEAKED_PER_RUN = 250;

    @TempDir
    Path dumps;

    /** Where the leaking scenario leaks. */
    static final List<Object> LEAKED = new ArrayList<>();

    /** A bounded cache: the 64 most recent entries. */
    static final Map<Integer, byte[]> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
            return size() > 64;
        }
    };

    static final class Leaked {
        final long[] state = new long[4];
    }

    private static int next;

    @BeforeEach
    void dumpsHere() {
        System.setProperty(LeakCheckOptions.DUMP_DIRECTORY_KEY, dumps.toString());
    }

    @AfterEach
    void forget() {
        System.clearProperty(LeakCheckOptions.DUMP_DIRECTORY_KEY);
        LEAKED.clear();
        CACHE.clear();
    }

    @Test
    void aScenarioThatLeaksIntoAStaticListFailsNamingThePathAndItsGrowthPerRepetition() throws IOException {
        LeakAssertionError e = assertThrows(LeakAssertionError.class, () -> HeapAssertions.assertNoGrowth(() -> {
            for (int i = 0; i < LEAKED_PER_RUN; i++) {
                LEAKED.add(new Leaked());
            }
        }, 3));
        String message = e.getMessage();
        assertTrue(message.startsWith("The heap grew in every one of 3 repetitions of the scenario"), message);
        String path = "static NoGrowthTest.LEAKED → ArrayList.elementData → Object[*] → " + Leaked.class.getName();
        assertTrue(message.contains("+250 +250 +250") && message.contains(path), message);
        assertEquals(4, KeptDumps.in(dumps).size(), "the dumps of a failed check are kept: " + message);
        assertTrue(e.dump().isPresent());
    }

    @Test
    void aCacheThatStaysFullAndAScenarioThatOnlyMakesGarbagePass() throws IOException {
        HeapAssertions.assertNoGrowth(() -> {
            for (int i = 0; i < 100; i++) {
                CACHE.put(next++, new byte[32]);
            }
        }, 3);
        HeapAssertions.assertNoGrowth(() -> {
            StringBuilder garbage = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                garbage.append(i);
            }
        }, 3);
        assertEquals(List.of(), KeptDumps.in(dumps), "a passing check keeps no dump");
    }

    @Test
    void fewerThanTwoRepetitionsIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HeapAssertions.assertNoGrowth(() -> { }, 1));
        assertEquals("iterations must be at least 2 (three dumps to compare), not 1", e.getMessage());
    }
}

package dev.heaplens.leaks;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.ref.Reference;
import java.lang.ref.SoftReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HeapAssertions} counted in live dumps of this JVM: exact counts, subclasses included, soft
 * references not counted, the class found by identity, and paths to the three instances retaining most;
 * {@code assertNoGrowth}: a leak into a static list fails naming that path with its exact growth per
 * repetition, while a cache that fills during the warm-up and stays full passes, and so does a scenario
 * that only makes garbage (the check's own dumps grow nothing).
 */
class HeapAssertionsTest {
    private static final int LEAKED_PER_RUN = 250;

    @TempDir
    Path dumps;

    /** Instances kept on purpose; emptied after each test. */
    static final List<Object> KEPT = new ArrayList<>();

    static class Gadget {
        final byte[] payload;

        Gadget(int size) {
            payload = new byte[size];
        }
    }

    static final class SpecialGadget extends Gadget {
        SpecialGadget() {
            super(8);
        }
    }

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

    /** Never instantiated, except reflectively from another class loader. */
    public static final class Lonely {
    }

    @BeforeEach
    void dumpsHere() {
        System.setProperty(LeakCheckOptions.DUMP_DIRECTORY_KEY, dumps.toString());
    }

    @AfterEach
    void forget() {
        System.clearProperty(LeakCheckOptions.DUMP_DIRECTORY_KEY);
        KEPT.clear();
        LEAKED.clear();
        CACHE.clear();
    }

    private List<Path> dumpFiles() throws IOException {
        return KeptDumps.in(dumps);
    }

    private static void makeAndDrop(int n) {
        for (int i = 0; i < n; i++) {
            new Gadget(16).payload[0] = 1;
        }
    }

    @Test
    void noInstancesHoldsWhenAllWereDroppedAndLeavesNoDump() throws IOException {
        makeAndDrop(100);
        HeapAssertions.assertNoInstances(Gadget.class, Lonely.class);
        HeapAssertions.assertInstanceCount(Gadget.class, 0);
        assertEquals(List.of(), dumpFiles());
    }

    @Test
    void aFailureCountsExactlyAndTracesTheThreeInstancesRetainingMost() throws IOException {
        for (int size : new int[] {300, 100, 500, 200, 400}) {
            KEPT.add(new Gadget(size));
        }
        LeakAssertionError e = assertThrows(LeakAssertionError.class, () -> HeapAssertions.assertNoInstances(Gadget.class));
        String m = e.getMessage();
        assertTrue(m.startsWith("Expected no instances of " + Gadget.class.getName()
                + " (subclasses included), found 5 strongly reachable ("), m);
        assertTrue(m.contains("; paths to the 3 retaining most follow.\n"), m);
        assertEquals(3, e.traces().size());
        long[] retained = e.traces().stream().mapToLong(t -> t.leaked().retainedSize()).toArray();
        // payloads of 500, 400 and 300 bytes, with their headers and the Gadget itself
        assertTrue(retained[0] > retained[1] && retained[1] > retained[2] && retained[2] > 300, m);
        for (int i = 0; i < 3; i++) {
            LeakTrace t = e.traces().get(i);
            assertEquals("instance " + (i + 1) + " of 5 of " + Gadget.class.getName(), t.description());
            assertTrue(t.path().toString().contains("static HeapAssertionsTest.KEPT"), t.toString());
            assertTrue(m.contains(t.toString()), m);
        }
        assertEquals(List.of(e.dump().orElseThrow()), dumpFiles());
        assertTrue(e.dump().orElseThrow().getFileName().toString().startsWith("instance-check-"));
    }

    @Test
    void instanceCountAllowsUpToItsMaximumAndCountsSubclasses() {
        KEPT.add(new Gadget(8));
        KEPT.add(new SpecialGadget());
        HeapAssertions.assertInstanceCount(Gadget.class, 2);
        HeapAssertions.assertInstanceCount(SpecialGadget.class, 1);
        LeakAssertionError e = assertThrows(LeakAssertionError.class, () -> HeapAssertions.assertInstanceCount(Gadget.class, 1));
        assertTrue(e.getMessage().startsWith("Expected at most 1 instance of " + Gadget.class.getName()
                + " (subclasses included), found 2 strongly reachable ("), e.getMessage());
        assertEquals(2, e.traces().size());
    }

    private static SoftReference<Gadget> softGadget() {
        return new SoftReference<>(new Gadget(64));
    }

    @Test
    void instancesHeldOnlyBySoftReferencesAreMentionedNotCounted() {
        SoftReference<Gadget> soft = softGadget();
        KEPT.add(new Gadget(8));
        LeakAssertionError e = assertThrows(LeakAssertionError.class, () -> HeapAssertions.assertNoInstances(Gadget.class));
        assertTrue(soft.get() != null, "the JVM cleared the soft reference: this run did not exercise the case");
        assertTrue(e.getMessage().contains("found 1 strongly reachable (")
                && e.getMessage().contains("(and 1 held only through soft, weak or final references, not counted)"), e.getMessage());
        Reference.reachabilityFence(soft);
    }

    @Test
    void aClassOfTheSameNameFromAnotherLoaderIsAnotherClass() throws Exception {
        URL testClasses = Lonely.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {testClasses}, null)) {
            Class<?> otherLonely = isolated.loadClass(Lonely.class.getName());
            assertNotSame(Lonely.class, otherLonely);
            KEPT.add(otherLonely.getConstructor().newInstance());

            HeapAssertions.assertNoInstances(Lonely.class);
            LeakAssertionError e = assertThrows(LeakAssertionError.class, () -> HeapAssertions.assertNoInstances(otherLonely));
            assertTrue(e.getMessage().contains("found 1 strongly reachable"), e.getMessage());
        }
    }

    @Test
    void interfacesAndPrimitivesCannotBeCounted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HeapAssertions.assertNoInstances(Runnable.class));
        assertTrue(e.getMessage().startsWith("java.lang.Runnable is an interface"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HeapAssertions.assertInstanceCount(int.class, 0));
        assertThrows(IllegalArgumentException.class, () -> HeapAssertions.assertInstanceCount(Gadget.class, -1));
        assertThrows(IllegalArgumentException.class, HeapAssertions::assertNoInstances);
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
        String path = "static HeapAssertionsTest.LEAKED → ArrayList.elementData → Object[*] → " + Leaked.class.getName();
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

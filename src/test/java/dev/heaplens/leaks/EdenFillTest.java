package dev.heaplens.leaks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Filling eden makes a young collection, and nothing more, under each stop-the-world generational
 * collector; a concurrent collector gets no fill.
 */
class EdenFillTest {
    private static final Pattern FILLED = Pattern.compile("filled (\\d+) MB, collections (\\d+) -> (\\d+), cleared (true|false)");

    @ParameterizedTest
    @ValueSource(strings = {"-XX:+UseSerialGC", "-XX:+UseParallelGC", "-XX:+UseG1GC"})
    void aFillCollectsEdenOnceAndClearsTheWeakReferenceToAYoungObject(String collector) throws IOException, InterruptedException {
        ChildProgram child = ChildProgram.run(System.getProperty("java.class.path"), List.of("-Xmx256m", collector), 120,
                EdenFillProbe.class);
        String out = child.output();
        assertEquals(0, child.exitCode(), out);
        Matcher m = FILLED.matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Long.parseLong(m.group(1)) >= 0, out);
        assertEquals(Long.parseLong(m.group(2)) + 1, Long.parseLong(m.group(3)), out);
        assertEquals("true", m.group(4), out);
    }

    @Test
    void aConcurrentCollectorHasNoFill() throws IOException, InterruptedException {
        ChildProgram child = ChildProgram.run(System.getProperty("java.class.path"), List.of("-Xmx256m", "-XX:+UseZGC"), 120,
                EdenFillProbe.class);
        assertEquals(0, child.exitCode(), child.output());
        assertEquals("no eden fill", child.output().strip());
    }

    @Test
    void withSystemGcDisabledTheFirstCheckFillsEdenInsteadOfWaitingOutItsTimeout() throws IOException, InterruptedException {
        ChildProgram child = ChildProgram.run(System.getProperty("java.class.path"), List.of("-Xmx256m", "-XX:+DisableExplicitGC"), 120,
                EdenFillProbe.class, "rounds");
        String out = child.output();
        assertEquals(0, child.exitCode(), out);
        // the first check of a JVM starts with System.gc() (its costs know nothing yet), finds it did
        // nothing, and fills eden in the same round
        assertTrue(out.startsWith("done true, collections 1, ") || out.startsWith("done true, collections 2, "), out);
        assertTrue(out.strip().endsWith("System.gc() disabled"), out);
    }

    @Test
    void inThisJvmAFillIsAYoungCollectionNotAFullOne() {
        EdenFill eden = EdenFill.forThisJvm().orElseThrow();
        long full = fullCollections();
        long before = eden.collections();
        EdenFill.Filled filled = eden.untilCollected(2 * eden.freeBytes() + (8 << 20), Long.MAX_VALUE);
        assertTrue(filled.collected(), filled.toString());
        assertTrue(eden.collections() > before);
        assertEquals(full, fullCollections(), "a fill of " + filled + " made a full collection");
    }

    @Test
    void aFillWithNoBudgetOrNoTimeAllocatesNothing() {
        EdenFill eden = EdenFill.forThisJvm().orElseThrow();
        assertEquals(new EdenFill.Filled(false, 0, 0, 0), zeroTime(eden.untilCollected(0, Long.MAX_VALUE)));
        assertEquals(new EdenFill.Filled(false, 0, 0, 0), zeroTime(eden.untilCollected(Long.MAX_VALUE, 0)));
    }

    private static EdenFill.Filled zeroTime(EdenFill.Filled f) {
        return new EdenFill.Filled(f.collected(), f.bytes(), 0, f.pauseNanos());
    }

    /** Full collections of this JVM, under whichever of the three collectors it runs. */
    static long fullCollections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(c -> List.of("G1 Old Generation", "PS MarkSweep", "MarkSweepCompact").contains(c.getName()))
                .mapToLong(GarbageCollectorMXBean::getCollectionCount)
                .sum();
    }
}

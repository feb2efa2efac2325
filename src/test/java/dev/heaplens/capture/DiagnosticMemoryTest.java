package dev.heaplens.capture;

import dev.heaplens.fixtures.CaptureWorkload;
import dev.heaplens.testing.ChildJvm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ProcessMemory#of(long)} of a child JVM reads through the attach listener what {@code jcmd}
 * prints: every pool and NMT figure is found, in the command's own unit, in the output of the JDK's
 * {@code jcmd} run just after, for each collector and on JDK 17 and 25.
 */
class DiagnosticMemoryTest {
    /**
     * NMT categories that the diagnostic commands themselves move between two readings: the attach
     * listener's stack pages ({@code Thread}), its arenas and buffers ({@code Arena Chunk},
     * {@code Internal}, {@code Symbol}, JDK 25's {@code Serviceability}) and NMT's own bookkeeping. Checked to within {@link #NMT_SLACK}.
     */
    private static final Set<String> MOVED_BY_READING = Set.of("Thread", "Arena Chunk", "Internal", "Symbol",
            "Native Memory Tracking", "Other", "Compiler", "Serviceability");
    private static final long NMT_SLACK = 512 << 10;

    @ParameterizedTest(name = "{0} on JDK {1} {2}")
    @CsvSource({"G1, 17, ''", "Parallel, 17, ''", "Serial, 17, ''", "Z, 17, ''", "Shenandoah, 17, ''", "G1, 25, ''",
            "Parallel, 25, ''", "Serial, 25, ''", "Z, 25, ''", "Shenandoah, 25, ''",
            "G1, 17, -XX:-SegmentedCodeCache -XX:-UseCompressedClassPointers",
            "G1, 25, -XX:-SegmentedCodeCache -XX:+UseCompactObjectHeaders"})
    void everyFigureIsWhatJcmdPrints(String collector, int jdk, String more) throws Exception {
        Path home = jdk == 25 ? ChildJvm.JDK25 : ChildJvm.currentJavaHome();
        Assumptions.assumeTrue(Files.isExecutable(home.resolve("bin/java")), "no JDK " + jdk + " at " + home);
        List<String> flags = new ArrayList<>(List.of("-Xmx64m", "-XX:+Use" + collector + "GC"));
        if (!more.isBlank()) {
            flags.addAll(List.of(more.split(" ")));
        }
        if (!collector.equals("Z")) {
            flags.add("-XX:NativeMemoryTracking=summary"); // ZGC's NMT figures move by themselves
        }
        try (ChildJvm child = ChildJvm.start(home, CaptureWorkload.class, flags)) {
            String failure = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                ProcessMemory m = ProcessMemory.of(child.pid());
                failure = mismatch(m, child);
                if (failure == null) {
                    assertEquals(ProcessMemory.Source.DIAGNOSTIC_COMMANDS, m.source());
                    assertEquals(List.of(ProcessMemory.NO_BUFFER_POOLS), m.notes());
                    assertFalse(m.bufferPoolsKnown());
                    assertEquals(!more.contains("-UseCompressedClassPointers"), m.pool("Compressed Class Space").isPresent(), m.toString());
                    assertEquals(more.contains("-SegmentedCodeCache"), m.pool("CodeCache").isPresent(), m.toString());
                    assertTrue(m.pools().stream().anyMatch(MemoryPool::heap) && m.pool("Metaspace").isPresent()
                            && m.pools().stream().anyMatch(p -> p.name().startsWith("Code")), m.toString());
                    assertTrue(m.heapCommitted() >= m.heapUsed() && m.heapUsed() > 0, m.toString());
                    assertTrue(m.resident().available(), m.toString());
                    assertTrue(m.toString().contains(ProcessMemory.NO_BUFFER_POOLS), m.toString());
                    assertEquals(!collector.equals("Z"), m.nativeMemory().tracked(), m.nativeMemory().toString());
                    return;
                }
            }
            throw new AssertionError(failure);
        }
    }

    /** What in {@code m} jcmd does not print, or {@code null}. */
    private static String mismatch(ProcessMemory m, ChildJvm child) throws Exception {
        String heapInfo = child.jcmd("GC.heap_info");
        String metaspace = child.jcmd("VM.metaspace", "scale=1");
        String codeCache = child.jcmd("Compiler.codecache");
        for (MemoryPool p : m.pools()) {
            if (p.heap()) {
                String line = heapInfo.lines().filter(l -> l.strip().startsWith(p.name())).findFirst().orElse("");
                String expected = switch (p.name()) {
                    case "Shenandoah Heap" -> inUnit(p.committed(), "K") + " committed, " + inUnit(p.used(), "K") + " used";
                    case "ZHeap" -> "used " + inUnit(p.used(), "M") + ", capacity " + inUnit(p.committed(), "M");
                    default -> (line.contains("committed ") ? "committed " : "total ") + inUnit(p.committed(), "K")
                            + ", used " + inUnit(p.used(), "K");
                };
                if (!(p.name().equals("Shenandoah Heap") ? heapInfo : line).contains(expected)) {
                    return "heap pool " + p + " is not what GC.heap_info prints (" + expected + "):\n" + heapInfo;
                }
            } else if (p.name().startsWith("Code")) {
                String prefix = p.name() + ": size=" + (p.max() >> 10) + "Kb";
                if (codeCache.lines().noneMatch(l -> l.startsWith(prefix) && l.replace(",", "").contains(" used=" + (p.used() >> 10) + "Kb"))) {
                    return "code heap " + p + " is not what Compiler.codecache prints:\n" + codeCache;
                }
            } else if (!metaspace.contains(" " + p.used() + " bytes") || !metaspace.contains(" " + p.committed() + " bytes")) {
                return "pool " + p + " is not what VM.metaspace scale=1 prints:\n" + metaspace;
            }
        }
        NativeMemory nmt = m.nativeMemory();
        if (nmt.tracked()) {
            String summary = child.jcmd("VM.native_memory", "summary", "scale=b");
            NativeMemory jcmd = NativeMemory.parse(NativeMemory.Tracking.SUMMARY, summary);
            for (NativeCategory c : nmt.categories()) {
                String line = "- " + c.name() + " (reserved=" + c.reserved() + ", committed=" + c.committed(); // JDK 25 adds ", readonly=0"
                boolean exact = summary.lines().map(l -> l.replaceAll("-\\s+", "- ")).anyMatch(l -> l.strip().startsWith(line));
                NativeCategory now = jcmd.category(c.name()).orElse(null);
                boolean close = MOVED_BY_READING.contains(c.name()) && now != null
                        && Math.abs(now.committed() - c.committed()) <= NMT_SLACK && Math.abs(now.reserved() - c.reserved()) <= NMT_SLACK;
                if (!exact && !close) {
                    return "NMT category " + c + " is not what VM.native_memory prints:\n" + summary;
                }
            }
        }
        return null;
    }

    private static String inUnit(long bytes, String unit) {
        return (unit.equals("M") ? bytes >> 20 : bytes >> 10) + unit;
    }
}

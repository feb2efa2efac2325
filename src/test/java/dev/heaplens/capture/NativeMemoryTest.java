package dev.heaplens.capture;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parsing NMT summaries as JDK 17 and JDK 25 print them (excerpts of real {@code VM.native_memory
 * summary} output, their totals made those of the excerpt; {@code RemoteCaptureTest} reads whole ones from live JVMs of both releases and
 * checks that the categories add up to the total).
 */
class NativeMemoryTest {
    /** JDK 17, scale=b: the Total line and three categories with their detail lines. */
    static final String JDK17 = """
            30232:

            Native Memory Tracking:

            Total: reserved=1141035535, committed=67424783
                   malloc: 8471870 #5146
                   mmap:   reserved=1534394368, committed=124628992

            -                 Java Heap (reserved=67108864, committed=67108864)
                                        (mmap: reserved=67108864, committed=67108864)\s
            \s
            -                     Class (reserved=1073833519, committed=222767)
                                        (classes #656)
                                        (  instance classes #552, array classes #104)
                                        (malloc=91695 #872) (at peak)\s
                                        (  Metadata:   )
                                        (    reserved=67108864, committed=393216)
            \s
            -    Native Memory Tracking (reserved=93152, committed=93152)
                                        (malloc=10816 #172) (at peak)\s
                                        (tracking overhead=82336)
            """;

    /** JDK 25, scale=b: details differ (tags, peaks, readonly=), the category lines do not. */
    static final String JDK25 = """
            30379:

            Native Memory Tracking:

            Total: reserved=102821360, committed=82275824
                   malloc: 7688419 #5920, peak=7581864 #5922
                   mmap:   reserved=1532170240, committed=125456384

            -                 Java Heap (reserved=67108864, committed=67108864)
                                        (mmap: reserved=67108864, committed=67108864, at peak)

            -        Shared class space (reserved=16777312, committed=14241888, readonly=0)
                                        (malloc=96 tag=Shared class space #2) (at peak)

            -                    Thread (reserved=18934584, committed=924472)
                                        (threads #18)
                                        (stack: reserved=18874368, committed=864256, peak=864256)

            -          Object Monitors (reserved=600, committed=600)
                                        (malloc=600 tag=Object Monitors #3) (at peak)
            """;

    @Test
    void jdk17SummaryInBytes() {
        NativeMemory nmt = NativeMemory.parse(NativeMemory.Tracking.SUMMARY, JDK17);
        assertEquals(List.of(new NativeCategory("Java Heap", 67108864, 67108864), new NativeCategory("Class", 1073833519, 222767),
                new NativeCategory("Native Memory Tracking", 93152, 93152)), nmt.categories());
        assertEquals(1141035535, nmt.totalReserved());
        assertEquals(67424783, nmt.totalCommitted());
        assertEquals(nmt.totalReserved(), nmt.categories().stream().mapToLong(NativeCategory::reserved).sum());
        assertEquals(nmt.totalCommitted(), nmt.categories().stream().mapToLong(NativeCategory::committed).sum());
    }

    @Test
    void jdk25SummaryInBytes() {
        NativeMemory nmt = NativeMemory.parse(NativeMemory.Tracking.DETAIL, JDK25);
        assertEquals(NativeMemory.Tracking.DETAIL, nmt.tracking());
        assertEquals(List.of("Java Heap", "Shared class space", "Thread", "Object Monitors"),
                nmt.categories().stream().map(NativeCategory::name).toList());
        assertEquals(new NativeCategory("Shared class space", 16777312, 14241888), nmt.category("Shared class space").orElseThrow());
        assertEquals(nmt.totalReserved(), nmt.categories().stream().mapToLong(NativeCategory::reserved).sum());
        assertEquals(nmt.totalCommitted(), nmt.categories().stream().mapToLong(NativeCategory::committed).sum());
        String table = nmt.toString();
        assertTrue(table.startsWith("native memory (NMT)"), table);
        assertTrue(table.contains("total: reserved 102,821,360 bytes, committed 82,275,824 bytes (78.5 MB)"), table);
    }

    @Test
    void otherScalesAreConverted() {
        NativeMemory nmt = NativeMemory.parse(NativeMemory.Tracking.SUMMARY, """
                Native Memory Tracking:

                (Omitting categories weighting less than 1KB)

                Total: reserved=1503770KB, committed=130026KB
                -                 Java Heap (reserved=65536KB, committed=65536KB)
                """);
        assertEquals(1503770L * 1024, nmt.totalReserved());
        assertEquals(new NativeCategory("Java Heap", 64L << 20, 64L << 20), nmt.categories().get(0));
    }

    @Test
    void offAndUnreadable() {
        NativeMemory off = NativeMemory.parse(NativeMemory.Tracking.SUMMARY, "Native memory tracking is not enabled\n");
        assertEquals(NativeMemory.Tracking.OFF, off.tracking());
        assertEquals("NMT off: start the JVM with -XX:NativeMemoryTracking=summary\n", off.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NativeMemory.parse(NativeMemory.Tracking.SUMMARY, "Unknown diagnostic command\n"));
        assertEquals("not an NMT summary (no 'Total:' line): Unknown diagnostic command", e.getMessage());
    }
}

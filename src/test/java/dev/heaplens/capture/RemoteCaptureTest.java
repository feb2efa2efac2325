package dev.heaplens.capture;

import dev.heaplens.Heap;
import dev.heaplens.HeapOptions;
import dev.heaplens.Snapshot;
import dev.heaplens.analysis.Histogram;
import dev.heaplens.fixtures.CaptureWorkload;
import dev.heaplens.graph.VmLayout;
import dev.heaplens.testing.ChildJvm;
import dev.heaplens.testing.DumpRequestObjects;
import dev.heaplens.testing.HistogramComparison;
import dev.heaplens.testing.JcmdHistogram;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Capturing another JVM by pid, checked against that JVM's own view: the sidecar's VM options equal
 * {@code jcmd VM.flags}, the marker class has its known count, the NMT categories add up to NMT's
 * total, and heaplens' histogram of the dump equals {@code jcmd GC.class_histogram} class by class.
 *
 * <p>A dump taken through JMX holds the dump request in flight (its arguments, streams and RMI call,
 * held by the frames serving it); no histogram taken before or after the dump can. The comparison
 * leaves out exactly those objects, found by reachability in the dump ({@link DumpRequestObjects}),
 * and checks they are few. The children run with {@code -Xshare:off} (see
 * {@code JvmHistogramExactnessTest}), interpreted ({@code -Xint}: the JIT resolves string literals
 * when it compiles the code serving JMX calls, so a busy JIT grows the heap between two histograms),
 * with {@code sun.reflect.noInflation} (JDK 17 generates reflection accessors after 15 calls, also
 * between two histograms), without method handle customization (JDK 25's reflection spins a
 * class for a method handle after 127 calls), and keeping soft references (a full GC may clear
 * them between two histograms).
 */
class RemoteCaptureTest {
    /** Flags that keep a child still while JMX requests are served. */
    static final List<String> QUIET = List.of("-Xmx64m", "-Xshare:off", "-Xint", "-Dsun.reflect.noInflation=true",
            "-XX:SoftRefLRUPolicyMSPerMB=10000000", "-Djava.lang.invoke.MethodHandle.CUSTOMIZE_THRESHOLD=-1");

    @TempDir
    Path temp;

    @Test
    void compressedOopsWithNativeMemoryTrackingOnJdk17() throws Exception {
        Snapshot s = captureExactly(ChildJvm.currentJavaHome(), List.of("-XX:+UseCompressedOops", "-XX:NativeMemoryTracking=summary"));
        assertTrue(s.jvm().compressedOops());
        assertEquals("summary", s.jvm().nativeMemoryTracking());
        assertNativeMemoryAddsUp(s.memory().nativeMemory(), NativeMemory.Tracking.SUMMARY);
    }

    @Test
    void uncompressedOopsWithoutNativeMemoryTrackingOnJdk17() throws Exception {
        Snapshot s = captureExactly(ChildJvm.currentJavaHome(), List.of("-XX:-UseCompressedOops"));
        assertFalse(s.jvm().compressedOops());
        assertEquals(NativeMemory.Tracking.OFF, s.memory().nativeMemory().tracking());
        assertTrue(s.memory().toString().contains("NMT off: start the JVM with -XX:NativeMemoryTracking=summary"), s.memory().toString());
        assertTrue(s.memory().heapCommitted() > 0 && s.memory().resident().residentBytes() > s.memory().heapUsed(), s.memory().toString());
        theSidecarLayoutWinsOverInferenceAndLosesToAnExplicitOne(s);
    }

    @Test
    void compactObjectHeadersWithNativeMemoryTrackingOnJdk25() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(ChildJvm.JDK25.resolve("bin/java")), "JDK 25 is not installed at " + ChildJvm.JDK25);
        Snapshot s = captureExactly(ChildJvm.JDK25, List.of("-XX:+UseCompactObjectHeaders", "-XX:NativeMemoryTracking=summary"));
        assertEquals(Boolean.TRUE, s.jvm().compactObjectHeaders());
        assertEquals(25, s.jvm().javaFeature());
        assertTrue(s.layout().compactObjectHeaders());
        assertNativeMemoryAddsUp(s.memory().nativeMemory(), NativeMemory.Tracking.SUMMARY);
    }

    /** Captures a child running {@link CaptureWorkload} with {@code flags} and checks everything against the child. */
    private Snapshot captureExactly(Path javaHome, List<String> flags) throws Exception {
        List<String> vmFlags = new ArrayList<>(QUIET);
        vmFlags.addAll(flags);
        try (ChildJvm child = ChildJvm.start(javaHome, CaptureWorkload.class, vmFlags);
             JvmConnection jvm = JvmConnection.attach(child.pid())) {
            // first captures load and resolve what serving the requests needs, once
            for (int i = 0; i < 2; i++) {
                Snapshot warmUp = Snapshot.take(jvm, CaptureOptions.defaults().in(temp), null);
                Files.delete(warmUp.dump());
                Files.delete(warmUp.sidecar());
            }
            Snapshot[] taken = new Snapshot[1];
            Map<String, JcmdHistogram.Entry> histogram = HistogramComparison.aroundDump(child,
                    () -> taken[0] = Snapshot.take(jvm, CaptureOptions.defaults().in(temp), "exact"));
            Snapshot s = taken[0];

            assertEquals(s, Snapshot.read(s.dump()), "the sidecar reads back as written");
            assertEquals(child.pid(), s.jvm().pid());
            assertEquals("exact", s.label());
            Map<String, String> childFlags = child.vmFlags();
            assertEquals(childFlags.get("UseCompressedOops"), Boolean.toString(s.jvm().compressedOops()));
            assertEquals(childFlags.get("UseCompressedClassPointers"), Boolean.toString(s.jvm().compressedClassPointers()));
            assertEquals(childFlags.get("ObjectAlignmentInBytes"), Integer.toString(s.jvm().objectAlignmentInBytes()));
            assertEquals(childFlags.get("NativeMemoryTracking"), s.jvm().nativeMemoryTracking());
            assertEquals(childFlags.get("UseCompactObjectHeaders"),
                    s.jvm().compactObjectHeaders() == null ? null : s.jvm().compactObjectHeaders().toString());

            BufferPool direct = s.memory().bufferPool("direct").orElseThrow();
            assertTrue(direct.count() >= CaptureWorkload.DIRECT_BUFFERS
                    && direct.capacity() >= (long) CaptureWorkload.DIRECT_BUFFERS * CaptureWorkload.DIRECT_BUFFER_BYTES, direct.toString());

            try (Heap heap = Heap.open(s.dump())) {
                assertEquals(s.layout(), heap.graph().layout(), "Heap.open takes the layout from the sidecar");
                assertEquals(s, heap.snapshot().orElseThrow());
                assertEquals(CaptureWorkload.MARKERS, heap.instancesOf(CaptureWorkload.Marker.class.getName()).size());
                RoaringBitmap inFlight = DumpRequestObjects.of(heap.graph());
                Histogram request = Histogram.of(heap.graph(), inFlight::contains);
                assertTrue(inFlight.getCardinality() > 0 && request.totalBytes() < 64 << 10,
                        "the dump request in flight is a few kilobytes:\n" + request);
                assertTrue(request.row("java.lang.String").count() > 0, "its file name, at least:\n" + request);
                assertEquals(0, HistogramComparison.of(heap, histogram).missingMirrors(), "with -Xshare:off every mirror is dumped");
                assertEquals(Map.of(), HistogramComparison.mismatchesAround(heap, histogram, inFlight),
                        "classes whose count or bytes differ from jcmd GC.class_histogram (heaplens vs jvm), " + javaHome + " "
                        + flags + "; the request in flight was:\n" + request);
            }
            return s;
        }
    }

    private static void assertNativeMemoryAddsUp(NativeMemory nmt, NativeMemory.Tracking tracking) {
        assertEquals(tracking, nmt.tracking(), String.valueOf(nmt.problem()));
        assertTrue(nmt.categories().size() > 10, nmt.toString());
        assertEquals(nmt.totalReserved(), nmt.categories().stream().mapToLong(NativeCategory::reserved).sum(), nmt.toString());
        assertEquals(nmt.totalCommitted(), nmt.categories().stream().mapToLong(NativeCategory::committed).sum(), nmt.toString());
        assertEquals(64L << 20, nmt.category("Java Heap").orElseThrow().reserved(), "NMT reserves -Xmx64m for the heap");
    }

    /**
     * The child runs with -XX:-UseCompressedOops and a 64 MB heap, where inference (address span below
     * 32 GB) would say compressed oops: the sidecar must win over inference, and an explicit layout over
     * the sidecar.
     */
    private void theSidecarLayoutWinsOverInferenceAndLosesToAnExplicitOne(Snapshot s) throws Exception {
        long fromSidecar;
        try (Heap heap = Heap.open(s.dump())) {
            assertFalse(heap.graph().layout().compressedOops());
            assertEquals(8, heap.graph().layout().referenceBytes());
            assertTrue(heap.toString().contains("(from the snapshot metadata)"), heap.toString());
            fromSidecar = heap.histogram().row("java.lang.Object[]").shallowBytes();
        }
        Path bare = Files.createDirectory(temp.resolve("bare")).resolve("copy.hprof");
        Files.copy(s.dump(), bare);
        long inferred;
        try (Heap heap = Heap.open(bare)) {
            assertTrue(heap.graph().layout().compressedOops(), "without a sidecar a small heap is inferred compressed");
            assertTrue(heap.snapshot().isEmpty());
            assertTrue(heap.toString().contains("(inferred)"), heap.toString());
            inferred = heap.histogram().row("java.lang.Object[]").shallowBytes();
        }
        assertTrue(fromSidecar > inferred, "8-byte references make arrays of references larger: " + fromSidecar + " vs " + inferred);
        try (Heap heap = Heap.open(s.dump(), HeapOptions.defaults().layout(VmLayout.compressed()))) {
            assertTrue(heap.graph().layout().compressedOops(), "an explicit layout wins over the sidecar");
            assertEquals(inferred, heap.histogram().row("java.lang.Object[]").shallowBytes());
            assertTrue(heap.snapshot().isPresent());
        }
        // a sidecar whose dump changed since is not trusted
        Path changed = temp.resolve("bare").resolve("changed.hprof");
        Files.copy(s.dump(), changed);
        Files.copy(s.sidecar(), Snapshot.sidecarOf(changed));
        Files.write(changed, new byte[] {0}, StandardOpenOption.APPEND);
        try (Heap heap = Heap.open(changed, HeapOptions.defaults().lenient(true))) {
            assertTrue(heap.snapshot().isEmpty());
            assertTrue(heap.graph().layout().compressedOops());
            assertTrue(heap.warnings().get(0).startsWith("ignored " + Snapshot.sidecarOf(changed) + ": it describes a dump of "),
                    heap.warnings().toString());
        }
        assertNotEquals(fromSidecar, inferred);
    }
}

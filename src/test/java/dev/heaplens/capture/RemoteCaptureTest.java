package dev.heaplens.capture;

import dev.heaplens.Heap;
import dev.heaplens.HeapOptions;
import dev.heaplens.Snapshot;
import dev.heaplens.analysis.Histogram;
import dev.heaplens.analysis.HistogramRow;
import dev.heaplens.graph.HeapInstance;
import dev.heaplens.graph.HeapObject;
import dev.heaplens.fixtures.CaptureWorkload;
import dev.heaplens.graph.VmLayout;
import dev.heaplens.testing.ChildJvm;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Capturing another JVM by pid through its attach listener leaves it as it found it. Each capture is
 * checked against the child's own view, taken from outside with the JDK's {@code jcmd}: heaplens'
 * histogram of the dump equals {@code GC.class_histogram} taken just before, class by class, count and
 * bytes, with nothing excused; the child's threads ({@code Thread.print}) and loaded classes
 * ({@code VM.class_hierarchy}) are the same after three captures as before the first, with no JMX
 * agent thread or class among them; the sidecar's VM options equal {@code VM.flags}. (Not
 * {@code ManagementAgent.status}: that command runs Java code in the target, which loads
 * {@code jdk.internal.agent.Agent}.)
 *
 * <p>The children run with {@code -Xshare:off} (with class data sharing the JVM counts archived
 * {@code Class} mirrors the dumper leaves out, see {@code JvmHistogramExactnessTest}) and keep soft
 * references (a full GC may clear them between two histograms). Nothing else holds them still: no
 * Java code of theirs runs for heaplens, so neither the JIT nor reflection has anything to do.
 */
class RemoteCaptureTest {
    /** Flags that keep a child's heap comparable between two full collections. */
    static final List<String> STILL = List.of("-Xmx64m", "-Xshare:off", "-XX:SoftRefLRUPolicyMSPerMB=10000000");
    /** Threads of a JMX agent, any of which would mean heaplens started one. */
    private static final List<String> AGENT_THREADS = List.of("RMI TCP Accept", "RMI Scheduler", "JMX server connection timeout",
            "RMI TCP Connection");

    @TempDir
    Path temp;

    @Test
    void compressedOopsWithNativeMemoryTrackingOnJdk17() throws Exception {
        Snapshot s = captureThreeTimesExactly(ChildJvm.currentJavaHome(), List.of("-XX:+UseCompressedOops",
                "-XX:NativeMemoryTracking=summary"), false);
        assertTrue(s.jvm().compressedOops());
        assertEquals("summary", s.jvm().nativeMemoryTracking());
        assertNativeMemoryAddsUp(s.memory().nativeMemory(), NativeMemory.Tracking.SUMMARY);
    }

    @Test
    void uncompressedOopsWithoutNativeMemoryTrackingOnJdk17() throws Exception {
        Snapshot s = captureThreeTimesExactly(ChildJvm.currentJavaHome(), List.of("-XX:-UseCompressedOops"), false);
        assertFalse(s.jvm().compressedOops());
        assertEquals(NativeMemory.Tracking.OFF, s.memory().nativeMemory().tracking());
        assertTrue(s.memory().toString().contains("NMT off: start the JVM with -XX:NativeMemoryTracking=summary"), s.memory().toString());
        assertTrue(s.memory().heapCommitted() > 0 && s.memory().resident().residentBytes() > s.memory().heapUsed(), s.memory().toString());
        theSidecarLayoutWinsOverInferenceAndLosesToAnExplicitOne(s);
    }

    @Test
    void compactObjectHeadersWithNativeMemoryTrackingOnJdk25Gzipped() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(ChildJvm.JDK25.resolve("bin/java")), "JDK 25 is not installed at " + ChildJvm.JDK25);
        Snapshot s = captureThreeTimesExactly(ChildJvm.JDK25, List.of("-XX:+UseCompactObjectHeaders",
                "-XX:NativeMemoryTracking=summary"), true);
        assertEquals(Boolean.TRUE, s.jvm().compactObjectHeaders());
        assertEquals(25, s.jvm().javaFeature());
        assertTrue(s.layout().compactObjectHeaders());
        assertNativeMemoryAddsUp(s.memory().nativeMemory(), NativeMemory.Tracking.SUMMARY);
    }

    /** Without performance data the VM's name and versions come from {@code VM.version}, and the vendor is unknown. */
    @Test
    void aJvmWithoutPerformanceData() throws Exception {
        try (ChildJvm child = ChildJvm.start(ChildJvm.currentJavaHome(), CaptureWorkload.class, List.of("-Xmx64m", "-XX:-UsePerfData"));
             JvmConnection jvm = JvmConnection.attach(child.pid())) {
            JvmInfo info = jvm.info();
            assertEquals("unknown", info.vmVendor());
            assertEquals(System.getProperty("java.vm.name"), info.vmName());
            assertEquals(System.getProperty("java.vm.version"), info.vmVersion());
            assertEquals(System.getProperty("java.version"), info.javaVersion());
        }
    }

    /** HotSpot's command parser splits on spaces: a path with spaces or one kind of quote goes quoted. */
    @Test
    void aDirectoryWithSpacesAndQuotes() throws Exception {
        try (ChildJvm child = ChildJvm.start(ChildJvm.currentJavaHome(), CaptureWorkload.class, STILL)) {
            for (String name : new String[] {"my dumps", "\"quoted\" dumps", "it's here"}) {
                Path dir = Files.createDirectory(temp.resolve(name));
                Snapshot s = Heap.capture(child.pid(), CaptureOptions.defaults().gzip(true).in(dir));
                assertEquals(dir, s.dump().getParent());
                try (Heap heap = Heap.open(s.dump())) {
                    assertEquals(CaptureWorkload.MARKERS, heap.instancesOf(CaptureWorkload.Marker.class.getName()).size());
                }
            }
            Path both = Files.createDirectory(temp.resolve("it's \"both\""));
            CaptureException e = assertThrows(CaptureException.class, () -> Heap.capture(child.pid(), CaptureOptions.defaults().in(both)));
            assertEquals(CaptureException.Reason.UNWRITABLE, e.reason());
            assertTrue(e.getMessage().startsWith("cannot pass " + both.resolve("heaplens-" + child.pid())), e.getMessage());
            assertTrue(e.getMessage().endsWith(" to the JVM's diagnostic commands: it holds both kinds of quotes; choose another"
                    + " file name"), e.getMessage());
            try (Stream<Path> files = Files.list(both)) {
                assertEquals(0, files.count());
            }
        }
    }

    /**
     * On request, through the JMX agent: the snapshot has the NIO buffer pools, and the target keeps the
     * agent that the capture started, as documented.
     */
    @Test
    void throughJmxOnRequestWithBufferPoolsAndTheAgentLeftRunning() throws Exception {
        try (ChildJvm child = ChildJvm.start(ChildJvm.currentJavaHome(), CaptureWorkload.class, STILL)) {
            Snapshot s = Heap.capture(child.pid(), CaptureOptions.defaults().viaJmx().in(temp));
            assertEquals(ProcessMemory.Source.JMX, s.memory().source());
            BufferPool direct = s.memory().bufferPool("direct").orElseThrow();
            assertTrue(direct.count() >= CaptureWorkload.DIRECT_BUFFERS
                    && direct.capacity() >= (long) CaptureWorkload.DIRECT_BUFFERS * CaptureWorkload.DIRECT_BUFFER_BYTES, direct.toString());
            assertEquals(s, Snapshot.read(s.dump()));
            try (Heap heap = Heap.open(s.dump())) {
                assertEquals(CaptureWorkload.MARKERS, heap.instancesOf(CaptureWorkload.Marker.class.getName()).size());
            }
            assertTrue(child.jcmd("Thread.print").contains("\"RMI TCP Accept-0\""), "the agent stays in the target");
        }
    }

    /**
     * The one thing an attach request adds to a JVM that never had one: HotSpot starts its "Attach
     * Listener" thread, whose objects are then on the heap, as after a first {@code jcmd}: on JDK 17 its
     * {@code Thread}, {@code AccessControlContext}, blocker-lock {@code Object}, name {@code String}
     * and {@code byte[]}, 5 objects and 480 bytes with compressed oops. Nothing from outside can see the heap before the first request; the
     * dump shows what that thread retains, and the histogram just after shows nothing else came.
     */
    @Test
    void theFirstAttachRequestAddsOnlyTheAttachListenersThread() throws Exception {
        try (ChildJvm child = ChildJvm.start(ChildJvm.currentJavaHome(), CaptureWorkload.class, STILL)) {
            assertFalse(Files.exists(AttachListener.socketFile(child.pid())), "no attach request reached the child yet");
            Snapshot first = Heap.capture(child.pid(), CaptureOptions.defaults().in(temp));
            Map<String, JcmdHistogram.Entry> after = JcmdHistogram.parse(child.jcmd("GC.class_histogram"));
            try (Heap heap = Heap.open(first.dump())) {
                HeapObject listener = heap.instancesOf("java.lang.Thread").stream()
                        .filter(t -> t instanceof HeapInstance i && i.get("name") instanceof HeapInstance n
                                && "Attach Listener".equals(n.asString()))
                        .findFirst().orElseThrow();
                RoaringBitmap retained = heap.dominators().retainedSet(listener.index());
                Histogram own = Histogram.of(heap.graph(), retained::contains);
                // the thread, its inherited access control context, its blocker lock, its name
                assertEquals(List.of("byte[]", "java.lang.Object", "java.lang.String", "java.lang.Thread",
                                "java.security.AccessControlContext"),
                        own.rows().stream().map(HistogramRow::className).sorted().toList(),
                        "what the attach listener's thread holds:\n" + own);
                assertTrue(own.totalBytes() < 1024, own.toString());
                assertEquals(Map.of(), HistogramComparison.of(heap, after).mismatches(),
                        "the first dump against the histogram just after it");
            }
        }
    }

    /**
     * Captures a child running {@link CaptureWorkload} with {@code flags} three times, checking each
     * dump against the child's histogram and the child against itself before the first; returns the last.
     */
    private Snapshot captureThreeTimesExactly(Path javaHome, List<String> flags, boolean gzip) throws Exception {
        List<String> vmFlags = new ArrayList<>(STILL);
        vmFlags.addAll(flags);
        try (ChildJvm child = ChildJvm.start(javaHome, CaptureWorkload.class, vmFlags)) {
            // jcmd's first request starts HotSpot's attach listener, as heaplens' first would
            HistogramComparison.settle(child);
            Set<String> threads = threadNames(child);
            Set<String> classes = loadedClasses(child);
            assertTrue(threads.contains("Attach Listener"), threads.toString());
            Snapshot s = null;
            for (int capture = 1; capture <= 3; capture++) {
                Snapshot[] taken = new Snapshot[1];
                String label = "capture " + capture;
                Map<String, JcmdHistogram.Entry> histogram = HistogramComparison.aroundDump(child, () -> taken[0] =
                        Heap.capture(child.pid(), CaptureOptions.defaults().gzip(gzip).in(temp)));
                s = taken[0];
                assertEquals(gzip, s.gzip());
                assertEquals(gzip, s.dump().getFileName().toString().endsWith(".hprof.gz"), s.dump().toString());
                try (Heap heap = Heap.open(s.dump())) {
                    assertEquals(s.layout(), heap.graph().layout(), "Heap.open takes the layout from the sidecar");
                    assertEquals(s, heap.snapshot().orElseThrow());
                    assertEquals(CaptureWorkload.MARKERS, heap.instancesOf(CaptureWorkload.Marker.class.getName()).size());
                    HistogramComparison comparison = HistogramComparison.of(heap, histogram);
                    assertEquals(0, comparison.missingMirrors(), "with -Xshare:off every mirror is dumped");
                    assertEquals(Map.of(), comparison.mismatches(), "classes whose count or bytes differ from jcmd"
                            + " GC.class_histogram (heaplens vs jvm), " + label + ", " + javaHome + " " + flags);
                }
                assertEquals(threads, threadNames(child), "the child's threads after " + label);
                assertSameClasses(classes, loadedClasses(child), label);
                try (Stream<Path> files = Files.list(temp)) {
                    assertEquals(2 * capture, files.count(), "each capture writes its dump and sidecar, and nothing else");
                }
            }
            assertEquals(s, Snapshot.read(s.dump()), "the sidecar reads back as written");
            assertEquals(child.pid(), s.jvm().pid());
            Map<String, String> childFlags = child.vmFlags();
            assertEquals(childFlags.get("UseCompressedOops"), Boolean.toString(s.jvm().compressedOops()));
            assertEquals(childFlags.get("UseCompressedClassPointers"), Boolean.toString(s.jvm().compressedClassPointers()));
            assertEquals(childFlags.get("ObjectAlignmentInBytes"), Integer.toString(s.jvm().objectAlignmentInBytes()));
            assertEquals(childFlags.get("NativeMemoryTracking"), s.jvm().nativeMemoryTracking());
            assertEquals(childFlags.get("UseCompactObjectHeaders"),
                    s.jvm().compactObjectHeaders() == null ? null : s.jvm().compactObjectHeaders().toString());
            String version = child.jcmd("VM.version");
            assertTrue(version.contains(s.jvm().vmName() + " version " + s.jvm().vmVersion()), version + " vs " + s.jvm());
            assertTrue(version.contains("JDK " + s.jvm().javaVersion()), version + " vs " + s.jvm());
            assertEquals(ChildJvm.release(javaHome, "IMPLEMENTOR"), s.jvm().vmVendor(), "the vendor, from the child's performance data");
            assertEquals(ProcessMemory.Source.DIAGNOSTIC_COMMANDS, s.memory().source());
            assertFalse(s.memory().bufferPoolsKnown());
            assertEquals(List.of(ProcessMemory.NO_BUFFER_POOLS), s.memory().notes(), "everything else was read");
            return s;
        }
    }

    /** Management classes whose loading would mean a JMX agent or connector ran in the target. */
    private static final List<String> AGENT_PACKAGES = List.of("jdk.internal.agent.", "sun.management.jmxremote.",
            "javax.management.remote.", "sun.rmi.", "java.rmi.", "com.sun.jmx.");

    private static void assertSameClasses(Set<String> before, Set<String> after, String label) {
        Set<String> gone = new TreeSet<>(before);
        gone.removeAll(after);
        Set<String> loaded = new TreeSet<>(after);
        loaded.removeAll(before);
        assertEquals("", (gone.isEmpty() ? "" : "unloaded " + gone) + (loaded.isEmpty() ? "" : " loaded " + loaded),
                "the child's classes after " + label);
        for (String line : after) {
            String name = line.replaceFirst("^[|\\s-]*", "");
            assertFalse(AGENT_PACKAGES.stream().anyMatch(name::startsWith), "a management class is loaded: " + line);
        }
    }

    /** The lines of the child's {@code VM.class_hierarchy} (one per loaded class, in no stable order), from outside. */
    static Set<String> loadedClasses(ChildJvm child) throws Exception {
        String hierarchy = child.jcmd("VM.class_hierarchy");
        Set<String> lines = new TreeSet<>(hierarchy.lines().skip(1).toList()); // the first is the pid
        assertTrue(lines.size() > 400, hierarchy);
        return lines;
    }

    /** The names of the child's threads, from outside. */
    static Set<String> threadNames(ChildJvm child) throws Exception {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("^\"([^\"]+)\"", Pattern.MULTILINE).matcher(child.jcmd("Thread.print"));
        while (m.find()) {
            names.add(m.group(1));
        }
        for (String agent : AGENT_THREADS) {
            assertFalse(names.stream().anyMatch(n -> n.startsWith(agent)), "a JMX agent thread: " + names);
        }
        return names;
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

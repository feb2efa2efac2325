package dev.heaplens.alloc;

import dev.heaplens.fixtures.AllocationWorkload;
import dev.heaplens.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Allocation profiles of workloads that allocate a known number of {@link AllocationWorkload.Marker}s
 * (24 bytes each) from a known method, recorded in this JVM, in a child JVM started with
 * {@code -XX:StartFlightRecording}, and in a running child by pid.
 *
 * <p>Tolerance: sampling is statistical. {@code jdk.ObjectAllocationSample} weights stand for all
 * the bytes a thread allocated since its previous sample, so the markers' estimate is within a
 * factor of {@value #TOLERANCE} of their real bytes when they are nearly all the thread allocates
 * (seen: 0.9–1.2). TLAB events attribute whole TLABs, within the same factor.
 */
class AllocationProfileTest {
    private static final String MARKER = AllocationWorkload.Marker.class.getName();
    private static final String ALLOCATING_METHOD = AllocationWorkload.class.getName() + ".allocateMarkers";
    private static final double TOLERANCE = 2;
    private static final int MARKER_BYTES = 24;

    @TempDir
    Path temp;

    @Test
    void inThisJvmTheMarkerItsMethodAndTheCallTreeAddUp() {
        int markers = 20_000_000;
        AllocationProfile p = AllocationRecorder.record(AllocationRecorder.Options.defaults().samplesPerSecond(1000).in(temp),
                () -> {
                    AllocationWorkload.allocateMarkersInBatches(markers, 100);
                    System.gc(); // a collection in the recording, however large this JVM's heap has grown
                });
        assertTrue(p.sampled());
        assertTrue(p.recording().startsWith(temp) && Files.isRegularFile(p.recording()), p.recording().toString());
        TypeAllocation marker = p.byType().of(MARKER).orElseThrow(() -> new AssertionError(p.byType().toString()));
        assertWithin(marker.estimatedBytes(), (long) markers * MARKER_BYTES, p.byType().toString());
        assertEquals(MARKER, p.byType().get(0).className(), p.byType().toString());
        assertTrue(p.byType().toString().contains("~bytes") && p.byType().toString().contains("estimated from sampled events"));

        CallTree back = p.backtraces(MARKER);
        assertEquals(MARKER, back.root().method());
        assertEquals(ALLOCATING_METHOD, back.root().children().get(0).method(), back.toString());
        assertEquals(marker.estimatedBytes(), back.root().totalBytes());

        CallTree tree = p.callTree();
        assertEquals(p.totalBytes(), tree.root().totalBytes());
        assertAddsUp(tree.root());
        assertAddsUp(back.root());
        assertTrue(tree.find(ALLOCATING_METHOD).isPresent(), tree.toString());
        assertTrue(tree.toString().contains(ALLOCATING_METHOD), tree.toString());

        AllocationSite top = p.hotSites("dev.heaplens.").get(0);
        assertEquals(ALLOCATING_METHOD, top.method(), p.hotSites("dev.heaplens.").toString());
        assertTrue(top.line() > 0 && top.topClass().equals(MARKER), top.toString());
        assertEquals(ProcessHandle.current().pid(), p.pid().orElseThrow());

        // 480 MB in a small heap: the collector ran, and says what it freed
        GarbageCollections gcs = p.collections();
        assertFalse(gcs.isEmpty(), p.toString());
        assertTrue(gcs.stream().anyMatch(g -> g.heapBefore() > 0 && g.heapAfter() >= 0 && g.freed() > 0), gcs.toString());
        GarbageCollections.CollectorSummary first = gcs.summary().get(0);
        assertTrue(first.count() > 0 && !first.totalPauses().isNegative(), first.toString());
        assertTrue(p.toString().contains("Allocations by type") && p.toString().contains("Garbage collections"), p.toString());
    }

    @Test
    void tlabEventsCountObjects() {
        int markers = 10_000_000;
        AllocationProfile p = AllocationRecorder.record(AllocationRecorder.Options.defaults().withTlabEvents().in(temp),
                () -> AllocationWorkload.allocateMarkers(markers));
        assertTrue(p.eventCounts().getOrDefault(RecordingReader.IN_NEW_TLAB, 0L) > 0, p.eventCounts().toString());
        TypeAllocation marker = p.byType().of(MARKER).orElseThrow();
        assertWithin(marker.estimatedObjects(), markers, p.byType().toString());
        assertWithin(marker.estimatedBytes(), (long) markers * MARKER_BYTES, p.byType().toString());
        // the samples recorded beside them are left out, not counted a second time
        assertFalse(p.sampled());
        assertEquals(p.eventCounts().get(RecordingReader.SAMPLE).longValue(), p.samplesLeftOut());
        assertWithin(p.totalBytes(), (long) markers * MARKER_BYTES, p.toString());
    }

    @Test
    void aRecordingWrittenByAChildStartedWithStartFlightRecording() throws Exception {
        Path jfr = temp.resolve("child.jfr");
        Process child = new ProcessBuilder(ChildJvm.currentJavaHome().resolve("bin/java").toString(), "-Xmx64m",
                "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile", "-cp", System.getProperty("java.class.path"),
                AllocationWorkload.class.getName()).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS) && child.exitValue() == 0, out);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("ALLOCATED (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        long allocated = Long.parseLong(m.group(1));
        AllocationProfile p = AllocationProfile.read(jfr);
        assertEquals(child.pid(), p.pid().orElseThrow());
        TypeAllocation marker = p.byType().of(MARKER).orElseThrow(() -> new AssertionError(p.byType().toString()));
        assertWithin(marker.estimatedBytes(), allocated * MARKER_BYTES, p.byType().toString());
        assertEquals(ALLOCATING_METHOD, p.backtraces(MARKER).root().children().get(0).method());
        assertAddsUp(p.callTree().root());
    }

    @Test
    void anotherJvmByPidThroughItsAttachListener() throws Exception {
        try (ChildJvm child = ChildJvm.start(ChildJvm.currentJavaHome(), AllocationWorkload.class, List.of("-Xmx64m"), "loop")) {
            AllocationProfile p = AllocationRecorder.record(child.pid(), Duration.ofSeconds(2),
                    AllocationRecorder.Options.defaults().in(temp));
            assertEquals(child.pid(), p.pid().orElseThrow());
            assertTrue(p.recording().startsWith(temp), p.recording().toString());
            assertEquals(MARKER, p.byType().get(0).className(), p.byType().toString());
            assertEquals(ALLOCATING_METHOD, p.backtraces(MARKER).root().children().get(0).method());
            assertFalse(p.collections().isEmpty(), "a 64 MB heap collects while 2 s of markers are allocated");
            String threads = child.jcmd("Thread.print");
            assertFalse(threads.contains("RMI TCP") || threads.contains("JMX server"), "no JMX agent in the target:\n" + threads);
            assertTrue(child.jcmd("JFR.check").contains("No available recordings"), "the recording was stopped");

            // who allocated, then who still holds: the ring of the last 1,024 markers, in a static field
            dev.heaplens.Snapshot snapshot = p.captureHeap(dev.heaplens.capture.CaptureOptions.defaults().in(temp));
            try (dev.heaplens.Heap heap = snapshot.open()) {
                var held = heap.instancesOf(MARKER);
                assertEquals(1024, held.size());
                var path = heap.pathFromRoot(held.get(0));
                var ring = (dev.heaplens.graph.HeapObject) heap.findClass(AllocationWorkload.class.getName()).staticValue("RING");
                // the array on the way is the static ring (the running loop may also hold it in a local)
                assertEquals(ring.index(), path.nodes().get(path.nodes().size() - 2).index(), path.toString());
            }
        }
    }

    @Test
    void aTruncatedRecordingOrAnotherFileIsOneClearError() throws Exception {
        AllocationProfile p = AllocationRecorder.record(AllocationRecorder.Options.defaults().in(temp),
                () -> AllocationWorkload.allocateMarkers(1_000_000));
        byte[] whole = Files.readAllBytes(p.recording());
        Path cut = Files.write(temp.resolve("cut.jfr"), Arrays.copyOf(whole, whole.length / 2));
        JfrFormatException truncated = assertThrows(JfrFormatException.class, () -> AllocationProfile.read(cut));
        assertTrue(truncated.getMessage().startsWith(cut + ": "), truncated.getMessage());
        assertFalse(truncated.getMessage().contains("\n"), truncated.getMessage());
        assertEquals(cut, truncated.file());

        Path text = Files.writeString(temp.resolve("notes.jfr"), "these are not the events you are looking for\n");
        JfrFormatException notJfr = assertThrows(JfrFormatException.class, () -> AllocationProfile.read(text));
        assertTrue(notJfr.getMessage().startsWith(text + ": not a JFR recording"), notJfr.getMessage());

        JfrFormatException missing = assertThrows(JfrFormatException.class, () -> AllocationProfile.read(temp.resolve("none.jfr")));
        assertEquals(temp.resolve("none.jfr") + ": no such file", missing.getMessage());
    }

    private static void assertWithin(long estimate, long actual, String context) {
        assertTrue(estimate >= actual / TOLERANCE && estimate <= actual * TOLERANCE,
                "estimate " + estimate + " vs " + actual + " (tolerance " + TOLERANCE + "x):\n" + context);
    }

    /** Every node's total is its self plus its children's totals. */
    private static void assertAddsUp(CallTree.Node root) {
        ArrayDeque<CallTree.Node> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            CallTree.Node n = stack.pop();
            long children = n.children().stream().mapToLong(CallTree.Node::totalBytes).sum();
            assertEquals(n.totalBytes(), n.selfBytes() + children, n.method());
            n.children().forEach(stack::push);
        }
    }
}

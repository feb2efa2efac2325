package dev.heaplens.alloc;

import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An independent reading of a recording, for tests: the JDK's own parser ({@code jdk.jfr.consumer.RecordingFile})
 * folded event by event into the same cells as {@link JfrChunkReader} folds them from the bytes.
 * Slow (objects per event), but written against the JDK's API, not JFR's file format.
 */
final class RecordingFileOracle {
    private RecordingFileOracle() {
    }

    static AllocationProfile read(Path jfr) {
        RecordingReader r = new RecordingReader();
        try (RecordingFile recording = new RecordingFile(jfr)) {
            while (recording.hasMoreEvents()) {
                accept(r, recording.readEvent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        r.finish();
        return new AllocationProfile(jfr, r);
    }

    private static void accept(RecordingReader r, RecordedEvent e) {
        r.eventCounts.merge(e.getEventType().getName(), 1L, Long::sum);
        r.time(nanos(e.getStartTime()), nanos(e.getEndTime()));
        switch (e.getEventType().getName()) {
            case RecordingReader.SAMPLE -> allocation(r, e, e.getLong("weight"), 0, 0);
            case RecordingReader.IN_NEW_TLAB -> {
                long size = e.getLong("allocationSize");
                long tlab = e.getLong("tlabSize");
                allocation(r, e, tlab, size > 0 ? Math.max(1, tlab / size) : 0, size);
            }
            case RecordingReader.OUTSIDE_TLAB -> {
                long size = e.getLong("allocationSize");
                allocation(r, e, size, 1, size);
            }
            case "jdk.GarbageCollection" -> r.collection(e.getLong("gcId"), e.getString("name"), e.getString("cause"),
                    nanos(e.getStartTime()), e.getDuration().toNanos(), e.getDuration("sumOfPauses").toNanos(),
                    e.getDuration("longestPause").toNanos());
            case "jdk.GCHeapSummary" -> r.heapSummary(e.getLong("gcId"), "Before GC".equals(e.getString("when")), e.getLong("heapUsed"));
            case "jdk.JVMInformation" -> {
                if (e.hasField("pid")) {
                    r.pid = e.getLong("pid");
                }
            }
            default -> {
            }
        }
    }

    private static void allocation(RecordingReader r, RecordedEvent e, long bytes, long objects, long objectSize) {
        RecordedClass c = e.getClass("objectClass");
        int type = r.type(c == null ? "<unknown>" : JfrNames.javaName(c.getName()));
        r.cells.event(type, stack(r, e.getStackTrace()), bytes, objects, objectSize);
    }

    private static int stack(RecordingReader r, RecordedStackTrace trace) {
        if (trace == null) {
            return StackTable.NO_STACK;
        }
        List<RecordedFrame> frames = trace.getFrames();
        int[] methods = new int[frames.size()];
        int[] lines = new int[frames.size()];
        for (int i = 0; i < methods.length; i++) {
            RecordedMethod m = frames.get(i).getMethod();
            methods[i] = r.stacks.method(m == null ? "<unknown>" : (m.getType() == null ? "?" : m.getType().getName()) + "." + m.getName());
            lines[i] = frames.get(i).getLineNumber();
        }
        return r.stacks.intern(methods, lines, trace.isTruncated());
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** Every figure and view of two readings of one recording is the same. */
    static void assertSameProfile(AllocationProfile expected, AllocationProfile actual) {
        assertEquals(cells(expected), cells(actual), "cells");
        assertEquals(expected.eventCounts(), actual.eventCounts(), "event counts");
        assertEquals(expected.samplesLeftOut(), actual.samplesLeftOut());
        assertEquals(expected.pid(), actual.pid());
        assertEquals(expected.startTime(), actual.startTime(), "first event");
        // ticks to nanoseconds: the JDK's converter rounds differently in later chunks, by up to a few microseconds
        long spanDiff = Math.abs(expected.span().toNanos() - actual.span().toNanos());
        assertTrue(spanDiff < 10_000, "span " + expected.span() + " vs " + actual.span());
        assertEquals(expected.byType().toString(), actual.byType().toString());
        assertEquals(expected.callTree().toString(), actual.callTree().toString());
        assertEquals(expected.collections().toString(), actual.collections().toString());
        List<GcEvent> e = expected.collections().stream().toList();
        List<GcEvent> a = actual.collections().stream().toList();
        assertEquals(e.size(), a.size());
        for (int i = 0; i < e.size(); i++) {
            assertEquals(withoutStart(e.get(i)), withoutStart(a.get(i)));
            long startDiff = Math.abs(nanos(e.get(i).start()) - nanos(a.get(i).start()));
            assertTrue(startDiff < 10_000, e.get(i) + " vs " + a.get(i));
        }
        assertEquals(expected.hotSites("").toString(), actual.hotSites("").toString());
    }

    private static GcEvent withoutStart(GcEvent g) {
        return new GcEvent(g.gcId(), g.collector(), g.cause(), Instant.EPOCH, g.duration(), g.pauses(), g.longestPause(),
                g.heapBefore(), g.heapAfter());
    }

    /** Each cell as text, type and stack by name, sorted: independent of the readers' id order. */
    private static List<String> cells(AllocationProfile p) {
        RecordingReader d = p.data();
        List<String> out = new ArrayList<>();
        for (int c = 0; c < d.cells.size(); c++) {
            long key = d.cells.keys.getLong(c);
            int stack = AllocationCells.stackOf(key);
            StringBuilder s = new StringBuilder(d.types.get(AllocationCells.typeOf(key))).append(" | ");
            if (stack >= 0) {
                int[] methods = d.stacks.methods(stack);
                int[] lines = d.stacks.lines(stack);
                for (int i = 0; i < methods.length; i++) {
                    s.append(d.stacks.method(methods[i])).append(':').append(lines[i]).append(' ');
                }
                s.append(d.stacks.truncated(stack) ? "(truncated)" : "");
            }
            s.append(" | ").append(d.cells.events.getLong(c)).append(' ').append(d.cells.bytes.getLong(c)).append(' ')
                    .append(d.cells.objects.getLong(c)).append(' ').append(d.cells.sampledBytes.getLong(c));
            out.add(s.toString());
        }
        out.sort(null);
        return out;
    }
}

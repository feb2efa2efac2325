package dev.heaplens.alloc;

import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pass over a {@code .jfr} file, folding its allocation and GC events into per (class, stack)
 * cells: events, estimated bytes, estimated objects. Nothing per event is kept.
 *
 * <p>Weights, as JDK Mission Control takes them: {@code jdk.ObjectAllocationSample} stands for its
 * {@code weight} bytes (the thread's allocation since the previous sample), count unknown;
 * {@code jdk.ObjectAllocationInNewTLAB} for the new TLAB's {@code tlabSize} bytes, that many bytes
 * over the object's {@code allocationSize} objects; {@code jdk.ObjectAllocationOutsideTLAB} for
 * exactly its object. async-profiler's allocation mode writes the two TLAB events. A recording with
 * both kinds (JFR's "profile" settings plus TLAB events) would count its bytes twice: then the TLAB
 * events are used and the samples left out ({@link #samplesLeftOut}).
 */
final class RecordingReader {
    static final String SAMPLE = "jdk.ObjectAllocationSample";
    static final String IN_NEW_TLAB = "jdk.ObjectAllocationInNewTLAB";
    static final String OUTSIDE_TLAB = "jdk.ObjectAllocationOutsideTLAB";

    final StackTable stacks = new StackTable();
    final List<String> types = new ArrayList<>();
    private final Object2IntOpenHashMap<String> typeIds = new Object2IntOpenHashMap<>();
    /** Marks the cells of sampled events in their key. */
    private static final long SAMPLED = 1L << 62;
    /** Sampled events not counted because the recording has TLAB events too. */
    long samplesLeftOut;
    /** (sampled bit | type << 32 | stack + 1) → cell index. */
    private final Long2IntOpenHashMap cellOf = new Long2IntOpenHashMap();
    final LongArrayList cellKeys = new LongArrayList();
    final LongArrayList cellEvents = new LongArrayList();
    final LongArrayList cellBytes = new LongArrayList();
    /** Objects counted from TLAB events; sampled bytes have no count. */
    final LongArrayList cellObjects = new LongArrayList();
    /** Bytes from samples, whose objects are not counted. */
    final LongArrayList cellSampledBytes = new LongArrayList();
    /** Per type: sum of allocationSize and number of sized events, for an average object size. */
    final Long2LongOpenHashMap sizedBytes = new Long2LongOpenHashMap();
    final Long2LongOpenHashMap sizedEvents = new Long2LongOpenHashMap();
    final Map<String, Long> eventCounts = new HashMap<>();
    final List<GcEvent> collections = new ArrayList<>();
    private final Map<Long, long[]> heapByGc = new HashMap<>();
    private final Map<Long, RecordedEvent> gcEvents = new HashMap<>();
    long pid = -1;
    Instant first;
    Instant last;

    RecordingReader() {
        typeIds.defaultReturnValue(-1);
        cellOf.defaultReturnValue(-1);
    }

    /** Reads the whole file. */
    static RecordingReader read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new JfrFormatException(file, Files.exists(file) ? "not a regular file" : "no such file", null);
        }
        if (!startsWithMagic(file)) {
            throw new JfrFormatException(file, "not a JFR recording (it does not start with JFR's magic bytes FLR\\0)", null);
        }
        RecordingReader r = new RecordingReader();
        long events = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                r.accept(recording.readEvent());
                events++;
            }
        } catch (NoSuchFileException e) {
            throw new JfrFormatException(file, "no such file", e);
        } catch (EOFException e) {
            throw new JfrFormatException(file, "the recording is cut short after " + events + " events (a truncated copy,"
                    + " or a recording still being written)", e);
        } catch (IOException e) {
            throw new JfrFormatException(file, problem(e) + " after " + events + " events", e);
        } catch (RuntimeException e) {
            throw new JfrFormatException(file, "damaged recording after " + events + " events: " + e, e);
        }
        r.finishCollections();
        r.countEvents();
        r.oneKindOfAllocationEvent();
        return r;
    }

    private static boolean startsWithMagic(Path file) {
        byte[] head = new byte[4];
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(head, 0, 4) == 4 && head[0] == 'F' && head[1] == 'L' && head[2] == 'R' && head[3] == 0;
        } catch (IOException e) {
            throw new JfrFormatException(file, "cannot read it (" + e.getMessage() + ")", e);
        }
    }

    private static String problem(IOException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("not a JFR") || m.contains("magic") || m.contains("File is not")) {
            return "not a JFR recording (" + m + ")";
        }
        if (m.contains("Chunk") || m.contains("chunk")) {
            return "the recording is cut short or damaged (" + m + ")";
        }
        return "unreadable recording (" + m + ")";
    }

    /** What an event type is to this reader; found once per type, not per event. */
    private static final int OTHER = 0;
    private static final int KIND_SAMPLE = 1;
    private static final int KIND_IN_NEW_TLAB = 2;
    private static final int KIND_OUTSIDE_TLAB = 3;
    private static final int KIND_GC = 4;
    private static final int KIND_HEAP = 5;
    private static final int KIND_JVM = 6;
    /** Times are read from every this-many allocation events (and every other event): an Instant per event is dear. */
    private static final int TIME_STRIDE = 256;
    /** The most parser objects an identity cache keeps. */
    static final int IDENTITY_CACHE_LIMIT = 100_000;

    /** Per event type (the parser's objects, looked up by identity): its kind and its count. */
    private final Map<EventType, long[]> typeKinds = new IdentityHashMap<>();
    private final Map<RecordedClass, Integer> classIds = new IdentityHashMap<>();
    private long allocations;

    void accept(RecordedEvent e) {
        long[] kind = typeKinds.computeIfAbsent(e.getEventType(), RecordingReader::kindOf);
        kind[1]++;
        int k = (int) kind[0];
        boolean allocation = k >= KIND_SAMPLE && k <= KIND_OUTSIDE_TLAB;
        if (!allocation || allocations++ % TIME_STRIDE == 0) {
            time(e);
        }
        switch (k) {
            case KIND_SAMPLE -> allocation(e, e.getLong("weight"), 0, 0);
            case KIND_IN_NEW_TLAB -> {
                long size = e.getLong("allocationSize");
                long tlab = e.getLong("tlabSize");
                allocation(e, tlab, size > 0 ? Math.max(1, tlab / size) : 0, size);
            }
            case KIND_OUTSIDE_TLAB -> {
                long size = e.getLong("allocationSize");
                allocation(e, size, 1, size);
            }
            case KIND_GC -> gcEvents.put(e.getLong("gcId"), e);
            case KIND_HEAP -> {
                long[] heap = heapByGc.computeIfAbsent(e.getLong("gcId"), key -> new long[] {-1, -1});
                heap["Before GC".equals(e.getString("when")) ? 0 : 1] = e.getLong("heapUsed");
            }
            case KIND_JVM -> {
                if (e.hasField("pid")) {
                    pid = e.getLong("pid");
                }
            }
            default -> {
                // other events are not about allocation
            }
        }
    }

    private static long[] kindOf(EventType type) {
        int kind = switch (type.getName()) {
            case SAMPLE -> KIND_SAMPLE;
            case IN_NEW_TLAB -> KIND_IN_NEW_TLAB;
            case OUTSIDE_TLAB -> KIND_OUTSIDE_TLAB;
            case "jdk.GarbageCollection" -> KIND_GC;
            case "jdk.GCHeapSummary" -> KIND_HEAP;
            case "jdk.JVMInformation" -> KIND_JVM;
            default -> OTHER;
        };
        return new long[] {kind, 0};
    }

    private void time(RecordedEvent e) {
        Instant t = e.getStartTime();
        if (first == null || t.isBefore(first)) {
            first = t;
        }
        Instant end = e.getEndTime();
        if (last == null || end.isAfter(last)) {
            last = end;
        }
    }

    /** The event counts by type name (several parser objects may stand for one type). */
    private void countEvents() {
        typeKinds.forEach((type, kind) -> eventCounts.merge(type.getName(), kind[1], Long::sum));
    }

    private void allocation(RecordedEvent e, long bytes, long objects, long objectSize) {
        RecordedClass c = e.getClass("objectClass");
        Integer known = c == null ? null : classIds.get(c);
        int type;
        if (known != null) {
            type = known;
        } else {
            type = type(c == null ? "<unknown>" : JfrNames.javaName(c.getName()));
            if (c != null) {
                if (classIds.size() > IDENTITY_CACHE_LIMIT) {
                    classIds.clear(); // a parser that made new objects per event: do not keep them all
                }
                classIds.put(c, type);
            }
        }
        int stack = stacks.intern(e.getStackTrace());
        long key = (objectSize > 0 ? 0 : SAMPLED) | ((long) type << 32) | (stack + 1L);
        int cell = cellOf.get(key);
        if (cell < 0) {
            cell = cellKeys.size();
            cellOf.put(key, cell);
            cellKeys.add(key);
            cellEvents.add(0);
            cellBytes.add(0);
            cellObjects.add(0);
            cellSampledBytes.add(0);
        }
        cellEvents.set(cell, cellEvents.getLong(cell) + 1);
        cellBytes.set(cell, cellBytes.getLong(cell) + bytes);
        if (objectSize > 0) {
            cellObjects.set(cell, cellObjects.getLong(cell) + objects);
            sizedBytes.addTo(type, objectSize);
            sizedEvents.addTo(type, 1);
        } else {
            cellSampledBytes.set(cell, cellSampledBytes.getLong(cell) + bytes);
        }
    }

    private int type(String name) {
        int id = typeIds.getInt(name);
        if (id < 0) {
            id = types.size();
            typeIds.put(name, id);
            types.add(name);
        }
        return id;
    }

    /** Keeps the TLAB events' cells when there are any, else the samples'. */
    private void oneKindOfAllocationEvent() {
        boolean tlab = false;
        boolean sampled = false;
        for (int c = 0; c < cellKeys.size(); c++) {
            tlab |= (cellKeys.getLong(c) & SAMPLED) == 0;
            sampled |= (cellKeys.getLong(c) & SAMPLED) != 0;
        }
        if (!(tlab && sampled)) {
            return;
        }
        int kept = 0;
        for (int c = 0; c < cellKeys.size(); c++) {
            if ((cellKeys.getLong(c) & SAMPLED) != 0) {
                samplesLeftOut += cellEvents.getLong(c);
                continue;
            }
            cellKeys.set(kept, cellKeys.getLong(c));
            cellEvents.set(kept, cellEvents.getLong(c));
            cellBytes.set(kept, cellBytes.getLong(c));
            cellObjects.set(kept, cellObjects.getLong(c));
            cellSampledBytes.set(kept, cellSampledBytes.getLong(c));
            kept++;
        }
        for (LongArrayList list : List.of(cellKeys, cellEvents, cellBytes, cellObjects, cellSampledBytes)) {
            list.size(kept);
        }
        cellOf.clear();
    }

    private void finishCollections() {
        for (RecordedEvent e : gcEvents.values()) {
            long[] heap = heapByGc.getOrDefault(e.getLong("gcId"), new long[] {-1, -1});
            collections.add(new GcEvent(e.getLong("gcId"), e.getString("name"), e.getString("cause"), e.getStartTime(),
                    e.getDuration(), duration(e, "sumOfPauses"), duration(e, "longestPause"), heap[0], heap[1]));
        }
        collections.sort((a, b) -> Long.compare(a.gcId(), b.gcId()));
        gcEvents.clear();
    }

    private static Duration duration(RecordedEvent e, String field) {
        return e.hasField(field) ? e.getDuration(field) : Duration.ZERO;
    }

    static int typeOf(long cellKey) {
        return (int) ((cellKey & ~SAMPLED) >>> 32);
    }

    static int stackOf(long cellKey) {
        return (int) (cellKey & 0xffffffffL) - 1;
    }
}

package dev.heaplens.alloc;

import dev.heaplens.Heap;
import dev.heaplens.Snapshot;
import dev.heaplens.capture.CaptureException;
import dev.heaplens.capture.CaptureOptions;
import dev.heaplens.text.TextTable;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a program allocated, read from a JFR recording: which types, how much, by which code, and
 * what the garbage collector did about it. Built in one pass over the file; every view is computed
 * from the distinct (class, stack) pairs, not from the events.
 *
 * <pre>{@code
 * AllocationProfile p = AllocationProfile.read(Path.of("app.jfr"));   // or AllocationRecorder.record(work)
 * p.byType().top(10)                       // estimated bytes and objects per class
 * p.callTree()                             // top-down, total and self bytes
 * p.backtraces("com.acme.Session")         // who allocates it, bottom-up
 * p.collections().summary()                // per collector: pauses, freed bytes
 * p.hotSites("com.acme.")                  // just my code
 * Snapshot s = p.captureHeap();            // and who still holds it, if the JVM is still running
 * }</pre>
 *
 * <p>With {@code jdk.ObjectAllocationSample} (the default, throttled) every figure is an
 * estimate: each sample stands for the bytes its thread allocated since the previous one. With the
 * TLAB events each stands for its TLAB; only outside-TLAB events are exact.
 */
public final class AllocationProfile {
    private final Path recording;
    private final RecordingReader data;
    private final long totalBytes;

    AllocationProfile(Path recording, RecordingReader data) {
        this.recording = recording;
        this.data = data;
        long sum = 0;
        for (int c = 0; c < data.cells.bytes.size(); c++) {
            sum += data.cells.bytes.getLong(c);
        }
        this.totalBytes = sum;
    }

    /**
     * Reads a {@code .jfr} file: one written by {@code -XX:StartFlightRecording}, {@code jcmd JFR.dump},
     * {@link AllocationRecorder}, or async-profiler's allocation mode.
     *
     * @throws JfrFormatException if it is not a JFR recording, or is truncated or damaged
     */
    public static AllocationProfile read(Path jfr) {
        return new AllocationProfile(jfr, RecordingReader.read(jfr));
    }

    /** The folded recording, for tests that compare readers. */
    RecordingReader data() {
        return data;
    }

    /** The recording file. */
    public Path recording() {
        return recording;
    }

    /** Whether the allocation figures come from sampled events ({@code jdk.ObjectAllocationSample}) rather than TLAB events. */
    public boolean sampled() {
        return data.eventCounts.getOrDefault(RecordingReader.SAMPLE, 0L) > data.samplesLeftOut;
    }

    /**
     * Whether the figures are estimates: from samples, or from new-TLAB events (each stands for its
     * whole TLAB); only a recording of outside-TLAB events alone is exact.
     */
    public boolean estimated() {
        return sampled() || data.eventCounts.getOrDefault(RecordingReader.IN_NEW_TLAB, 0L) > 0;
    }

    /**
     * {@code jdk.ObjectAllocationSample} events not counted: a recording with TLAB events too would
     * count the same bytes twice, so its TLAB events are used.
     */
    public long samplesLeftOut() {
        return data.samplesLeftOut;
    }

    /** Allocation events in the recording. */
    public long allocationEvents() {
        long n = 0;
        for (int c = 0; c < data.cells.events.size(); c++) {
            n += data.cells.events.getLong(c);
        }
        return n;
    }

    /** All bytes the allocation events stand for. */
    public long totalBytes() {
        return totalBytes;
    }

    /** When the recording's first event started, or {@code null} for a recording without events. */
    public Instant startTime() {
        return data.first;
    }

    /** How long the recording's events span. */
    public Duration span() {
        return data.first == null ? Duration.ZERO : Duration.between(data.first, data.last);
    }

    /** The recorded JVM's pid ({@code jdk.JVMInformation}), if the recording says. */
    public OptionalLong pid() {
        return data.pid > 0 ? OptionalLong.of(data.pid) : OptionalLong.empty();
    }

    /** Events of each type in the recording, allocation and others. */
    public Map<String, Long> eventCounts() {
        return Map.copyOf(data.eventCounts);
    }

    /** Estimated bytes and objects per class, most bytes first. */
    public AllocationsByType byType() {
        int types = data.types.size();
        long[] events = new long[types];
        long[] bytes = new long[types];
        long[] objects = new long[types];
        long[] sampledBytes = new long[types];
        for (int c = 0; c < data.cells.keys.size(); c++) {
            int t = AllocationCells.typeOf(data.cells.keys.getLong(c));
            events[t] += data.cells.events.getLong(c);
            bytes[t] += data.cells.bytes.getLong(c);
            objects[t] += data.cells.objects.getLong(c);
            sampledBytes[t] += data.cells.sampledBytes.getLong(c);
        }
        List<TypeAllocation> rows = new ArrayList<>(types);
        for (int t = 0; t < types; t++) {
            long count = objects[t];
            if (sampledBytes[t] > 0) {
                // samples carry no object size: use the class's average from sized events, if any
                long sizedEvents = data.cells.sizedEvents.get(t);
                count = sizedEvents == 0 ? (count == 0 ? -1 : count) : count + sampledBytes[t] * sizedEvents / data.cells.sizedBytes.get(t);
            }
            rows.add(new TypeAllocation(data.types.get(t), events[t], bytes[t], count, percent(bytes[t])));
        }
        rows.sort((a, b) -> Long.compare(b.estimatedBytes(), a.estimatedBytes()));
        return new AllocationsByType(rows, estimated(), sampled(), totalBytes);
    }

    /** The top-down call tree of all allocations: outermost frames first, allocating frames last. */
    public CallTree callTree() {
        CallTree.Builder b = new CallTree.Builder("all allocations");
        for (Map.Entry<Integer, Long> e : bytesByStack(-1).entrySet()) {
            b.add(topDown(e.getKey()), e.getValue());
        }
        return b.build(estimated());
    }

    /**
     * Who allocates {@code className}, bottom-up: the allocating methods, then their callers.
     *
     * @throws IllegalArgumentException if the recording has no allocation of that class
     */
    public CallTree backtraces(String className) {
        int type = data.types.indexOf(className);
        if (type < 0) {
            throw new IllegalArgumentException("the recording has no allocation of " + className);
        }
        CallTree.Builder b = new CallTree.Builder(className);
        for (Map.Entry<Integer, Long> e : bytesByStack(type).entrySet()) {
            List<String> path = topDown(e.getKey());
            java.util.Collections.reverse(path);
            b.add(path, e.getValue());
        }
        return b.build(estimated());
    }

    /** The garbage collections, with the heap before and after each. */
    public GarbageCollections collections() {
        return new GarbageCollections(data.collections);
    }

    /**
     * The sites in the user's own code that allocate most: per stack, the first frame (from the
     * allocating end) whose class is in one of {@code packagePrefixes} ({@code "com.acme."}).
     */
    public AllocationSites hotSites(String... packagePrefixes) {
        if (packagePrefixes.length == 0) {
            throw new IllegalArgumentException("name the packages of your own code, e.g. \"com.acme.\"");
        }
        Map<String, long[]> sites = new HashMap<>();
        Map<String, Map<Integer, Long>> typesAt = new HashMap<>();
        long outside = 0;
        for (int c = 0; c < data.cells.keys.size(); c++) {
            long key = data.cells.keys.getLong(c);
            int stack = AllocationCells.stackOf(key);
            String site = stack < 0 ? null : firstInPackages(stack, packagePrefixes);
            long bytes = data.cells.bytes.getLong(c);
            if (site == null) {
                outside += bytes;
                continue;
            }
            long[] s = sites.computeIfAbsent(site, k -> new long[2]);
            s[0] += bytes;
            s[1] += data.cells.events.getLong(c);
            typesAt.computeIfAbsent(site, k -> new HashMap<>()).merge(AllocationCells.typeOf(key), bytes, Long::sum);
        }
        List<AllocationSite> out = new ArrayList<>();
        sites.forEach((site, s) -> {
            int colon = site.lastIndexOf(':');
            int top = typesAt.get(site).entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            out.add(new AllocationSite(site.substring(0, colon), Integer.parseInt(site.substring(colon + 1)), data.types.get(top),
                    s[0], s[1], percent(s[0])));
        });
        out.sort((a, b) -> Long.compare(b.estimatedBytes(), a.estimatedBytes()));
        return new AllocationSites(out, Arrays.asList(packagePrefixes), outside);
    }

    /**
     * Takes a heap snapshot of the recorded JVM, now: who still holds what was allocated. The JVM
     * must still run (this one, or another by its pid, through its attach listener).
     *
     * @throws CaptureException if the recording names no pid, or the JVM cannot be captured
     */
    public Snapshot captureHeap(CaptureOptions options) {
        long pid = pid().orElseThrow(() -> new CaptureException(CaptureException.Reason.NO_SUCH_PROCESS,
                recording + " does not say which JVM it recorded (no jdk.JVMInformation event)"));
        return pid == ProcessHandle.current().pid() ? Heap.capture(options) : Heap.capture(pid, options);
    }

    /** {@link #captureHeap(CaptureOptions)} with the defaults: live objects, into {@code java.io.tmpdir}. */
    public Snapshot captureHeap() {
        return captureHeap(CaptureOptions.defaults());
    }

    /** The summary, the top types, the top of the call tree and the collections. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("Allocation profile of %s: %s allocation events over %s, %s bytes (%s)%s%n%n", recording,
                TextTable.number(allocationEvents()), span(), TextTable.bytes(totalBytes), TextTable.humanBytes(totalBytes),
                sampled() ? ", estimated from samples" : samplesLeftOut() > 0 ? ", from the TLAB events ("
                        + TextTable.number(samplesLeftOut()) + " samples left out, not to count their bytes twice)" : ""));
        b.append(byType().top(10)).append('\n');
        b.append("Call tree (top-down)\n").append(callTree()).append('\n');
        b.append(collections());
        return b.toString();
    }

    /** Bytes per stack, for one type or ({@code type < 0}) all. */
    private Map<Integer, Long> bytesByStack(int type) {
        Long2LongOpenHashMap sums = new Long2LongOpenHashMap();
        for (int c = 0; c < data.cells.keys.size(); c++) {
            long key = data.cells.keys.getLong(c);
            if (type < 0 || AllocationCells.typeOf(key) == type) {
                sums.addTo(AllocationCells.stackOf(key), data.cells.bytes.getLong(c));
            }
        }
        Map<Integer, Long> out = new HashMap<>();
        sums.long2LongEntrySet().forEach(e -> out.put((int) e.getLongKey(), e.getLongValue()));
        return out;
    }

    /** The frames of a stack, outermost first; empty for events without a stack. */
    private List<String> topDown(int stack) {
        List<String> path = new ArrayList<>();
        if (stack < 0) {
            return path;
        }
        int[] methods = data.stacks.methods(stack);
        if (data.stacks.truncated(stack)) {
            path.add("<truncated: deeper than JFR's stack depth>");
        }
        for (int i = methods.length - 1; i >= 0; i--) {
            path.add(data.stacks.method(methods[i]));
        }
        return path;
    }

    private String firstInPackages(int stack, String[] prefixes) {
        int[] methods = data.stacks.methods(stack);
        int[] lines = data.stacks.lines(stack);
        for (int i = 0; i < methods.length; i++) {
            String m = data.stacks.method(methods[i]);
            for (String p : prefixes) {
                if (m.startsWith(p)) {
                    return m + ":" + lines[i];
                }
            }
        }
        return null;
    }

    private double percent(long bytes) {
        return totalBytes == 0 ? 0 : 100.0 * bytes / totalBytes;
    }
}

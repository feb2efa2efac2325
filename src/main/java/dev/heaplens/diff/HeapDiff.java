package dev.heaplens.diff;

import dev.heaplens.Heap;
import dev.heaplens.Snapshot;
import dev.heaplens.capture.ProcessMemoryDiff;
import dev.heaplens.text.TextTable;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What changed between two dumps: per class ({@link #classes()}, matched by name and loader) and per
 * retention path ({@link #paths()}: which collection, reached how from which root, gained the
 * objects). Prints as a report.
 *
 * <pre>{@code
 * HeapDiff diff = HeapDiff.of(Path.of("before.hprof"), Path.of("after.hprof"));
 * System.out.println(diff);                                     // both tables
 * diff.paths().grown().get(0);                                  // where most memory was added
 * diff.classes().sortedBy(HistogramDiff.Column.DELTA_COUNT).top(10);
 * }</pre>
 *
 * <p>Dumps are summarised one at a time ({@link HeapSummary}), so diffing two large dumps needs the
 * memory of one. Process memory (pools, buffers, native memory, resident set) is not in a heap dump:
 * when both dumps are {@link Snapshot}s heaplens captured, it comes from their sidecars as a third
 * section ({@link #withProcessMemory} sets it by hand).
 */
public final class HeapDiff {
    private final HeapSummary before;
    private final HeapSummary after;
    private final HistogramDiff classes;
    private final PathDiff paths;
    private final ProcessMemoryDiff processMemory;

    private HeapDiff(HeapSummary before, HeapSummary after, HistogramDiff classes, PathDiff paths, ProcessMemoryDiff processMemory) {
        this.before = before;
        this.after = after;
        this.classes = classes;
        this.paths = paths;
        this.processMemory = processMemory;
    }

    /**
     * Diffs two dumps (plain or gzip), opening one at a time. When both were captured by heaplens
     * ({@link Snapshot} sidecars beside them), the diff also has their process memory.
     */
    public static HeapDiff of(Path before, Path after) {
        HeapSummary a = HeapSummary.of(before);
        return of(a, HeapSummary.of(after));
    }

    /** Diffs two snapshots: their heaps and their process memory. */
    public static HeapDiff of(Snapshot before, Snapshot after) {
        return of(before.dump(), after.dump());
    }

    /** Diffs two opened heaps (their dominator trees are computed if they were not yet). */
    public static HeapDiff of(Heap before, Heap after) {
        return of(HeapSummary.of(before), HeapSummary.of(after));
    }

    /** Diffs two summaries; with process memory when both came from dumps heaplens captured. */
    public static HeapDiff of(HeapSummary before, HeapSummary after) {
        Alignment a = Alignment.of(List.of(before, after));
        return new HeapDiff(before, after, HistogramDiff.of(a, 0, 1), PathDiff.of(a, 0, 1), processMemory(before, after));
    }

    /** The process memory of two dumps' snapshots, when both have a sidecar. */
    private static ProcessMemoryDiff processMemory(HeapSummary before, HeapSummary after) {
        if (before.source() == null || after.source() == null) {
            return null;
        }
        Optional<Snapshot> b = Snapshot.find(before.source());
        Optional<Snapshot> c = Snapshot.find(after.source());
        return b.isPresent() && c.isPresent() ? b.get().memory().diff(c.get().memory()) : null;
    }

    /** This diff with a process-memory section. */
    public HeapDiff withProcessMemory(ProcessMemoryDiff memory) {
        return new HeapDiff(before, after, classes, paths, memory);
    }

    /** The first dump's summary. */
    public HeapSummary before() {
        return before;
    }

    /** The second dump's summary. */
    public HeapSummary after() {
        return after;
    }

    /** The classes that changed. */
    public HistogramDiff classes() {
        return classes;
    }

    /** The retention paths that grew and shrank. */
    public PathDiff paths() {
        return paths;
    }

    /** Process memory before and after, when the snapshots recorded it. */
    public Optional<ProcessMemoryDiff> processMemory() {
        return Optional.ofNullable(processMemory);
    }

    /** Whether nothing changed: no class and no path. */
    public boolean isEmpty() {
        return classes.isEmpty() && paths.isEmpty();
    }

    @Override
    public String toString() {
        return toString(HistogramDiff.DEFAULT_ROWS);
    }

    /** The report with at most {@code maxRows} rows per table. */
    public String toString(int maxRows) {
        StringBuilder b = new StringBuilder();
        b.append(name(before)).append(" → ").append(name(after)).append('\n');
        b.append("objects ").append(TextTable.number(before.objectCount())).append(" → ").append(TextTable.number(after.objectCount()))
                .append(" (").append(TextTable.signed((long) after.objectCount() - before.objectCount())).append("), reachable bytes ")
                .append(TextTable.bytes(before.reachableBytes())).append(" → ").append(TextTable.bytes(after.reachableBytes()))
                .append(" (").append(TextTable.signed(after.reachableBytes() - before.reachableBytes())).append(")\n");
        if (isEmpty()) {
            b.append("No change in the heap.\n");
        } else {
            b.append('\n').append(paths.toString(maxRows));
            b.append("\nClasses that changed\n").append(classes.toString(maxRows));
        }
        if (processMemory != null) {
            b.append("\nProcess memory\n").append(processMemory);
        }
        return b.toString();
    }

    private static String name(HeapSummary s) {
        return s.source() == null ? "heap" : s.source().toString();
    }
}

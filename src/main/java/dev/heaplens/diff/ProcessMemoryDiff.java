package dev.heaplens.diff;

import dev.heaplens.text.TextTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Named byte counts of the process beside the heap (resident set, committed heap, metaspace, native
 * memory categories), before and after: the section a {@link HeapDiff} carries when both snapshots
 * recorded process memory. The heap diff cannot measure these from a dump; whoever captured the
 * snapshots passes them in with {@link HeapDiff#withProcessMemory}.
 *
 * <pre>{@code
 * HeapDiff diff = HeapDiff.of(a, b).withProcessMemory(ProcessMemoryDiff.of(
 *         Map.of("rss", 812_000_000L, "metaspace", 61_000_000L),
 *         Map.of("rss", 905_000_000L, "metaspace", 61_500_000L)));
 * }</pre>
 *
 * @param rows one row per name either side has, sorted by name
 */
public record ProcessMemoryDiff(List<Row> rows) {

    /**
     * One figure.
     *
     * @param name   what is measured, e.g. {@code rss}
     * @param before bytes in the first snapshot, -1 if it lacks the figure
     * @param after  bytes in the second snapshot, -1 if it lacks the figure
     */
    public record Row(String name, long before, long after) {
        /** Bytes gained; 0 when either side lacks the figure. */
        public long delta() {
            return before < 0 || after < 0 ? 0 : after - before;
        }
    }

    /** Copies the rows. */
    public ProcessMemoryDiff {
        rows = List.copyOf(rows);
    }

    /** Pairs two sets of named byte counts by name. */
    public static ProcessMemoryDiff of(Map<String, Long> before, Map<String, Long> after) {
        List<Row> rows = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            rows.add(new Row(name, before.getOrDefault(name, -1L), after.getOrDefault(name, -1L)));
        }
        return new ProcessMemoryDiff(rows);
    }

    @Override
    public String toString() {
        TextTable t = new TextTable("Δbytes", "before", "after", "process memory").alignRight(0, 1, 2);
        for (Row r : rows) {
            t.row(HistogramDiff.signed(r.delta()), r.before() < 0 ? "-" : TextTable.bytes(r.before()),
                    r.after() < 0 ? "-" : TextTable.bytes(r.after()), r.name());
        }
        return t.toString();
    }
}

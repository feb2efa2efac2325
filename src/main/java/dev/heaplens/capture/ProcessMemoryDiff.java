package dev.heaplens.capture;

import dev.heaplens.text.TextTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The change between two {@link ProcessMemory} readings, item by item: each memory pool's used and
 * committed bytes, each buffer pool's count and bytes, each NMT category's committed bytes and the
 * NMT totals, and the resident set. Prints as a table.
 *
 * <pre>{@code
 * ProcessMemoryDiff d = before.diff(after);
 * d.change("direct buffers: used").map(ProcessMemoryDiff.Change::delta)
 * }</pre>
 *
 * @param before  the earlier reading
 * @param after   the later reading
 * @param changes one row per item present in either reading, in reading order
 */
public record ProcessMemoryDiff(ProcessMemory before, ProcessMemory after, List<Change> changes) {

    /** Value marking an item absent from one reading. */
    public static final long ABSENT = -1;

    /**
     * One item's values.
     *
     * @param item   what is measured, e.g. {@code pool G1 Old Gen: used}, {@code NMT Thread: committed}
     * @param unit   {@code bytes} or {@code count}
     * @param before the earlier value, or {@link #ABSENT}
     * @param after  the later value, or {@link #ABSENT}
     */
    public record Change(String item, String unit, long before, long after) {
        /** {@code after - before}, or 0 if the item is absent from either reading. */
        public long delta() {
            return before == ABSENT || after == ABSENT ? 0 : after - before;
        }
    }

    /** Copies the list. */
    public ProcessMemoryDiff {
        changes = List.copyOf(changes);
    }

    static ProcessMemoryDiff between(ProcessMemory before, ProcessMemory after) {
        List<Change> rows = new ArrayList<>();
        if (before.resident().available() || after.resident().available()) {
            rows.add(new Change("resident set", "bytes", before.resident().residentBytes(), after.resident().residentBytes()));
            rows.add(new Change("resident set: peak", "bytes", before.resident().peakResidentBytes(),
                    after.resident().peakResidentBytes()));
        }
        pair(rows, before.pools(), after.pools(), MemoryPool::name, "pool %s: used", "bytes", MemoryPool::used);
        pair(rows, before.pools(), after.pools(), MemoryPool::name, "pool %s: committed", "bytes", MemoryPool::committed);
        pair(rows, before.bufferPools(), after.bufferPools(), BufferPool::name, "%s buffers: count", "count", BufferPool::count);
        pair(rows, before.bufferPools(), after.bufferPools(), BufferPool::name, "%s buffers: used", "bytes", BufferPool::used);
        NativeMemory b = before.nativeMemory();
        NativeMemory a = after.nativeMemory();
        if (b.tracked() || a.tracked()) {
            rows.add(new Change("NMT total: reserved", "bytes", b.totalReserved(), a.totalReserved()));
            rows.add(new Change("NMT total: committed", "bytes", b.totalCommitted(), a.totalCommitted()));
            pair(rows, b.categories(), a.categories(), NativeCategory::name, "NMT %s: committed", "bytes", NativeCategory::committed);
        }
        return new ProcessMemoryDiff(before, after, rows);
    }

    private static <T> void pair(List<Change> rows, List<T> before, List<T> after, Function<T, String> name, String item,
                                 String unit, ToLongFunction<T> value) {
        Map<String, long[]> values = new LinkedHashMap<>();
        for (T t : before) {
            values.computeIfAbsent(name.apply(t), k -> new long[] {ABSENT, ABSENT})[0] = value.applyAsLong(t);
        }
        for (T t : after) {
            values.computeIfAbsent(name.apply(t), k -> new long[] {ABSENT, ABSENT})[1] = value.applyAsLong(t);
        }
        values.forEach((n, v) -> rows.add(new Change(String.format(Locale.ROOT, item, n), unit, v[0], v[1])));
    }

    /** The row of this item ({@code "direct buffers: count"}, {@code "NMT Thread: committed"}), if present. */
    public Optional<Change> change(String item) {
        return changes.stream().filter(c -> c.item().equals(item)).findFirst();
    }

    /** The rows whose value changed (or that one reading lacks). */
    public List<Change> changed() {
        return changes.stream().filter(c -> c.before() != c.after()).toList();
    }

    /** A table of every item: before, after, change. */
    @Override
    public String toString() {
        TextTable t = new TextTable("item", "before", "after", "change").alignRight(1, 2, 3);
        for (Change c : changes) {
            t.row(c.item(), cell(c.before()), cell(c.after()),
                    c.before() == ABSENT || c.after() == ABSENT ? "" : String.format(Locale.ROOT, "%+,d", c.delta()));
        }
        t.footer(String.format(Locale.ROOT, "process %d from %s to %s; %d of %d items changed",
                after.pid(), before.time(), after.time(), changed().size(), changes.size()));
        return t.toString();
    }

    private static String cell(long value) {
        return value == ABSENT ? "-" : TextTable.number(value);
    }
}

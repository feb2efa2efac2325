package dev.heaplens.diff;

import dev.heaplens.text.TextTable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The class histograms of two dumps side by side: per class (matched by name and loader,
 * {@link ClassKey}), the change in instances, shallow bytes and retained bytes; new and vanished
 * classes. Only classes that changed are rows; by default the largest growth in shallow bytes comes
 * first, and any column can order them.
 *
 * <pre>{@code
 * HistogramDiff classes = HeapDiff.of(before, after).classes();
 * System.out.println(classes.top(10));
 * System.out.println(classes.sortedBy(HistogramDiff.Column.DELTA_COUNT).top(10));
 * System.out.println(classes.sortedBy(HistogramDiff.Column.DELTA_RETAINED).reversed().top(5)); // what shrank most
 * classes.newClasses();
 * }</pre>
 */
public final class HistogramDiff {
    /** Rows {@link #toString()} prints. */
    public static final int DEFAULT_ROWS = 20;

    /** A column to sort by: numbers largest first, the class name from A to Z. */
    public enum Column {
        /** Instances gained. */
        DELTA_COUNT(Comparator.comparingLong(ClassDelta::deltaCount).reversed()),
        /** Shallow bytes gained (the default order). */
        DELTA_SHALLOW(Comparator.comparingLong(ClassDelta::deltaShallow).reversed()),
        /** Retained bytes gained. */
        DELTA_RETAINED(Comparator.comparingLong(ClassDelta::deltaRetained).reversed()),
        /** Instances in the second dump. */
        COUNT(Comparator.comparingLong(ClassDelta::countAfter).reversed()),
        /** Shallow bytes in the second dump. */
        SHALLOW(Comparator.comparingLong(ClassDelta::shallowAfter).reversed()),
        /** Retained bytes in the second dump. */
        RETAINED(Comparator.comparingLong(ClassDelta::retainedAfter).reversed()),
        /** The class name. */
        CLASS(Comparator.comparing(ClassDelta::className));

        private final Comparator<ClassDelta> order;

        Column(Comparator<ClassDelta> order) {
            this.order = order.thenComparing(Comparator.comparingLong(ClassDelta::deltaShallow).reversed())
                    .thenComparing(ClassDelta::className).thenComparing(d -> d.key().loader());
        }
    }

    private final List<ClassDelta> rows;
    private final int total;
    private final int unchanged;

    private HistogramDiff(List<ClassDelta> rows, int total, int unchanged) {
        this.rows = List.copyOf(rows);
        this.total = total;
        this.unchanged = unchanged;
    }

    /** The classes of dumps {@code before} and {@code after} of an alignment. */
    static HistogramDiff of(Alignment a, int before, int after) {
        List<ClassDelta> rows = new ArrayList<>();
        int unchanged = 0;
        for (int c = 0; c < a.classes(); c++) {
            ClassDelta d = new ClassDelta(a.table.classAt(c), a.classPresent[before][c], a.classPresent[after][c],
                    a.classCount[before][c], a.classCount[after][c], a.classShallow[before][c], a.classShallow[after][c],
                    a.classRetained[before][c], a.classRetained[after][c]);
            if (!d.before() && !d.after()) {
                continue;
            }
            if (d.changed()) {
                rows.add(d);
            } else {
                unchanged++;
            }
        }
        rows.sort(Column.DELTA_SHALLOW.order);
        return new HistogramDiff(rows, rows.size(), unchanged);
    }

    /** The classes that changed, in this diff's order. */
    public List<ClassDelta> rows() {
        return rows;
    }

    /** Whether no class changed. */
    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Classes both dumps have with the same figures. */
    public int unchangedCount() {
        return unchanged;
    }

    /** The same rows ordered by {@code column}, largest (or A) first. */
    public HistogramDiff sortedBy(Column column) {
        List<ClassDelta> out = new ArrayList<>(rows);
        out.sort(column.order);
        return new HistogramDiff(out, total, unchanged);
    }

    /** The same rows in the opposite order: {@code sortedBy(DELTA_SHALLOW).reversed()} puts what shrank most first. */
    public HistogramDiff reversed() {
        List<ClassDelta> out = new ArrayList<>(rows);
        Collections.reverse(out);
        return new HistogramDiff(out, total, unchanged);
    }

    /** The first {@code n} rows. */
    public HistogramDiff top(int n) {
        return new HistogramDiff(rows.subList(0, Math.min(Math.max(n, 0), rows.size())), total, unchanged);
    }

    /** Classes only the second dump has. */
    public List<ClassDelta> newClasses() {
        return rows.stream().filter(ClassDelta::isNew).toList();
    }

    /** Classes only the first dump has. */
    public List<ClassDelta> vanishedClasses() {
        return rows.stream().filter(ClassDelta::isVanished).toList();
    }

    /** The row of a class, or null if it did not change. */
    public ClassDelta row(ClassKey key) {
        return rows.stream().filter(d -> d.key().equals(key)).findFirst().orElse(null);
    }

    /**
     * The row of a class by Java name, summed over loaders if several define it; null if no class of
     * that name changed.
     */
    public ClassDelta row(String className) {
        ClassDelta sum = null;
        for (ClassDelta d : rows) {
            if (d.className().equals(className)) {
                sum = sum == null ? d : new ClassDelta(d.key(), sum.before() || d.before(), sum.after() || d.after(),
                        sum.countBefore() + d.countBefore(), sum.countAfter() + d.countAfter(),
                        sum.shallowBefore() + d.shallowBefore(), sum.shallowAfter() + d.shallowAfter(),
                        sum.retainedBefore() + d.retainedBefore(), sum.retainedAfter() + d.retainedAfter());
            }
        }
        return sum;
    }

    /** Names as shown: the class name, with its loader when several loaders define a class of that name. */
    static Map<ClassKey, String> shownNames(List<ClassDelta> rows) {
        Map<String, Integer> byName = new HashMap<>();
        for (ClassDelta d : rows) {
            byName.merge(d.className(), 1, Integer::sum);
        }
        Map<ClassKey, String> shown = new HashMap<>();
        for (ClassDelta d : rows) {
            shown.put(d.key(), byName.get(d.className()) > 1 ? d.key().toString() : d.className());
        }
        return shown;
    }

    @Override
    public String toString() {
        return toString(DEFAULT_ROWS);
    }

    /** The first {@code maxRows} rows as a table. */
    public String toString(int maxRows) {
        TextTable t = new TextTable("#", "Δcount", "Δshallow", "Δretained", "count", "shallow bytes", "retained bytes", "class")
                .alignRight(0, 1, 2, 3, 4, 5, 6);
        List<ClassDelta> shown = rows.subList(0, Math.min(maxRows, rows.size()));
        Map<ClassKey, String> names = shownNames(shown);
        int i = 1;
        for (ClassDelta d : shown) {
            String mark = d.isNew() ? " (new)" : d.isVanished() ? " (vanished)" : "";
            t.row(i++, TextTable.signed(d.deltaCount()), TextTable.signed(d.deltaShallow()), TextTable.signed(d.deltaRetained()), TextTable.number(d.countAfter()),
                    TextTable.bytes(d.shallowAfter()), TextTable.bytes(d.retainedAfter()), names.get(d.key()) + mark);
        }
        String more = shown.size() < total ? "… " + TextTable.number(total - shown.size()) + " more changed classes; " : "";
        t.footer(more + TextTable.number(total) + " classes changed, " + TextTable.number(unchanged) + " unchanged");
        return t.toString();
    }

    /** {@code +1,024}, {@code -8}, {@code 0}. */

}

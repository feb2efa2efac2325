package dev.heaplens.analysis;

import dev.heaplens.graph.ClassTable;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.text.TextTable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The class histogram: per class, how many objects and how many bytes of shallow size, sorted by
 * bytes, largest first (the order of {@code jcmd <pid> GC.class_histogram}). A class loaded by two
 * loaders has two rows, as in the JVM's own histogram.
 *
 * <pre>{@code
 * Histogram h = Histogram.of(graph);
 * System.out.println(h.top(20));
 * long strings = h.row("java.lang.String").count();
 * }</pre>
 */
public final class Histogram {
    private final List<HistogramRow> rows;
    private final long totalCount;
    private final long totalBytes;
    private final int classesWithInstances;

    private Histogram(List<HistogramRow> rows, long totalCount, long totalBytes, int classesWithInstances) {
        this.rows = List.copyOf(rows);
        this.totalCount = totalCount;
        this.totalBytes = totalBytes;
        this.classesWithInstances = classesWithInstances;
    }

    /** Counts every object of the graph by class, in one pass over two primitive arrays. */
    public static Histogram of(ObjectGraph graph) {
        return of(graph, null);
    }

    /** The histogram of the objects {@code include} accepts (all when it is null). */
    public static Histogram of(ObjectGraph graph, java.util.function.IntPredicate include) {
        ClassTable classes = graph.classes();
        long[] counts = new long[classes.size()];
        long[] bytes = new long[classes.size()];
        for (int obj = 0, n = graph.objectCount(); obj < n; obj++) {
            if (include != null && !include.test(obj)) {
                continue;
            }
            int c = graph.classOf(obj);
            counts[c]++;
            bytes[c] += graph.shallowSize(obj);
        }
        List<HistogramRow> rows = new ArrayList<>();
        long totalCount = 0;
        long totalBytes = 0;
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                rows.add(new HistogramRow(classes.name(c), c, counts[c], bytes[c]));
                totalCount += counts[c];
                totalBytes += bytes[c];
            }
        }
        rows.sort(Comparator.comparingLong(HistogramRow::shallowBytes).reversed()
                .thenComparing(Comparator.comparingLong(HistogramRow::count).reversed())
                .thenComparing(HistogramRow::className));
        return new Histogram(rows, totalCount, totalBytes, rows.size());
    }

    /** Rows, largest shallow bytes first. */
    public List<HistogramRow> rows() {
        return rows;
    }

    /** The first {@code n} rows; totals still cover the whole heap. */
    public Histogram top(int n) {
        return new Histogram(rows.subList(0, Math.min(n, rows.size())), totalCount, totalBytes, classesWithInstances);
    }

    /**
     * The row of a class by Java name, summed over loaders if several define it; {@code null} if
     * the class has no instances.
     */
    public HistogramRow row(String className) {
        HistogramRow found = null;
        for (HistogramRow r : rows) {
            if (r.className().equals(className)) {
                found = found == null ? r
                        : new HistogramRow(className, found.classIndex(), found.count() + r.count(), found.shallowBytes() + r.shallowBytes());
            }
        }
        return found;
    }

    /** Objects in the whole heap. */
    public long totalCount() {
        return totalCount;
    }

    /** Shallow bytes of the whole heap. */
    public long totalBytes() {
        return totalBytes;
    }

    /** Classes with at least one instance in the whole heap. */
    public int classCount() {
        return classesWithInstances;
    }

    @Override
    public String toString() {
        TextTable t = new TextTable("#", "count", "shallow bytes", "class").alignRight(0, 1, 2);
        int i = 1;
        for (HistogramRow r : rows) {
            t.row(i++, TextTable.number(r.count()), TextTable.bytes(r.shallowBytes()), r.className());
        }
        String more = rows.size() < classesWithInstances ? "… " + (classesWithInstances - rows.size()) + " more classes; " : "";
        t.footer(more + "total: " + TextTable.number(totalCount) + " objects, " + TextTable.bytes(totalBytes)
                + " bytes (" + TextTable.humanBytes(totalBytes) + ") in " + classesWithInstances + " classes");
        return t.toString();
    }
}

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
 * <p>With a dominator tree, each row also gets the retained size of the set of the class's
 * instances ({@link DominatorTree#classRetainedSize}): what the GC would free if every instance
 * went. Retained sizes of different classes overlap (a {@code HashMap}'s retained size includes its
 * {@code HashMap$Node[]}), so the column has no total.
 *
 * <pre>{@code
 * Histogram h = Histogram.of(graph);
 * System.out.println(h.top(20));
 * long strings = h.row("java.lang.String").count();
 * System.out.println(h.withRetained(DominatorTree.compute(graph)).sortedByRetained().top(10));
 * }</pre>
 */
public final class Histogram {
    private final List<HistogramRow> rows;
    private final long totalCount;
    private final long totalBytes;
    private final int classesWithInstances;
    private final boolean retained;

    private Histogram(List<HistogramRow> rows, long totalCount, long totalBytes, int classesWithInstances, boolean retained) {
        this.rows = List.copyOf(rows);
        this.totalCount = totalCount;
        this.totalBytes = totalBytes;
        this.classesWithInstances = classesWithInstances;
        this.retained = retained;
    }

    /** Counts every object of the graph by class, in one pass over two primitive arrays. */
    public static Histogram of(ObjectGraph graph) {
        return of(graph, (java.util.function.IntPredicate) null);
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
        rows.sort(BY_SHALLOW);
        return new Histogram(rows, totalCount, totalBytes, rows.size(), false);
    }

    private static final Comparator<HistogramRow> BY_SHALLOW = Comparator.comparingLong(HistogramRow::shallowBytes).reversed()
            .thenComparing(Comparator.comparingLong(HistogramRow::count).reversed())
            .thenComparing(HistogramRow::className);

    private static final Comparator<HistogramRow> BY_RETAINED = Comparator.comparingLong(HistogramRow::retainedBytes).reversed()
            .thenComparing(BY_SHALLOW);

    /**
     * This histogram with each row's retained size taken from {@code tree}, which must be the
     * dominator tree of the same graph; the order is kept.
     */
    public Histogram withRetained(DominatorTree tree) {
        long[] byClass = tree.classRetainedSizes();
        List<HistogramRow> out = new ArrayList<>(rows.size());
        for (HistogramRow r : rows) {
            out.add(r.withRetainedBytes(byClass[r.classIndex()]));
        }
        return new Histogram(out, totalCount, totalBytes, classesWithInstances, true);
    }

    /** Whether the rows carry retained sizes ({@link #withRetained}). */
    public boolean hasRetained() {
        return retained;
    }

    /** The same rows, largest retained size first; needs {@link #withRetained} first. */
    public Histogram sortedByRetained() {
        if (!retained) {
            throw new IllegalStateException("no retained sizes: use withRetained(tree) or Heap.histogramWithRetained() first");
        }
        return sorted(BY_RETAINED);
    }

    /** The same rows, largest shallow size first (the default order). */
    public Histogram sortedByShallow() {
        return sorted(BY_SHALLOW);
    }

    private Histogram sorted(Comparator<HistogramRow> order) {
        List<HistogramRow> out = new ArrayList<>(rows);
        out.sort(order);
        return new Histogram(out, totalCount, totalBytes, classesWithInstances, retained);
    }

    /** Rows, largest shallow bytes first unless {@linkplain #sortedByRetained() sorted otherwise}. */
    public List<HistogramRow> rows() {
        return rows;
    }

    /** The first {@code n} rows; totals still cover the whole heap. */
    public Histogram top(int n) {
        return new Histogram(rows.subList(0, Math.min(n, rows.size())), totalCount, totalBytes, classesWithInstances, retained);
    }

    /**
     * The row of a class by Java name, summed over loaders if several define it (retained sizes
     * too, which is exact unless one loader's instances hold the other's); {@code null} if the class
     * has no instances.
     */
    public HistogramRow row(String className) {
        HistogramRow found = null;
        for (HistogramRow r : rows) {
            if (r.className().equals(className)) {
                found = found == null ? r
                        : new HistogramRow(className, found.classIndex(), found.count() + r.count(), found.shallowBytes() + r.shallowBytes(),
                        retained ? found.retainedBytes() + r.retainedBytes() : HistogramRow.NOT_COMPUTED);
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
        TextTable t = retained
                ? new TextTable("#", "count", "shallow bytes", "retained bytes", "class").alignRight(0, 1, 2, 3)
                : new TextTable("#", "count", "shallow bytes", "class").alignRight(0, 1, 2);
        int i = 1;
        for (HistogramRow r : rows) {
            if (retained) {
                t.row(i++, TextTable.number(r.count()), TextTable.bytes(r.shallowBytes()), TextTable.bytes(r.retainedBytes()), r.className());
            } else {
                t.row(i++, TextTable.number(r.count()), TextTable.bytes(r.shallowBytes()), r.className());
            }
        }
        String more = rows.size() < classesWithInstances ? "… " + (classesWithInstances - rows.size()) + " more classes; " : "";
        t.footer(more + "total: " + TextTable.number(totalCount) + " objects, " + TextTable.bytes(totalBytes)
                + " bytes (" + TextTable.humanBytes(totalBytes) + ") in " + classesWithInstances + " classes");
        return t.toString();
    }
}

package dev.heaplens.analysis;

/**
 * One class in a {@link Histogram}.
 *
 * <pre>{@code
 * HistogramRow row = heap.histogramWithRetained().row("com.acme.Session");
 * System.out.println(row.count() + " sessions keep " + row.retainedBytes() + " bytes alive");
 * }</pre>
 *
 * @param className     Java name, e.g. {@code java.util.HashMap$Node} or {@code byte[]}
 * @param classIndex    the class's index in the graph's class table
 * @param count         number of instances ({@code Class} objects count as instances of {@code java.lang.Class})
 * @param shallowBytes  sum of the instances' VM shallow sizes
 * @param retainedBytes retained size of the set of all instances ({@link DominatorTree#classRetainedSize}),
 *                      or {@link #NOT_COMPUTED} when the histogram was made without a dominator tree
 */
public record HistogramRow(String className, int classIndex, long count, long shallowBytes, long retainedBytes) {
    /** {@link #retainedBytes()} of a row made without a dominator tree. */
    public static final long NOT_COMPUTED = -1;

    /** A row without a retained size. */
    public HistogramRow(String className, int classIndex, long count, long shallowBytes) {
        this(className, classIndex, count, shallowBytes, NOT_COMPUTED);
    }

    /** Whether {@link #retainedBytes()} was computed. */
    public boolean hasRetained() {
        return retainedBytes >= 0;
    }

    /** This row with a retained size. */
    public HistogramRow withRetainedBytes(long retained) {
        return new HistogramRow(className, classIndex, count, shallowBytes, retained);
    }
}

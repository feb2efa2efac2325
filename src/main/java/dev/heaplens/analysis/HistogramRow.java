package dev.heaplens.analysis;

/**
 * One class in a {@link Histogram}.
 *
 * @param className    Java name, e.g. {@code java.util.HashMap$Node} or {@code byte[]}
 * @param classIndex   the class's index in the graph's class table
 * @param count        number of instances ({@code Class} objects count as instances of {@code java.lang.Class})
 * @param shallowBytes sum of the instances' VM shallow sizes
 */
public record HistogramRow(String className, int classIndex, long count, long shallowBytes) {
}

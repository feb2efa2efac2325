package dev.heaplens.diff;

import java.util.List;

/**
 * A retention path that gained objects in every step of a series ({@link HeapGrowth}).
 *
 * <pre>{@code
 * PathGrowth g = growth.paths().get(0);
 * System.out.println(g.path() + " gains " + g.countDeltas() + " objects per step");
 * }</pre>
 *
 * @param path     the path
 * @param counts   objects on the path in each dump, in series order
 * @param retained bytes the path and the longer paths below it hold in each dump
 */
public record PathGrowth(RetentionPath path, List<Long> counts, List<Long> retained) {

    /** Copies the lists. */
    public PathGrowth {
        counts = List.copyOf(counts);
        retained = List.copyOf(retained);
    }

    /** Objects gained in each step (one fewer than dumps), all positive. */
    public List<Long> countDeltas() {
        return HeapGrowth.steps(counts);
    }

    /** Retained bytes gained in each step. */
    public List<Long> retainedDeltas() {
        return HeapGrowth.steps(retained);
    }

    /** Objects gained from the first dump to the last. */
    public long totalCount() {
        return counts.get(counts.size() - 1) - counts.get(0);
    }

    /** Retained bytes gained from the first dump to the last. */
    public long totalRetained() {
        return retained.get(retained.size() - 1) - retained.get(0);
    }
}

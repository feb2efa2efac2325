package dev.heaplens.diff;

import java.util.List;

/**
 * A class whose instances grew in number in every step of a series ({@link HeapGrowth}).
 *
 * <pre>{@code
 * ClassGrowth g = growth.classes().get(0);
 * System.out.println(g.key().className() + ": " + g.countDeltas());
 * }</pre>
 *
 * @param key     the class
 * @param counts  instances in each dump, in series order
 * @param shallow their shallow bytes in each dump
 */
public record ClassGrowth(ClassKey key, List<Long> counts, List<Long> shallow) {

    /** Copies the lists. */
    public ClassGrowth {
        counts = List.copyOf(counts);
        shallow = List.copyOf(shallow);
    }

    /** Instances gained in each step, all positive. */
    public List<Long> countDeltas() {
        return HeapGrowth.steps(counts);
    }

    /** Shallow bytes gained in each step. */
    public List<Long> shallowDeltas() {
        return HeapGrowth.steps(shallow);
    }

    /** Instances gained from the first dump to the last. */
    public long totalCount() {
        return counts.get(counts.size() - 1) - counts.get(0);
    }

    /** Shallow bytes gained from the first dump to the last. */
    public long totalShallow() {
        return shallow.get(shallow.size() - 1) - shallow.get(0);
    }
}

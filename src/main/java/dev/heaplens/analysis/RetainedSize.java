package dev.heaplens.analysis;

import dev.heaplens.graph.ObjectGraph;

/**
 * The retained size of a few chosen objects, without computing the whole dominator tree: for object
 * {@code x}, one search from the GC roots that does not pass through {@code x}, then one from
 * {@code x} over what the first did not reach. The objects found the second time are exactly those
 * {@code x} dominates, so the answer equals
 * {@code DominatorTree.compute(graph, policy).retainedSize(x)} (same edges, same super-root, thread
 * locals attributed to their thread).
 *
 * <pre>{@code
 * RetainedSize sizes = RetainedSize.over(graph, ReferencePolicy.EXCLUDE_REFERENTS);
 * long bytes = sizes.of(leaked);        // two searches of the graph
 * }</pre>
 *
 * <p>Cost: O(objects + references) time per object asked for, a bit and an {@code int} per object
 * of memory while it runs. A dominator tree costs a few searches' time and about 17 {@code int}s per
 * object but answers for every object: ask this class for a handful (a failed leak check's leaked
 * objects), the tree for more.
 */
public final class RetainedSize {
    private final ObjectGraph graph;
    private final Successors successors;

    private RetainedSize(ObjectGraph graph, Successors successors) {
        this.graph = graph;
        this.successors = successors;
    }

    /** Retained sizes over {@code graph}, with referents counted or not as {@code policy} says. */
    public static RetainedSize over(ObjectGraph graph, ReferencePolicy policy) {
        return new RetainedSize(graph, new GraphSuccessors(graph, policy));
    }

    /** Bytes object {@code obj} keeps alive, itself included; 0 when no GC root reaches it. */
    public long of(int obj) {
        if (obj < 0 || obj >= graph.objectCount()) {
            throw new IllegalArgumentException("no object at index " + obj + " (the graph has " + graph.objectCount() + ")");
        }
        int size = successors.size();
        long[] seen = new long[(size + 63) >>> 6];
        int[] queue = new int[size];
        // everything the roots reach without passing through obj; obj itself is marked so the search stops there
        mark(seen, obj);
        boolean reached = false;
        int tail = 0;
        queue[tail++] = successors.root();
        mark(seen, successors.root());
        for (int head = 0; head < tail; head++) {
            int v = queue[head];
            for (int k = 0, d = successors.degree(v); k < d; k++) {
                int t = successors.target(v, k);
                if (t == obj) {
                    reached = true;
                } else if (!marked(seen, t)) {
                    mark(seen, t);
                    queue[tail++] = t;
                }
            }
        }
        if (!reached) {
            return 0;
        }
        // what obj reaches that the first search did not: the objects it dominates
        long bytes = graph.shallowSize(obj);
        tail = 0;
        queue[tail++] = obj;
        for (int head = 0; head < tail; head++) {
            int v = queue[head];
            for (int k = 0, d = successors.degree(v); k < d; k++) {
                int t = successors.target(v, k);
                if (!marked(seen, t)) {
                    mark(seen, t);
                    queue[tail++] = t;
                    bytes += graph.shallowSize(t);
                }
            }
        }
        return bytes;
    }

    private static boolean marked(long[] bits, int i) {
        return (bits[i >>> 6] & (1L << i)) != 0;
    }

    private static void mark(long[] bits, int i) {
        bits[i >>> 6] |= 1L << i;
    }
}

package dev.heaplens.graph;

import java.util.function.IntConsumer;

/**
 * The graph's reverse edges (referrers), in CSR form, built on first use: one pass to count
 * in-degrees and one to fill, 4 bytes per object plus 4 per reference.
 *
 * <pre>{@code
 * graph.inbound().forEachReferrer(obj, referrer -> System.out.println(HeapObject.of(graph, referrer).label()));
 * }</pre>
 */
public final class InboundIndex {
    private final int[] start;
    private final int[] sources;

    private InboundIndex(int[] start, int[] sources) {
        this.start = start;
        this.sources = sources;
    }

    static InboundIndex build(ObjectGraph graph) {
        int n = graph.objectCount();
        long edges = graph.edgeCount();
        if (edges > Integer.MAX_VALUE - 8) {
            throw new UnsupportedOperationException("referrers of a graph with more than 2^31 references are not supported yet");
        }
        int[] start = new int[n + 1];
        for (long e = 0; e < edges; e++) {
            start[graph.edgeTarget(e)]++;
        }
        int running = 0;
        for (int v = 0; v < n; v++) {
            int count = start[v];
            start[v] = running;
            running += count;
        }
        start[n] = running;
        int[] fill = java.util.Arrays.copyOf(start, n);
        int[] sources = new int[running];
        for (int v = 0; v < n; v++) {
            for (long e = graph.edgeStart(v), end = graph.edgeEnd(v); e < end; e++) {
                sources[fill[graph.edgeTarget(e)]++] = v;
            }
        }
        return new InboundIndex(start, sources);
    }

    /** Number of references to {@code obj} (a referrer holding it twice counts twice). */
    public int inDegree(int obj) {
        return start[obj + 1] - start[obj];
    }

    /** Calls {@code action} with each object that references {@code obj}, in index order. */
    public void forEachReferrer(int obj, IntConsumer action) {
        for (int i = start[obj], end = start[obj + 1]; i < end; i++) {
            action.accept(sources[i]);
        }
    }

    /** Bytes held. */
    public long footprintBytes() {
        return 4L * start.length + 4L * sources.length;
    }
}

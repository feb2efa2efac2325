package dev.heaplens.analysis;

import dev.heaplens.graph.ClassTable;
import dev.heaplens.graph.ObjectGraph;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;

/**
 * The object graph with a virtual super-root (node {@code N}) whose successors are the distinct GC
 * root objects. Each object's successors are its references, then its class object (an instance
 * keeps its class alive, as in Eclipse MAT), minus the referent of a {@code Reference} when the
 * policy excludes referents.
 */
final class GraphSuccessors implements Successors {
    private final ObjectGraph graph;
    private final int n;
    private final int[] rootObjects;
    private final boolean skipReferents;
    private final int[] classObjectOfClass;

    GraphSuccessors(ObjectGraph graph, ReferencePolicy policy) {
        this.graph = graph;
        this.n = graph.objectCount();
        this.skipReferents = policy == ReferencePolicy.EXCLUDE_REFERENTS;
        IntOpenHashSet seen = new IntOpenHashSet();
        int[] roots = new int[graph.roots().size()];
        int count = 0;
        for (int r = 0; r < graph.roots().size(); r++) {
            int o = graph.roots().object(r);
            if (seen.add(o)) {
                roots[count++] = o;
            }
        }
        this.rootObjects = java.util.Arrays.copyOf(roots, count);
        ClassTable classes = graph.classes();
        this.classObjectOfClass = new int[classes.size()];
        for (int c = 0; c < classes.size(); c++) {
            classObjectOfClass[c] = classes.classObjectIndex(c);
        }
    }

    /** The distinct root objects. */
    int[] rootObjects() {
        return rootObjects;
    }

    @Override
    public int size() {
        return n + 1;
    }

    @Override
    public int root() {
        return n;
    }

    private int skip(int node) {
        return skipReferents && graph.hasReferentEdge(node) ? 1 : 0;
    }

    @Override
    public int degree(int node) {
        if (node == n) {
            return rootObjects.length;
        }
        int refs = graph.outDegree(node) - skip(node);
        return classObjectOfClass[graph.classOf(node)] >= 0 ? refs + 1 : refs;
    }

    @Override
    public int target(int node, int k) {
        if (node == n) {
            return rootObjects[k];
        }
        long e = graph.edgeStart(node) + skip(node) + k;
        return e < graph.edgeEnd(node) ? graph.edgeTarget(e) : classObjectOfClass[graph.classOf(node)];
    }
}

package dev.heaplens.leaks;

import dev.heaplens.Heap;
import dev.heaplens.analysis.DominatorTree;
import dev.heaplens.analysis.ReferencePolicy;
import dev.heaplens.analysis.ShortestPaths.Reachability;
import dev.heaplens.graph.HeapInstance;
import dev.heaplens.graph.HeapObject;

/**
 * Strong reachability in one opened dump, as the garbage collector sees it: the shortest paths that
 * skip the referents of weak, soft, phantom and final references, and retained sizes from a
 * dominator tree that skips them too ({@link ReferencePolicy#EXCLUDE_REFERENTS}), computed only when
 * a trace is asked for. With referents skipped, a {@link WatchedReference} neither gives its object
 * a path nor shares in retaining it.
 */
final class StrongPaths {
    private final Heap heap;
    private DominatorTree retained;

    StrongPaths(Heap heap) {
        this.heap = heap;
    }

    Heap heap() {
        return heap;
    }

    /** Whether the garbage collector could not reclaim object {@code obj}: a root, or a strong path leads to it. */
    boolean stronglyReachable(int obj) {
        return heap.shortestPaths().hasPath(obj);
    }

    /** How the roots reach {@code obj}: see {@link Reachability}. */
    Reachability reachability(int obj) {
        return heap.shortestPaths().reachability(obj);
    }

    /** The trace of a strongly reachable object. */
    LeakTrace trace(int obj, String description) {
        return new LeakTrace(description, heap.shortestPaths().pathTo(obj, retained())
                .orElseThrow(() -> new IllegalStateException("no strong path to object " + obj)));
    }

    /** Bytes {@code obj} keeps alive through strong references, itself included. */
    long retainedSize(int obj) {
        return retained().retainedSize(obj);
    }

    private DominatorTree retained() {
        if (retained == null) {
            retained = DominatorTree.compute(heap.graph(), ReferencePolicy.EXCLUDE_REFERENTS);
        }
        return retained;
    }

    /** The object a reference field of {@code holder} points to, or -1 for null (or a target missing from the dump). */
    static int referenceField(HeapInstance holder, String field) {
        return holder.get(field) instanceof HeapObject target ? target.index() : -1;
    }
}

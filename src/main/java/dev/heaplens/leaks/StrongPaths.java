package dev.heaplens.leaks;

import dev.heaplens.Heap;
import dev.heaplens.analysis.ArrayStep;
import dev.heaplens.analysis.ClassLinkStep;
import dev.heaplens.analysis.DominatorTree;
import dev.heaplens.analysis.FieldStep;
import dev.heaplens.analysis.GcRootPath;
import dev.heaplens.analysis.PathNode;
import dev.heaplens.analysis.PathStep;
import dev.heaplens.analysis.ReferencePolicy;
import dev.heaplens.analysis.RetainedSize;
import dev.heaplens.analysis.RootStep;
import dev.heaplens.analysis.ShortestPaths.Reachability;
import dev.heaplens.analysis.StaticStep;
import dev.heaplens.graph.HeapInstance;
import dev.heaplens.graph.HeapObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Strong reachability in one opened dump, as the garbage collector sees it: the shortest paths that
 * skip the referents of weak, soft, phantom and final references, and retained sizes that skip them
 * too ({@link ReferencePolicy#EXCLUDE_REFERENTS}). With referents skipped, a {@link WatchedReference}
 * neither gives its object a path nor shares in retaining it.
 *
 * <p>A trace annotates only the leaked object with its retained size. That size comes from the
 * dominator tree once {@link #rankByRetainedSize() ranking} has asked for it (an instance census
 * compares every instance), and otherwise from {@link RetainedSize}: two searches per traced object,
 * cheaper than the tree for the few objects a leak check reports.
 */
final class StrongPaths {
    private final Heap heap;
    private DominatorTree tree;
    private RetainedSize single;

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

    /** The trace of a strongly reachable object, the object annotated with its retained size. */
    LeakTrace trace(int obj, String description) {
        return trace(obj, description, retainedSize(obj));
    }

    /** The trace of a strongly reachable object whose retained size is known ({@code -1}: unknown, not shown). */
    LeakTrace trace(int obj, String description, long retained) {
        GcRootPath path = heap.shortestPaths().pathTo(obj)
                .orElseThrow(() -> new IllegalStateException("no strong path to object " + obj));
        return new LeakTrace(description, withTargetRetaining(path, retained));
    }

    /** Bytes {@code obj} keeps alive through strong references, itself included. */
    long retainedSize(int obj) {
        if (tree != null) {
            return tree.retainedSize(obj);
        }
        if (single == null) {
            single = RetainedSize.over(heap.graph(), ReferencePolicy.EXCLUDE_REFERENTS);
        }
        return single.of(obj);
    }

    /** Computes the dominator tree, so that {@link #retainedSize} answers for many objects at once. */
    void rankByRetainedSize() {
        if (tree == null) {
            tree = DominatorTree.compute(heap.graph(), ReferencePolicy.EXCLUDE_REFERENTS);
        }
    }

    /** The path with its last object's retained size set (the hops' are left unknown). */
    private static GcRootPath withTargetRetaining(GcRootPath path, long retained) {
        List<PathStep> steps = new ArrayList<>(path.steps());
        PathStep last = steps.get(steps.size() - 1);
        PathNode t = last.target();
        PathNode target = new PathNode(t.index(), t.id(), t.className(), t.classObject(), t.shallowSize(), retained);
        // Java 17: no pattern switch; the chain covers the sealed PathStep
        PathStep replaced;
        if (last instanceof RootStep r) {
            replaced = new RootStep(r.kind(), target, r.threadName(), r.frame());
        } else if (last instanceof StaticStep s) {
            replaced = new StaticStep(s.className(), s.field(), target);
        } else if (last instanceof FieldStep f) {
            replaced = new FieldStep(f.declaringClass(), f.field(), target);
        } else if (last instanceof ArrayStep a) {
            replaced = new ArrayStep(a.index(), target);
        } else {
            replaced = new ClassLinkStep(((ClassLinkStep) last).link(), target);
        }
        steps.set(steps.size() - 1, replaced);
        return new GcRootPath(steps);
    }

    /** The object a reference field of {@code holder} points to, or -1 for null (or a target missing from the dump). */
    static int referenceField(HeapInstance holder, String field) {
        return holder.get(field) instanceof HeapObject target ? target.index() : -1;
    }
}

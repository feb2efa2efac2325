package dev.heaplens.report;

import dev.heaplens.analysis.DominatorEntry;
import dev.heaplens.analysis.DominatorTree;
import it.unimi.dsi.fastutil.ints.IntList;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;

/**
 * One cell of the dominator tree's treemap: an object, sized by its retained bytes, with the
 * objects it dominates that are large enough to draw. What is too small to draw is summed in
 * {@link #otherBytes()} (with {@link #otherCount()} objects), so a cell's children and its rest
 * always add up to its retained size: {@code retained = shallow + Σ children.retained + otherBytes}.
 *
 * <p>The whole tree is cut to a budget of cells, largest first: a report of a dump of millions of
 * objects stays a few hundred kilobytes, and every drawn cell is at least a set fraction of the heap.
 *
 * <pre>{@code
 * TreemapNode map = TreemapNode.of(heap.dominators(), 2000, 0.05);
 * map.children().get(0)          // the largest top-level dominator
 * }</pre>
 *
 * @param id         the object's id (0 for the super-root: "all reachable objects")
 * @param className  its class ({@code class Foo} for a class object), or {@code "GC roots"} for the super-root
 * @param heldBy     how its immediate dominator holds it ({@code static Registry.SESSIONS}), or {@code null}
 * @param shallow    its own bytes (0 for the super-root)
 * @param retained   the bytes it keeps alive, itself included
 * @param children   dominated objects drawn as cells, largest first
 * @param otherCount dominated objects too small to draw (they are summed, not listed)
 * @param otherBytes their retained bytes, summed
 */
public record TreemapNode(long id, String className, String heldBy, long shallow, long retained, List<TreemapNode> children,
                          long otherCount, long otherBytes) {

    /** Default number of cells in a report's treemap. */
    public static final int DEFAULT_BUDGET = 1500;
    /** Default smallest cell, in percent of the reachable heap. */
    public static final double DEFAULT_MIN_PERCENT = 0.05;
    /** Most children one cell lists; the rest go to its "other" part. */
    static final int MAX_CHILDREN = 40;
    /** Deepest level drawn: a chain of single children (a linked list) stops here, its rest summed. */
    static final int MAX_DEPTH = 64;

    public TreemapNode {
        children = List.copyOf(children);
    }

    /** The treemap of {@code tree} with at most {@code budget} cells, none under {@code minPercent} percent of the reachable heap. */
    public static TreemapNode of(DominatorTree tree, int budget, double minPercent) {
        long minBytes = Math.max(1, (long) Math.ceil(tree.reachableBytes() * minPercent / 100));
        int superRoot = tree.graph().objectCount();
        Builder root = new Builder(superRoot, 0, "GC roots", null, 0, tree.reachableBytes(), 0);
        // Largest first: each step expands the largest cell not yet expanded, so the budget goes to what the eye sees.
        PriorityQueue<Builder> open = new PriorityQueue<>((a, b) -> Long.compare(b.retained, a.retained));
        open.add(root);
        int cells = 1;
        while (!open.isEmpty() && cells < budget) {
            Builder cell = open.poll();
            if (cell.depth >= MAX_DEPTH) {
                continue;
            }
            IntList kids = tree.childIndices(cell.index);
            int n = 0;
            while (n < kids.size() && n < MAX_CHILDREN && cells + n < budget && tree.retainedSize(kids.getInt(n)) >= minBytes) {
                n++;
            }
            long drawn = 0;
            for (int i = 0; i < n; i++) {
                int obj = kids.getInt(i);
                DominatorEntry e = tree.entry(obj);
                Builder child = new Builder(obj, e.id(), e.className(), e.heldBy(), e.shallowSize(), e.retainedSize(),
                        cell.depth + 1);
                cell.children.add(child);
                drawn += child.retained;
                open.add(child);
            }
            cells += n;
            cell.otherCount = kids.size() - n;
            cell.otherBytes = cell.retained - cell.shallow - drawn;
            cell.expanded = true;
        }
        return root.build(tree);
    }

    /** The cell's name for a person: {@code java.util.HashMap@0x7f0011a8}, or the super-root's. */
    public String label() {
        return id == 0 ? "all reachable objects" : className + "@0x" + Long.toHexString(id);
    }

    /** Cells in this subtree, itself included. */
    public int cellCount() {
        int n = 1;
        for (TreemapNode c : children) {
            n += c.cellCount();
        }
        return n;
    }

    /** A cell while the treemap is cut: mutable, then frozen by {@link #build}. */
    private static final class Builder {
        final int index;
        final long id;
        final String className;
        final String heldBy;
        final long shallow;
        final long retained;
        final List<Builder> children = new ArrayList<>();
        long otherCount;
        long otherBytes;
        final int depth;
        boolean expanded;

        Builder(int index, long id, String className, String heldBy, long shallow, long retained, int depth) {
            this.index = index;
            this.id = id;
            this.className = className;
            this.heldBy = heldBy;
            this.shallow = shallow;
            this.retained = retained;
            this.depth = depth;
        }

        TreemapNode build(DominatorTree tree) {
            List<TreemapNode> kids = new ArrayList<>(children.size());
            for (Builder c : children) {
                kids.add(c.build(tree));
            }
            if (!expanded) {
                // never opened: everything under it is "other"
                otherCount = index < tree.graph().objectCount() ? tree.childIndices(index).size() : 0;
                otherBytes = retained - shallow;
            }
            return new TreemapNode(id, className, heldBy, shallow, retained, Collections.unmodifiableList(kids), otherCount, otherBytes);
        }
    }
}

package dev.heaplens.report;

import dev.heaplens.Heap;
import dev.heaplens.analysis.DominatorTree;
import dev.heaplens.testing.RealDumps;
import it.unimi.dsi.fastutil.ints.IntList;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The treemap's cells against the dominator tree they are cut from. */
class TreemapNodeTest {

    @Test
    void everyCellAddsUpAndIsTheTreesOwnFigure() {
        try (Heap heap = Heap.open(RealDumps.workload())) {
            DominatorTree tree = heap.dominators();
            TreemapNode map = TreemapNode.of(tree, 500, 0.05);
            assertEquals(tree.reachableBytes(), map.retained());
            assertTrue(map.cellCount() <= 500 && map.cellCount() > 100, "cells: " + map.cellCount());
            long min = (long) Math.ceil(tree.reachableBytes() * 0.05 / 100);
            Deque<TreemapNode> todo = new ArrayDeque<>(map.children());
            long topDrawn = 0;
            for (TreemapNode c : map.children()) {
                topDrawn += c.retained();
            }
            assertEquals(map.retained(), topDrawn + map.otherBytes(), "the super-root: drawn + other");
            assertEquals(tree.childIndices(heap.graph().objectCount()).size(), map.children().size() + map.otherCount());
            while (!todo.isEmpty()) {
                TreemapNode cell = todo.pop();
                int index = heap.graph().indexOf(cell.id());
                assertEquals(tree.retainedSize(index), cell.retained(), cell.label());
                assertEquals(heap.graph().shallowSize(index), cell.shallow(), cell.label());
                assertTrue(cell.retained() >= min, cell.label() + " is drawn though under the smallest cell");
                long sum = cell.shallow() + cell.otherBytes();
                long previous = Long.MAX_VALUE;
                for (TreemapNode child : cell.children()) {
                    assertEquals(index, tree.immediateDominator(heap.graph().indexOf(child.id())), child.label() + " under " + cell.label());
                    assertTrue(child.retained() <= previous, "largest first");
                    previous = child.retained();
                    sum += child.retained();
                    todo.push(child);
                }
                assertEquals(cell.retained(), sum, "shallow + children + other = retained for " + cell.label());
                IntList kids = tree.childIndices(index);
                assertEquals(kids.size(), cell.children().size() + cell.otherCount(), cell.label());
            }
        }
    }

    /** The report's treemap is the heap's own, computed once beside the leak suspects, with the default budget. */
    @Test
    void theReportDrawsTheHeapsTreemap() {
        try (Heap heap = Heap.open(RealDumps.workload())) {
            HeapReport report = heap.report();
            assertSame(heap.treemap(), report.treemap());
            assertEquals(TreemapNode.of(heap.dominators(), TreemapNode.DEFAULT_BUDGET, TreemapNode.DEFAULT_MIN_PERCENT), report.treemap());
        }
    }

    @Test
    void aBudgetOfOneCellDrawsOnlyTheHeap() {
        try (Heap heap = Heap.open(RealDumps.workload())) {
            TreemapNode map = TreemapNode.of(heap.dominators(), 1, 0.05);
            assertEquals(1, map.cellCount());
            assertEquals(heap.dominators().reachableBytes(), map.otherBytes());
        }
    }
}

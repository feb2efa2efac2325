package dev.heaplens.analysis;

import dev.heaplens.Heap;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.testing.RealDumps;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntList;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RetainedSize} against the dominator tree on real dumps, under both reference policies. */
class RetainedSizeTest {

    private static void agreesWithTheDominatorTree(Path dump) {
        try (Heap heap = Heap.open(dump)) {
            ObjectGraph g = heap.graph();
            for (ReferencePolicy policy : ReferencePolicy.values()) {
                DominatorTree tree = DominatorTree.compute(g, policy);
                RetainedSize sizes = RetainedSize.over(g, policy);
                IntArrayList sample = new IntArrayList();
                // the largest (deep dominator subtrees, thread objects holding their locals), then at random
                tree.top(15).forEach(e -> sample.add(e.object()));
                Random random = new Random(42);
                for (int i = 0; i < 60; i++) {
                    sample.add(random.nextInt(g.objectCount()));
                }
                int unreachable = 0;
                for (int obj : sample) {
                    assertEquals(tree.retainedSize(obj), sizes.of(obj), policy + ", object " + obj + " of " + dump);
                    unreachable += tree.isReachable(obj) ? 0 : 1;
                }
                assertTrue(unreachable < sample.size());
            }
            assertThrows(IllegalArgumentException.class, () -> RetainedSize.over(g, ReferencePolicy.EXCLUDE_REFERENTS).of(-1));
        }
    }

    /**
     * Children lists are sorted when first asked for (sorting all of them up front took a second on a
     * 20 M-object dump): each list, asked for in any order and again, is the children by retained size,
     * largest first, ties by index; and each class's retained size, summed over the unsorted lists,
     * equals a naive oracle: its instances' retained sizes, less those under another instance.
     */
    @Test
    void theLargestRetainedSizesEqualASortOfEveryObjectTiesByIndex() {
        // a real dump of the test JVM, and one of 20,000 sessions of one size each: ties across the cut
        for (Path dump : new Path[] {RealDumps.workload(), dev.heaplens.fixtures.LeakWorkload.dump("shared")}) {
            try (Heap heap = Heap.open(dump)) {
                DominatorTree tree = heap.dominators();
                int[] all = java.util.stream.IntStream.range(0, heap.objectCount()).filter(tree::isReachable).boxed()
                        .sorted((a, b) -> tree.retainedSize(a) != tree.retainedSize(b)
                                ? Long.compare(tree.retainedSize(b), tree.retainedSize(a)) : Integer.compare(a, b))
                        .mapToInt(Integer::intValue).toArray();
                for (int k : new int[] {1, 25, 1_000, 30_000, all.length, all.length + 5}) {
                    int[] top = tree.top(k).stream().mapToInt(DominatorEntry::object).toArray();
                    assertArrayEquals(java.util.Arrays.copyOf(all, Math.min(k, all.length)), top, dump + ", top " + k);
                }
            }
        }
    }

    @Test
    void childrenComeLargestFirstAndClassRetainedSizesMatchANaiveSum() {
        try (Heap heap = Heap.open(RegistryLeakDump.get())) {
            ObjectGraph g = heap.graph();
            DominatorTree tree = DominatorTree.compute(g);
            long[] naive = new long[g.classes().size()];
            int tops = 0;
            for (int o = 0; o < g.objectCount(); o++) {
                if (!tree.isReachable(o)) {
                    // asked before the class retained sizes: it computes them
                    assertFalse(tree.isTopInstance(o), "unreachable " + o);
                    continue;
                }
                boolean underOwnClass = false;
                for (int d = tree.immediateDominator(o); d != DominatorTree.ROOT && !underOwnClass; d = tree.immediateDominator(d)) {
                    underOwnClass = g.classOf(d) == g.classOf(o);
                }
                if (!underOwnClass) {
                    naive[g.classOf(o)] += tree.retainedSize(o);
                    tops++;
                }
                assertEquals(!underOwnClass, tree.isTopInstance(o), "top instance " + o);
            }
            assertTrue(tops > 1000 && tops < tree.reachableCount(), "a real dump nests some instances in others of their class: " + tops);
            long[] byClass = tree.classRetainedSizes();
            assertArrayEquals(naive, byClass);
            Random random = new Random(7);
            for (int i = 0; i < 2_000; i++) {
                int parent = i == 0 ? g.objectCount() : random.nextInt(g.objectCount());
                IntList kids = tree.childIndices(parent);
                for (int k = 1; k < kids.size(); k++) {
                    long before = tree.retainedSize(kids.getInt(k - 1));
                    long after = tree.retainedSize(kids.getInt(k));
                    assertTrue(before > after || before == after && kids.getInt(k - 1) < kids.getInt(k),
                            "children of " + parent + " at " + k);
                }
                assertEquals(kids, tree.childIndices(parent), "the same list when asked again");
            }
        }
    }

    /**
     * Class retained sizes down a dominator tree 20,000 deep (a linked list whose nodes each hold an
     * item), deeper than the walk's first stack: every node lies under the head, so the class Node
     * retains the whole list; no item lies under another item, so Item retains the items.
     */
    @Test
    void classRetainedSizesOfAListTwentyThousandDeep(@org.junit.jupiter.api.io.TempDir Path temp) throws java.io.IOException {
        int length = 20_000;
        dev.heaplens.hprof.HprofWriter w = dev.heaplens.hprof.HprofWriter.create(8)
                .classDump("Node", dev.heaplens.hprof.HprofWriter.fields("next", dev.heaplens.hprof.BasicType.OBJECT,
                        "item", dev.heaplens.hprof.BasicType.OBJECT))
                .classDump("Item", dev.heaplens.hprof.HprofWriter.fields("value", dev.heaplens.hprof.BasicType.LONG));
        for (int i = 0; i < length; i++) {
            long node = 0x1000 + 16L * i;
            long item = 0x100_0000 + 16L * i;
            w.instance(node, "Node", dev.heaplens.hprof.HprofWriter.ref(i + 1 < length ? node + 16 : 0), dev.heaplens.hprof.HprofWriter.ref(item));
            w.instance(item, "Item", dev.heaplens.hprof.HprofWriter.value((long) i));
        }
        w.jniGlobalRoot(0x1000);
        try (Heap heap = Heap.open(w.write(temp))) {
            ObjectGraph g = heap.graph();
            DominatorTree tree = DominatorTree.compute(g);
            int head = g.indexOf(0x1000);
            int node = g.classOf(head);
            int item = g.classOf(g.indexOf(0x100_0000));
            long items = 0;
            for (int o = 0; o < g.objectCount(); o++) {
                if (g.classOf(o) == item) {
                    items += g.shallowSize(o);
                }
            }
            assertEquals(tree.retainedSize(head), tree.classRetainedSize(node));
            assertEquals(items, tree.classRetainedSize(item));
            assertTrue(tree.isTopInstance(head));
            assertFalse(tree.isTopInstance(g.indexOf(0x1000 + 16L * (length - 1))), "the last node lies under the head");
            assertTrue(tree.isTopInstance(g.indexOf(0x100_0000 + 16L * (length - 1))), "no item lies under another item");
            assertTrue(tree.retainedSize(head) > items, "the list holds its items");
        }
    }

    @Test
    void equalsTheDominatorTreesRetainedSizeOnARealDump() {
        agreesWithTheDominatorTree(RealDumps.workload());
    }

    @Test
    void equalsTheDominatorTreesRetainedSizeOnARealLeak() {
        agreesWithTheDominatorTree(RegistryLeakDump.get());
    }
}

package dev.heaplens.analysis;

import dev.heaplens.Heap;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.testing.RealDumps;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void equalsTheDominatorTreesRetainedSizeOnARealDump() {
        agreesWithTheDominatorTree(RealDumps.workload());
    }

    @Test
    void equalsTheDominatorTreesRetainedSizeOnARealLeak() {
        agreesWithTheDominatorTree(RegistryLeakDump.get());
    }
}

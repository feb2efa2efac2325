package dev.heaplens.bench;

import dev.heaplens.Heap;
import dev.heaplens.analysis.DominatorTree;

import java.nio.file.Path;

/**
 * The whole analysis as one process, to compare with other tools run the same way (wall time and
 * peak RSS from {@code /usr/bin/time -v}): open, graph, dominators, retained sizes, top dominators.
 *
 * <pre>{@code
 * /usr/bin/time -v java -Xmx1g -cp target/benchmarks.jar dev.heaplens.bench.WholeAnalysis javac-large
 * }</pre>
 */
public final class WholeAnalysis {
    private WholeAnalysis() {
    }

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        Path path = DominatorBench.pathOf(args.length > 0 ? args[0] : "javac-large");
        try (Heap heap = Heap.open(path)) {
            long t1 = System.nanoTime();
            DominatorTree tree = DominatorTree.compute(heap.graph());
            long t2 = System.nanoTime();
            System.out.println(tree.top(10));
            System.out.printf("open + graph %.0f ms (%s), dominators + retained %.0f ms, total %.0f ms; %,d objects, %,d edges%n",
                    (t1 - t0) / 1e6, heap.graph().buildTimes(), (t2 - t1) / 1e6, (t2 - t0) / 1e6,
                    heap.objectCount(), heap.graph().edgeCount());
        }
    }
}

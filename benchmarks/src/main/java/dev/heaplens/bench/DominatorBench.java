package dev.heaplens.bench;

import dev.heaplens.Heap;
import dev.heaplens.analysis.DominatorTree;
import dev.heaplens.graph.ObjectGraph;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Dominators and retained sizes ({@link DominatorTree#compute}) on a graph built in setup, and the
 * whole analysis a user waits for: open the dump, build the graph, dominators, retained sizes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class DominatorBench {

    @Param({"javac-large", "synthetic-5m"})
    public String dump;

    private Heap heap;
    private ObjectGraph graph;
    private Path path;

    static Path pathOf(String dump) {
        return dump.equals("synthetic-5m") ? SyntheticDump.path() : Dumps.path(dump);
    }

    @Setup
    public void setUp() {
        path = pathOf(dump);
        heap = Heap.open(path);
        graph = heap.graph();
    }

    @TearDown
    public void tearDown() {
        heap.close();
    }

    @Benchmark
    public DominatorTree dominators() {
        return DominatorTree.compute(graph);
    }

    /**
     * The tree, then the super-root's children largest first, as leak suspects and the report's treemap
     * ask for them: hundreds of thousands of children to sort on a real dump (the difference from
     * {@link #dominators} is the sort).
     */
    @Benchmark
    public int dominatorsThenRootChildren() {
        DominatorTree tree = DominatorTree.compute(graph);
        return tree.childIndices(graph.objectCount()).getInt(0);
    }

    @Benchmark
    public long wholeAnalysis() {
        try (Heap h = Heap.open(path)) {
            return DominatorTree.compute(h.graph()).reachableBytes();
        }
    }
}

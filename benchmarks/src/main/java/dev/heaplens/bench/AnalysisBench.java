package dev.heaplens.bench;

import dev.heaplens.Heap;
import dev.heaplens.analysis.DominatorTree;
import dev.heaplens.analysis.LeakSuspects;
import dev.heaplens.analysis.ShortestPaths;
import dev.heaplens.analysis.Waste;
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

import java.util.concurrent.TimeUnit;

/**
 * The analyses after the dominator tree, each on a graph and tree built in setup: the leak-suspect
 * search, the shortest paths from the GC roots, the waste analyses, and the whole report model
 * ({@code heap.report(top, pct)} on a heap whose analyses are already computed, so only the model:
 * treemap, tables, unreachable histogram).
 *
 * <pre>
 * java -jar target/benchmarks.jar AnalysisBench -p dump=javac-large
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class AnalysisBench {

    @Param({"javac-large"})
    public String dump;

    private Heap heap;
    private ObjectGraph graph;
    private DominatorTree tree;
    private ShortestPaths paths;

    @Setup
    public void setUp() {
        heap = Heap.open(Dumps.path(dump));
        graph = heap.graph();
        tree = heap.dominators();
        paths = heap.shortestPaths();
        heap.waste();
        heap.suspects();
    }

    @TearDown
    public void tearDown() {
        heap.close();
    }

    @Benchmark
    public LeakSuspects suspects() {
        return LeakSuspects.find(tree, paths, LeakSuspects.DEFAULT_THRESHOLD_PERCENT);
    }

    @Benchmark
    public ShortestPaths shortestPaths() {
        return ShortestPaths.compute(graph);
    }

    @Benchmark
    public Waste waste() {
        return Waste.of(graph);
    }

    @Benchmark
    public String reportHtml() {
        return heap.report(Heap.REPORT_TOP, LeakSuspects.DEFAULT_THRESHOLD_PERCENT).toHtml();
    }
}

package dev.heaplens.bench;

import dev.heaplens.Heap;
import dev.heaplens.graph.GraphBuilder;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.hprof.HprofFile;
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
 * Parse and graph build: from a dump to the finished {@link ObjectGraph} (ids indexed,
 * classes and roots read, every reference resolved to a dense index in CSR form).
 *
 * <p>{@link #buildGraph} builds from a file mapped in setup with {@code threads} build threads;
 * {@link #openHeap} is the front door as a user calls it, {@code Heap.open(path)} with default
 * options (map, build, close).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
// Room for the graph being built and the one before it, not yet collected.
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class GraphBuildBench {

    @Param({"javac-small"})
    public String dump;

    /** Build threads for {@link #buildGraph} ({@code Heap.open} uses up to 4, as many as there are cores). */
    @Param({"2"})
    public int threads;

    private Path path;
    private HprofFile file;

    @Setup
    public void setUp() {
        path = Dumps.path(dump);
        file = HprofFile.open(path);
    }

    @TearDown
    public void tearDown() {
        file.close();
    }

    @Benchmark
    public ObjectGraph buildGraph() {
        return new GraphBuilder(file).threads(threads).build();
    }

    @Benchmark
    public int openHeap() {
        try (Heap heap = Heap.open(path)) {
            return heap.graph().objectCount();
        }
    }
}

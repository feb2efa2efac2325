package dev.heaplens.bench;

import dev.heaplens.Heap;
import dev.heaplens.analysis.DominatorTree;
import dev.heaplens.diff.HeapDiff;
import dev.heaplens.diff.HeapSummary;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The diff of two real dumps (issue 5) beside the time to open them: {@code openBoth} opens the two
 * dumps (graphs built) and closes them; {@code wholeDiff} is what {@code heaplens diff} waits for:
 * open each in turn, dominator tree, summary, then the diff; {@code summarise} folds one dump's
 * dominator tree into paths and classes (the tree and graph built in setup); {@code alignAndDiff}
 * diffs two summaries made in setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class DiffBench {

    /** Which two dumps: {@code before:after}. */
    @Param({"javac-small:javac-large"})
    public String pair;

    private Path before;
    private Path after;
    private Heap heap;
    private DominatorTree tree;
    private HeapSummary summaryBefore;
    private HeapSummary summaryAfter;

    @Setup(Level.Trial)
    public void setUp() {
        String[] names = pair.split(":");
        before = Dumps.path(names[0]);
        after = Dumps.path(names[1]);
        summaryBefore = HeapSummary.of(before);
        heap = Heap.open(after);
        tree = heap.dominators();
        summaryAfter = HeapSummary.of(heap);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        heap.close();
    }

    @Benchmark
    public long openBoth() {
        try (Heap a = Heap.open(before); Heap b = Heap.open(after)) {
            return (long) a.objectCount() + b.objectCount();
        }
    }

    @Benchmark
    public HeapDiff wholeDiff() {
        return HeapDiff.of(before, after);
    }

    @Benchmark
    public HeapSummary summarise() {
        return HeapSummary.of(after, heap.graph(), tree);
    }

    @Benchmark
    public HeapDiff alignAndDiff() {
        return HeapDiff.of(summaryBefore, summaryAfter);
    }
}

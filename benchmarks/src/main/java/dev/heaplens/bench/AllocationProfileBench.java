package dev.heaplens.bench;

import dev.heaplens.alloc.AllocationProfile;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The whole view of a recording: read the {@code .jfr} file ({@link AllocationProfile#read}), then
 * every view (by type, call tree, backtraces of the top type, collections, hot sites). Recordings
 * from {@link Recordings}: {@code 10} seconds of load is 124 MB and 8 M events; {@code 80} about 1 GB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class AllocationProfileBench {
    @Param({"10"})
    public int seconds;

    private Path recording;

    @Setup
    public void setUp() {
        recording = Recordings.path(seconds);
    }

    @Benchmark
    public void readAndViewAll(Blackhole bh) {
        AllocationProfile p = AllocationProfile.read(recording);
        bh.consume(p.byType());
        bh.consume(p.callTree());
        bh.consume(p.backtraces(p.byType().get(0).className()));
        bh.consume(p.collections().summary());
        bh.consume(p.hotSites("dev.heaplens."));
    }
}

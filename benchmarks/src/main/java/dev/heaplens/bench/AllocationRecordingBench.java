package dev.heaplens.bench;

import dev.heaplens.alloc.AllocationRecorder;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The cost of recording allocations on the program being recorded: {@link AllocationLoad#run} (a
 * million small allocations) with no recording, with heaplens' default recording (throttled samples),
 * and with the TLAB events too. Compare the three as ratios within one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class AllocationRecordingBench {
    @Param({"none", "sampled", "tlab"})
    public String recording;

    private AllocationRecorder recorder;
    private Path dir;

    @Setup(Level.Trial)
    public void start() throws IOException {
        dir = Files.createTempDirectory("heaplens-bench-alloc");
        AllocationRecorder.Options options = AllocationRecorder.Options.defaults().in(dir);
        recorder = switch (recording) {
            case "sampled" -> AllocationRecorder.start(options);
            case "tlab" -> AllocationRecorder.start(options.withTlabEvents());
            default -> null;
        };
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        if (recorder != null) {
            recorder.close(); // discards the recording
        }
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public void millionAllocations() {
        AllocationLoad.run(1_000_000);
    }
}

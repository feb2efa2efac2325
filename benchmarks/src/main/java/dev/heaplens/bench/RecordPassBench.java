package dev.heaplens.bench;

import dev.heaplens.hprof.HprofFile;
import dev.heaplens.hprof.HprofReader;
import dev.heaplens.hprof.HprofVisitor;
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
 * heaplens' record pass alone: every record and heap sub-record walked and length-checked, each
 * reported to a visitor that does nothing.
 *
 * <p>{@link #recordPass} reads a file opened (mapped) in setup; {@link #openAndRecordPass} also
 * opens and closes it, which for a gzip dump ({@code -p dump=javac-small-gz}) includes
 * decompressing it to a temporary file.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RecordPassBench {

    @Param({"javac-small"})
    public String dump;

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
    public long recordPass() {
        return new HprofReader(file).accept(HprofVisitor.NONE).bytesRead();
    }

    @Benchmark
    public long openAndRecordPass() {
        try (HprofFile opened = HprofFile.open(path)) {
            return new HprofReader(opened).accept(HprofVisitor.NONE).bytesRead();
        }
    }
}

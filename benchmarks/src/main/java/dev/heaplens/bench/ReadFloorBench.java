package dev.heaplens.bench;

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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The floor: reading the whole dump once, doing nothing with it. The record pass and the graph
 * build are judged by their ratio to these.
 *
 * <p>The file is in the page cache after the first iteration (the machine has far more memory
 * than the dumps), so this is the cost of moving bytes from the cache, not of the disk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ReadFloorBench {
    private static final int CHUNK = 1 << 20;

    @Param({"javac-small"})
    public String dump;

    private Path path;
    private ByteBuffer buffer;

    @Setup
    public void setUp() {
        path = Dumps.path(dump);
        buffer = ByteBuffer.allocateDirect(CHUNK);
    }

    /** {@code FileChannel.read} into one reused 1 MiB direct buffer until the end of the file. */
    @Benchmark
    public long channelRead() throws IOException {
        long total = 0;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            int n;
            while ((n = channel.read(buffer.clear())) >= 0) {
                total += n;
            }
        }
        return total;
    }

    /**
     * Maps the file and sums it as little-endian longs (bytes for the tail): every byte is loaded
     * into a register once, the least any parser of a mapped file can do.
     */
    @Benchmark
    public long mappedLongSum() throws IOException {
        long sum = 0;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            for (long base = 0; base < size; base += Integer.MAX_VALUE & ~7L) {
                int length = (int) Math.min(size - base, Integer.MAX_VALUE & ~7L);
                MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, base, length);
                map.order(ByteOrder.LITTLE_ENDIAN);
                int i = 0;
                for (int end = length & ~7; i < end; i += 8) {
                    sum += map.getLong(i);
                }
                for (; i < length; i++) {
                    sum += map.get(i);
                }
            }
        }
        return sum;
    }
}

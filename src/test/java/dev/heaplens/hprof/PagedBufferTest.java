package dev.heaplens.hprof;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HprofBuffer#paged}: every read equals the same read of the bytes in memory, whatever pages are in. */
class PagedBufferTest {
    @TempDir
    Path temp;

    @Test
    void readsEqualTheBytesAcrossPagesAndEvictions() throws Exception {
        byte[] bytes = new byte[10_000 + 37];
        new Random(5).nextBytes(bytes);
        Path file = Files.write(temp.resolve("bytes.bin"), bytes);
        HprofBuffer memory = HprofBuffer.wrap(bytes, 30);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            // 64-byte pages, 3 kept: most reads evict, many values straddle two pages
            HprofBuffer paged = HprofBuffer.paged(channel, file, 6, 3);
            assertEquals(bytes.length, paged.size());
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<?> a = pool.submit(() -> compare(memory, paged, 1));
                Future<?> b = pool.submit(() -> compare(memory, paged, 2));
                a.get();
                b.get();
            } finally {
                pool.shutdown();
            }
            paged.unmap(); // a paged buffer drops its pages, and reads on
            assertEquals(memory.i8(bytes.length - 8), paged.i8(bytes.length - 8));
            assertArrayEquals(Arrays.copyOfRange(bytes, 100, 1_000), paged.bytes(100, 900));
        }
    }

    private static Void compare(HprofBuffer expected, HprofBuffer paged, long seed) {
        Random random = new Random(seed);
        long size = expected.size();
        for (int i = 0; i < 20_000; i++) {
            long p = (long) (random.nextDouble() * (size - 8));
            assertEquals(expected.u1(p), paged.u1(p), "u1 at " + p);
            assertEquals(expected.u2(p), paged.u2(p), "u2 at " + p);
            assertEquals(expected.i4(p), paged.i4(p), "i4 at " + p);
            assertEquals(expected.i8(p), paged.i8(p), "i8 at " + p);
            assertEquals(expected.id(p, 4), paged.id(p, 4), "id at " + p);
            int n = (int) Math.min(size - p, random.nextInt(300));
            assertArrayEquals(expected.bytes(p, n), paged.bytes(p, n), "bytes at " + p);
        }
        return null;
    }

    @Test
    void aFileThatShrankWhileOpenIsNamedWithTheOffset() throws IOException {
        Path file = Files.write(temp.resolve("shrinks.bin"), new byte[4096]);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            HprofBuffer paged = HprofBuffer.paged(channel, file, 10, 2);
            try (FileChannel writer = FileChannel.open(file, StandardOpenOption.WRITE)) {
                writer.truncate(1500);
            }
            assertEquals(0, paged.u1(10));
            HprofFormatException e = assertThrows(HprofFormatException.class, () -> paged.u1(3000));
            assertTrue(e.getMessage().contains("shrinks.bin") && e.getMessage().contains("2048"), e.getMessage());
        }
    }
}

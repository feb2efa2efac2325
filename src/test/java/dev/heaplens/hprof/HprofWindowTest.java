package dev.heaplens.hprof;

import dev.heaplens.testing.RealDumps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Windowed reads against the memory map: every value read through a window, in file order, in
 * records of every size, after jumps back and forth and at the file's end, equals the mapped read.
 */
class HprofWindowTest {
    @TempDir
    Path temp;

    @Test
    void windowedReadsEqualMappedReadsOfARealDump() {
        try (HprofFile file = HprofFile.open(RealDumps.workload())) {
            byte[] copy = file.buffer().bytes(0, (int) file.size());
            compare(file, 1 << 20);
            compare(file, 64);
            compare(file, 1000);
            try (HprofFile inMemory = HprofFile.wrap(file.path(), copy, 12)) {
                compare(inMemory, 64);
                compare(inMemory, 4096);
            }
        }
    }

    @Test
    void readingAfterReleasingPagesMapsTheFileAgain() {
        try (HprofFile file = HprofFile.open(RealDumps.workload())) {
            long before = file.buffer().i8(file.size() - 8);
            file.releasePages();
            file.releasePages();
            assertEquals(before, file.buffer().i8(file.size() - 8));
        }
    }

    @Test
    void aReadPastTheEndNamesTheFileAndOffset() throws IOException {
        Path dump = HprofWriter.create(8).write(temp);
        try (HprofFile file = HprofFile.open(dump)) {
            HprofWindow window = file.window(64);
            HprofFormatException e = assertThrows(HprofFormatException.class, () -> window.i8(file.size() - 4));
            assertTrue(e.getMessage().startsWith(dump + ": at byte " + (file.size() - 4)), e.getMessage());
        }
        assertTrue(Files.exists(dump));
    }

    /** Walks the file as record-sized strides with reads inside each, in order and out of order, plus random jumps. */
    private static void compare(HprofFile file, int capacity) {
        HprofBuffer map = file.buffer();
        HprofWindow window = file.window(capacity);
        Random random = new Random(capacity);
        long size = file.size();
        long pos = 0;
        while (pos + 8 <= size) {
            long length = 1 + (random.nextInt(8) == 0 ? random.nextInt(4 * capacity) : random.nextInt(200));
            long end = Math.min(size, pos + length);
            window.record(pos);
            for (int k = 0; k < 6; k++) {
                long at = pos + (long) (random.nextDouble() * Math.max(1, end - pos - 8));
                if (at + 8 > size) {
                    continue;
                }
                switch (random.nextInt(4)) {
                    case 0 -> assertEquals(map.u1(at), window.u1(at), "u1 at " + at);
                    case 1 -> assertEquals(map.i4(at), window.i4(at), "i4 at " + at);
                    case 2 -> assertEquals(map.u4(at), window.u4(at), "u4 at " + at);
                    default -> assertEquals(map.id(at, 8), window.id(at, 8), "id at " + at);
                }
            }
            if (random.nextInt(50) == 0) {
                long jump = (long) (random.nextDouble() * (size - 8));
                window.record(jump);
                assertEquals(map.id(jump, 4), window.id(jump, 4), "jump to " + jump);
            }
            pos = end;
        }
        assertEquals(map.i4(size - 4), window.i4(size - 4), "the last bytes");
    }
}

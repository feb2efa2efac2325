package dev.heaplens.hprof;

import dev.heaplens.Heap;
import dev.heaplens.analysis.Waste;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link HprofFile#withOwnPages}: the dump's pages a pass reads through its own mapping stop counting
 * in the process's resident memory when it ends. Measured by the kernel's {@code RssFile} (resident
 * file-backed pages, which the Java heap does not move) on a dump of 48 MB of byte arrays.
 */
class OwnPagesTest {
    private static final int ARRAYS = 12;
    private static final int ARRAY_BYTES = 4 << 20;

    @TempDir
    Path temp;

    @Test
    void pagesReadThroughAMappingOfItsOwnDoNotStayResident() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "the kernel's resident-memory figures");
        Path dump = bigArrays();
        try (HprofFile file = HprofFile.open(dump)) {
            HprofBuffer shared = file.buffer();
            long before = residentFileBytes();
            long[] during = new long[1];
            long sum = file.withOwnPages(() -> {
                HprofBuffer own = file.buffer();
                assertNotSame(shared, own);
                assertSame(own, file.withOwnPages(file::buffer), "a nested call shares the outer mapping");
                long s = sumOfLongs(own);
                during[0] = residentFileBytes();
                return s;
            });
            long after = residentFileBytes();
            assertTrue(during[0] - before > file.size() * 8 / 10, "the reads made the pages resident: "
                    + before + " -> " + during[0] + " of " + file.size());
            assertTrue(after - before < file.size() / 10, "released: " + before + " -> " + after);
            assertSame(shared, file.buffer(), "other reads go on through the shared mapping");
            assertEquals(sumOfLongs(shared), sum);
        }
    }

    @Test
    void trimmingDropsThePagesReadSoFarAndReadsGoOn() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "the kernel's resident-memory figures");
        Path dump = bigArrays();
        try (HprofFile file = HprofFile.open(dump)) {
            file.trimOwnPages(); // outside withOwnPages: nothing to trim, and the shared mapping stays
            long expected = sumOfLongs(file.buffer());
            file.releasePages();
            file.withOwnPages(() -> {
                HprofBuffer own = file.buffer();
                long before = residentFileBytes();
                assertEquals(expected, sumOfLongs(own));
                long read = residentFileBytes();
                file.trimOwnPages();
                long trimmed = residentFileBytes();
                assertTrue(read - before > file.size() * 8 / 10, "read: " + before + " -> " + read);
                assertTrue(trimmed - before < file.size() / 10, "trimmed: " + before + " -> " + read + " -> " + trimmed);
                assertEquals(expected, sumOfLongs(own), "the same buffer reads on after the trim");
                return null;
            });
        }
    }

    /** The waste analyses read every primitive array: before, those pages stayed resident after the report. */
    @Test
    void theWasteAnalysesLeaveTheDumpsPagesOut() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "the kernel's resident-memory figures");
        Heap heap = Heap.open(bigArrays());
        long before = residentFileBytes();
        Waste waste = Waste.of(heap.graph());
        long after = residentFileBytes();
        assertTrue(waste.zeroArrays().toString().contains("byte[]"), waste.zeroArrays().toString());
        assertTrue(after - before < ARRAYS * (long) ARRAY_BYTES / 10, "resident file pages " + before + " -> " + after);
    }

    /**
     * After {@link HprofFile#releasePages()}, reads through {@link HprofFile#buffer()} go to pages read
     * into the heap, not to a map: a report's scattered reads (a long every 64 KB here, which a map's
     * fault-around or large folios turn into the whole file) leave the dump's pages out of the
     * process's resident memory. Before, the buffer mapped the file again and the whole 48 MB stayed.
     */
    @Test
    void scatteredReadsAfterTheReleaseLeaveTheDumpsPagesOut() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "the kernel's resident-memory figures");
        Path dump = bigArrays();
        try (HprofFile file = HprofFile.open(dump)) {
            long expected = sampledLongs(file.buffer());
            file.releasePages();
            long before = residentFileBytes();
            assertEquals(expected, sampledLongs(file.buffer()));
            long after = residentFileBytes();
            assertTrue(after - before < file.size() / 10, "resident file pages " + before + " -> " + after
                    + " after reading a long every 64 KB of " + file.size() + " bytes");
        }
    }

    private static long sampledLongs(HprofBuffer b) {
        long sum = 0;
        for (long p = 0; p + 8 <= b.size(); p += 64 << 10) {
            sum = 31 * sum + b.i8(p);
        }
        return sum;
    }

    /**
     * The record pass reads heap dump segments through windows, and it read each segment's header
     * through the map: at least a page resident per segment, and on a kernel whose page cache keeps
     * large folios a megabyte or more per fault (853 of 921 MB of h2-medium stayed resident). A dump of
     * 256 segments, 64 KB apart, is listed twice, with a fresh mapping each time; the second pass,
     * with every class it uses loaded, must leave fewer than half a page per segment resident.
     */
    @Test
    void theRecordPassLeavesTheDumpsPagesOut() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "the kernel's resident-memory figures");
        int segments = 256;
        HprofWriter w = HprofWriter.create(8).segmentSize(64 << 10);
        Random random = new Random(11);
        for (int i = 0; i < segments; i++) {
            byte[] b = new byte[60 << 10];
            random.nextBytes(b);
            long id = w.nextObjectId();
            w.primitiveArray(id, BasicType.BYTE, b).jniGlobalRoot(id);
        }
        Path dump = w.write(temp);
        for (int pass = 0; pass < 2; pass++) {
            try (HprofFile file = HprofFile.open(dump)) {
                long before = residentFileBytes();
                long[] arrays = new long[2];
                class Arrays implements HprofVisitor {
                    final int part;

                    Arrays(int part) {
                        this.part = part;
                    }

                    @Override
                    public void primitiveArray(long id, BasicType type, long recordOffset, long elementsOffset, int length) {
                        arrays[part]++;
                    }
                }
                HprofReader.Result result = new HprofReader(file).acceptInParallel(new HprofVisitor() { }, List.of(new Arrays(0), new Arrays(1)));
                long after = residentFileBytes();
                assertTrue(result.complete());
                assertEquals(segments, arrays[0] + arrays[1]);
                assertTrue(arrays[0] > 0 && arrays[1] > 0, "two parts read segments: " + arrays[0] + " and " + arrays[1]);
                if (pass == 1) {
                    assertTrue(after - before < segments * 4096L / 2, "resident file pages " + before + " -> " + after
                            + " after listing " + segments + " segments of a dump of " + file.size() + " bytes");
                }
            }
        }
    }

    /** {@value #ARRAYS} byte arrays of 4 MB, one in four of their bytes non-zero, held by JNI globals. */
    private Path bigArrays() throws IOException {
        HprofWriter w = HprofWriter.create(8);
        Random random = new Random(7);
        for (int i = 0; i < ARRAYS; i++) {
            byte[] b = new byte[ARRAY_BYTES];
            for (int j = 0; j < b.length; j += 4) {
                b[j] = (byte) (1 + random.nextInt(255));
            }
            long id = w.nextObjectId();
            w.primitiveArray(id, BasicType.BYTE, b).jniGlobalRoot(id);
        }
        return w.write(temp);
    }

    private static long sumOfLongs(HprofBuffer b) {
        long s = 0;
        for (long p = 0; p + 8 <= b.size(); p += 8) {
            s += b.i8(p);
        }
        return s;
    }

    /** The kernel's {@code RssFile}: bytes of file-backed pages resident in this process. */
    private static long residentFileBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("RssFile:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("no RssFile in /proc/self/status");
    }
}

package dev.heaplens.graph;

import dev.heaplens.hprof.BasicType;
import dev.heaplens.hprof.ClassDump;
import dev.heaplens.hprof.HprofFile;
import dev.heaplens.hprof.HprofFormatException;
import dev.heaplens.hprof.HprofReader;
import dev.heaplens.hprof.HprofVisitor;
import dev.heaplens.testing.RealDumps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hostile input: a real dump truncated at many offsets and with random bytes flipped in thousands
 * of copies. Every failure must be an {@link HprofFormatException} with an offset inside the file,
 * nothing may hang, and lenient mode must recover exactly the objects whose records are complete.
 */
class CorruptDumpTest {
    private static final Path NAME = Path.of("corrupt.hprof");
    private static byte[] original;
    /** Record offset and end of every object record in the intact dump. */
    private static long[] objectEnds;

    @BeforeAll
    static void readRealDump() throws IOException {
        original = Files.readAllBytes(RealDumps.workload());
        try (HprofFile file = HprofFile.wrap(NAME, original, 30)) {
            EndCollector ends = new EndCollector();
            assertTrue(new HprofReader(file).accept(ends).complete());
            objectEnds = ends.ends();
            Arrays.sort(objectEnds);
        }
    }

    @Test
    void truncationFailsClearlyAndLenientModeKeepsTheCompletePrefix() {
        Random random = new Random(42);
        int cuts = 300;
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            for (int i = 0; i < cuts; i++) {
                int length = i < 40 ? i : 1 + random.nextInt(original.length - 1);
                byte[] cut = Arrays.copyOf(original, length);
                HprofFormatException strict = expectFormatError(cut, false);
                assertTrue(strict.offset() >= 0 && strict.offset() <= length, "offset " + strict.offset() + " in " + length);
                if (length < 31) {
                    continue; // not even a header: lenient mode cannot open it either
                }
                try (HprofFile file = HprofFile.wrap(NAME, cut, 12)) {
                    ObjectGraph graph = new GraphBuilder(file).lenient(true).build();
                    long expected = completeObjectsBefore(length);
                    assertEquals(expected, graph.objectCount(), "objects recovered from a dump cut at " + length);
                    assertFalse(graph.readResult().complete());
                    assertTrue(graph.warnings().stream().anyMatch(w -> w.contains("not analysed")), graph.warnings().toString());
                }
            }
        });
    }

    @Test
    void randomByteFlipsNeverEscapeAsAnythingButFormatErrors() {
        Random random = new Random(7);
        int copies = 2000;
        byte[] copy = original.clone();
        assertTimeoutPreemptively(Duration.ofMinutes(4), () -> {
            int failures = 0;
            for (int i = 0; i < copies; i++) {
                int flips = 1 + random.nextInt(4);
                int[] at = new int[flips];
                for (int f = 0; f < flips; f++) {
                    // half the flips land in the first 2% of the file, where names and classes live
                    at[f] = random.nextBoolean() ? random.nextInt(original.length) : random.nextInt(original.length / 50);
                    copy[at[f]] ^= (byte) (1 << random.nextInt(8));
                }
                try {
                    open(copy, i % 2 == 0, 16 + random.nextInt(10));
                } catch (HprofFormatException e) {
                    failures++;
                    assertTrue(e.offset() >= 0 && e.offset() <= copy.length, e.getMessage());
                    assertTrue(e.getMessage().startsWith(NAME + ": at byte "), e.getMessage());
                } catch (RuntimeException e) {
                    throw new AssertionError("flips at " + Arrays.toString(at) + " raised " + e, e);
                }
                for (int f = flips - 1; f >= 0; f--) {
                    copy[at[f]] = original[at[f]];
                }
            }
            assertTrue(failures > 0, "some flips must be detected");
        });
    }

    @Test
    void theRecordPassOnTwoThreadsFailsAndRecoversExactlyAsOneThreadDoes() {
        Random random = new Random(11);
        byte[] copy = original.clone();
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            int differentFromIntact = 0;
            String intact = outcome(original, false, 1);
            for (int i = 0; i < 300; i++) {
                // flips anywhere, and cuts: the problem lands in any part, or in none
                int at = random.nextInt(original.length);
                copy[at] ^= (byte) (1 << random.nextInt(8));
                byte[] damaged = i % 3 == 0 ? Arrays.copyOf(original, 1 + random.nextInt(original.length - 1)) : copy;
                boolean lenient = i % 2 == 0;
                String one = outcome(damaged, lenient, 1);
                assertEquals(one, outcome(damaged, lenient, 2), "flip at " + at + (damaged != copy ? ", cut at " + damaged.length : "")
                        + (lenient ? ", lenient" : ", strict"));
                if (!one.equals(intact)) {
                    differentFromIntact++;
                }
                copy[at] = original[at];
            }
            assertTrue(differentFromIntact > 100, "most damage must show: " + differentFromIntact);
        });
    }

    /** What a build on {@code threads} threads gives: the error, or the objects with their ids, classes and edges, and the warnings. */
    private static String outcome(byte[] bytes, boolean lenient, int threads) {
        try (HprofFile file = HprofFile.wrap(NAME, bytes, 20)) {
            ObjectGraph g = new GraphBuilder(file).lenient(lenient).threads(threads).build();
            long h = 0;
            for (int o = 0; o < g.objectCount(); o++) {
                h = h * 31 + g.id(o);
                h = h * 31 + g.recordOffset(o);
                h = h * 31 + g.classOf(o);
                for (long e = g.edgeStart(o), end = g.edgeEnd(o); e < end; e++) {
                    h = h * 31 + g.edgeTarget(e);
                }
            }
            for (int r = 0; r < g.roots().size(); r++) {
                h = h * 31 + g.roots().object(r);
            }
            return g.objectCount() + " objects, " + g.roots().size() + " roots, hash " + h + ", " + g.warnings();
        } catch (HprofFormatException e) {
            return e.getMessage();
        }
    }

    @Test
    void aLengthClaimingMoreThanTheFileHoldsNeverAllocatesIt() {
        byte[] copy = original.clone();
        // the first heap dump segment's length field: claim 4 GB
        long segment = firstHeapSegment();
        copy[(int) segment + 5] = (byte) 0xFF;
        copy[(int) segment + 6] = (byte) 0xFF;
        copy[(int) segment + 7] = (byte) 0xFF;
        copy[(int) segment + 8] = (byte) 0xF0;
        HprofFormatException e = expectFormatError(copy, false);
        assertEquals(segment, e.offset());
        assertTrue(e.getMessage().contains("HEAP DUMP SEGMENT") && e.getMessage().contains("remain in the file"), e.getMessage());
    }

    private static long firstHeapSegment() {
        try (HprofFile file = HprofFile.wrap(NAME, original, 30)) {
            long[] found = {-1};
            new HprofReader(file).accept(new HprofVisitor() {
                @Override
                public void heapDumpStart(dev.heaplens.hprof.RecordTag tag, long bodyOffset, long length) {
                    if (found[0] < 0) {
                        found[0] = bodyOffset - 9;
                    }
                }
            });
            return found[0];
        }
    }

    private static HprofFormatException expectFormatError(byte[] bytes, boolean lenient) {
        try {
            open(bytes, lenient, 14);
        } catch (HprofFormatException e) {
            return e;
        }
        return fail("no HprofFormatException for " + bytes.length + " bytes");
    }

    private static void open(byte[] bytes, boolean lenient, int chunkBits) {
        try (HprofFile file = HprofFile.wrap(NAME, bytes, chunkBits)) {
            ObjectGraph graph = new GraphBuilder(file).lenient(lenient).threads(1).build();
            dev.heaplens.analysis.Histogram.of(graph);
        }
    }

    private static long completeObjectsBefore(long length) {
        int lo = 0;
        int hi = objectEnds.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (objectEnds[mid] <= length) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * End offset of every object record. Sub-records are contiguous inside a segment, so a record
     * ends where the next one (or the segment) begins.
     */
    private static final class EndCollector implements HprofVisitor {
        private final it.unimi.dsi.fastutil.longs.LongArrayList boundaries = new it.unimi.dsi.fastutil.longs.LongArrayList();
        private final it.unimi.dsi.fastutil.longs.LongArrayList objectStarts = new it.unimi.dsi.fastutil.longs.LongArrayList();

        long[] ends() {
            long[] b = boundaries.toLongArray();
            Arrays.sort(b);
            long[] ends = new long[objectStarts.size()];
            for (int i = 0; i < ends.length; i++) {
                int at = Arrays.binarySearch(b, objectStarts.getLong(i));
                ends[i] = b[at + 1];
            }
            return ends;
        }

        private void object(long recordOffset) {
            objectStarts.add(recordOffset);
            boundaries.add(recordOffset);
        }

        @Override
        public void heapDumpStart(dev.heaplens.hprof.RecordTag tag, long bodyOffset, long length) {
            boundaries.add(bodyOffset + length);
        }

        @Override
        public void root(dev.heaplens.hprof.RootKind kind, long objectId, int threadSerial, long extra, long recordOffset) {
            boundaries.add(recordOffset);
        }

        @Override
        public void instance(long id, long classId, long recordOffset, long dataOffset, int dataLength) {
            object(recordOffset);
        }

        @Override
        public void objectArray(long id, long arrayClassId, long recordOffset, long elementsOffset, int length) {
            object(recordOffset);
        }

        @Override
        public void primitiveArray(long id, BasicType type, long recordOffset, long elementsOffset, int length) {
            object(recordOffset);
        }

        @Override
        public void classDump(ClassDump dump) {
            object(dump.recordOffset());
        }
    }
}

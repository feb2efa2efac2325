package dev.heaplens.graph;

import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link IdIndex} and {@link IdSort} against the obvious: a hash map and {@code Arrays.sort}. */
class IdIndexTest {
    private final Random random = new Random(20261127);

    @RepeatedTest(20)
    void denseAndSparseIdsResolveLikeAHashMap() {
        boolean dense = random.nextBoolean();
        int n = 1 + random.nextInt(50_000);
        long[] ids = new long[n];
        long id = 0x7_0000_0000L + 8L * random.nextInt(1000);
        for (int i = 0; i < n; i++) {
            ids[i] = id;
            // dense: objects of 16..128 bytes; sparse: occasional gaps of up to 64 MB
            id += dense ? 8L * (2 + random.nextInt(15)) : 8L * (1 + random.nextInt(random.nextInt(10) == 0 ? 8_000_000 : 20));
        }
        IdIndex index = new IdIndex(ids);
        Long2IntOpenHashMap oracle = new Long2IntOpenHashMap();
        oracle.defaultReturnValue(-1);
        for (int i = 0; i < n; i++) {
            oracle.put(ids[i], i);
        }
        for (int q = 0; q < 20_000; q++) {
            long probe = random.nextInt(3) == 0 ? ids[random.nextInt(n)]
                    : ids[0] - 64 + (long) (random.nextDouble() * (ids[n - 1] - ids[0] + 128));
            assertEquals(oracle.get(probe), index.indexOf(probe), "id 0x" + Long.toHexString(probe));
        }
        for (int i = 0; i < n; i++) {
            assertEquals(i, index.indexOf(ids[i]));
            assertEquals(ids[i], index.idOf(i));
        }
        if (dense) {
            assertTrue(index.usesBitmap(), "dense ids use the rank bitmap");
            assertTrue(index.footprintBytes() <= IdIndex.MAX_BITMAP_BYTES_PER_OBJECT * (long) n + 64);
        }
    }

    /**
     * Ids on both sides of 2^63 span more than {@code Long.MAX_VALUE}: every lookup missed (a bit
     * flip in one id's top byte lost every reference of the dump; the fuzzer's
     * fixture8-segments.hprof:10003159, replayed in FuzzFindingsTest).
     */
    @Test
    void idsSpanningMoreThanLongMaxValueResolve() {
        long[] ids = {0x8000_0007_0000_0018L, -8, 0x7_0000_0000L, 0x7_0000_0008L, 0x7_0000_02C0L};
        IdIndex index = new IdIndex(ids);
        for (int i = 0; i < ids.length; i++) {
            assertEquals(i, index.indexOf(ids[i]), "id 0x" + Long.toHexString(ids[i]));
        }
        for (long absent : new long[] {Long.MIN_VALUE, 0x8000_0007_0000_0010L, 0x8000_0007_0000_0020L, -16, -1, 0, 8,
                0x7_0000_0010L, 0x7_0000_02C8L, Long.MAX_VALUE}) {
            assertEquals(-1, index.indexOf(absent), "id 0x" + Long.toHexString(absent));
        }
    }

    @Test
    void idsAnywhereInTheLongRangeResolveLikeAHashMap() {
        for (int round = 0; round < 5; round++) {
            idsAnywhereResolve(1 + random.nextInt(round == 0 ? 3 : 5_000));
        }
    }

    private void idsAnywhereResolve(int n) {
        long[] ids = random.longs(n).map(v -> random.nextBoolean() ? v : v & ~7L).sorted().distinct().toArray();
        IdIndex index = new IdIndex(ids);
        Long2IntOpenHashMap oracle = new Long2IntOpenHashMap();
        oracle.defaultReturnValue(-1);
        for (int i = 0; i < ids.length; i++) {
            oracle.put(ids[i], i);
        }
        for (int q = 0; q < 20_000; q++) {
            long probe = random.nextInt(3) == 0 ? ids[random.nextInt(ids.length)] : random.nextLong();
            assertEquals(oracle.get(probe), index.indexOf(probe), "id 0x" + Long.toHexString(probe));
        }
        assertArrayEquals(ids, idsOf(index));
    }

    /**
     * The graph keeps no ids where the rank bitmap is used: an index's id is selected from it. Each
     * layout: a bit for every slot with empty blocks between objects (one gap of 40 KB), a directory
     * of occupied blocks (stretches gigabytes apart), ids 16-byte aligned, and the radix buckets.
     */
    @Test
    void everyIndexSelectsItsIdInEachLayout() {
        long[] withAGap = new long[20_000];
        long[] farApart = new long[20_000];
        long[] aligned16 = new long[20_000];
        for (int i = 0; i < withAGap.length; i++) {
            withAGap[i] = 0x7_0000_0000L + 8L * (2 * i + random.nextInt(2)) + (i >= 10_000 ? 40 << 10 : 0);
            farApart[i] = 0x6_0000_0000L + (long) (i / 5_000) * (2L << 30) + 24L * i;
            aligned16[i] = 0x1000 + 16L * i + (i > 500 ? 16 << 10 : 0);
        }
        for (long[] ids : new long[][] {withAGap, farApart, aligned16, {8, 1L << 40, 3L << 40}, {0x1000}}) {
            IdIndex index = new IdIndex(ids);
            assertArrayEquals(ids, idsOf(index), "ids from 0x" + Long.toHexString(ids[0]));
            assertEquals(ids.length, index.size());
        }
        assertTrue(new IdIndex(farApart).usesBitmap(), "stretches far apart: the bitmap with a directory");
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> new IdIndex(aligned16).idOf(20_000));
        assertEquals("object index 20000 of 20000", e.getMessage());
    }

    private static long[] idsOf(IdIndex index) {
        long[] ids = new long[index.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = index.idOf(i);
        }
        return ids;
    }

    @Test
    void misalignedAndOutOfRangeIdsAreAbsent() {
        IdIndex index = new IdIndex(new long[] {0x1000, 0x1010, 0x1020});
        assertTrue(index.usesBitmap());
        assertEquals(1, index.indexOf(0x1010));
        assertEquals(-1, index.indexOf(0x1008));
        assertEquals(-1, index.indexOf(0x1011));
        assertEquals(-1, index.indexOf(0xFF0));
        assertEquals(-1, index.indexOf(0x1030));
        assertEquals(-1, index.indexOf(Long.MIN_VALUE));
        assertEquals(-1, new IdIndex(new long[0]).indexOf(0x1000));
        IdIndex sparse = new IdIndex(new long[] {8, 1L << 40});
        assertFalse(sparse.usesBitmap());
        assertEquals(1, sparse.indexOf(1L << 40));
        assertEquals(-1, sparse.indexOf(16));
    }

    @RepeatedTest(20)
    void sortingRunsOrShuffledIdsCarriesOffsetsAlong() {
        int n = random.nextInt(20_000);
        long[] sorted = new long[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = 8L * i + 0x1000;
        }
        // a few runs (like parallel dump segments), or shuffled (many runs)
        long[] ids = sorted.clone();
        int runs = random.nextBoolean() ? 1 + random.nextInt(10) : n;
        shuffleRuns(ids, runs);
        long[] offsets = new long[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = ids[i] * 3 + 1; // a function of the id, to check pairs stay together
        }
        long[] shuffled = ids.clone();
        IdIndex.Sorted ranked = IdIndex.sortByRank(ids, offsets, n);
        assertArrayEquals(shuffled, ids, "placing by rank does not change its input");
        long[][] result = IdSort.sort(ids, offsets);
        assertArrayEquals(sorted, result[0]);
        for (int i = 0; i < n; i++) {
            assertEquals(result[0][i] * 3 + 1, result[1][i]);
        }
        if (n > 0) {
            assertArrayEquals(sorted, idsOf(ranked.index()), "placed at their ranks, the ids are sorted");
            assertArrayEquals(result[1], ranked.offsets().toLongArray(), "and their offsets came along");
            for (int i = 0; i < n; i++) {
                assertEquals(i, ranked.index().indexOf(sorted[i]));
            }
        }
    }

    /**
     * A parallel collector's heap: objects in a few dense stretches gigabytes apart (old and young
     * generations). The flat bitmap of its span cost more than 4 bytes an object, so the ids were
     * sorted by radix sort (2.4 s of a cold run on a 20 M-object H2 dump); a directory of the
     * blocks that hold objects costs a tenth of it.
     */
    @Test
    void idsInStretchesFarApartUseTheBitmap() {
        int n = 300_000;
        long[] ids = new long[n];
        long id = 0x6_0000_0000L;
        for (int i = 0; i < n; i++) {
            if (i % 100_000 == 0) {
                id += 2L << 30; // the next generation, 2 GB on
            }
            ids[i] = id;
            id += 8L * (2 + random.nextInt(6));
        }
        long[] shuffled = ids.clone();
        shuffleRuns(shuffled, n);
        IdIndex.Sorted sorted = IdIndex.sortByRank(shuffled, shuffled, n);
        assertArrayEquals(ids, idsOf(sorted.index()));
        assertArrayEquals(ids, sorted.offsets().toLongArray());
        assertTrue(sorted.index().usesBitmap());
        long flatBitmap = (ids[n - 1] - ids[0]) / 8 / 8;
        assertTrue(sorted.index().footprintBytes() < flatBitmap / 10, sorted.index().footprintBytes() + " bytes, against "
                + flatBitmap + " for a bit per slot of the whole span");
        for (int i = 0; i < n; i++) {
            assertEquals(i, sorted.index().indexOf(ids[i]));
            assertEquals(-1, sorted.index().indexOf(ids[i] + 4));
        }
        assertEquals(-1, sorted.index().indexOf(ids[99_999] + (1L << 30)), "an address in the gap");
    }

    /**
     * Ids in many parts of any sizes (the record pass's chunks), with fewer threads than parts: every
     * thread takes a run of whole parts, and the result is the sort of all of them as one array.
     */
    @Test
    void manyPartsSortOnAFewThreadsAsOneArray() {
        int n = 400_000;
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 0x7_0000_0000L + 16L * i + (i % 3 == 0 ? 8 : 0);
        }
        long[] shuffled = ids.clone();
        shuffleRuns(shuffled, n);
        int[] sizes = {0, 17, 65_536, 1, 200_000, 0, 3};
        java.util.List<long[]> parts = new java.util.ArrayList<>();
        java.util.List<Integer> counts = new java.util.ArrayList<>();
        for (int from = 0, k = 0; from < n; k++) {
            int size = Math.min(n - from, k < sizes.length ? sizes[k] : 50_000);
            long[] part = new long[size + 5]; // longer than its count, as a chunk is
            System.arraycopy(shuffled, from, part, 0, size);
            parts.add(part);
            counts.add(size);
            from += size;
        }
        long[][] partIds = parts.toArray(long[][]::new);
        int[] partCounts = counts.stream().mapToInt(Integer::intValue).toArray();
        for (int threads : new int[] {1, 2, 3, 64}) {
            IdIndex.Sorted sorted = IdIndex.sortByRank(partIds, partIds, partCounts, threads, Long.MAX_VALUE);
            assertArrayEquals(ids, idsOf(sorted.index()), "threads " + threads);
            assertArrayEquals(ids, sorted.offsets().toLongArray(), "threads " + threads);
        }
    }

    /** The record pass's lists: chunks that double up to a 4 MiB array, never copied, read back in order. */
    @Test
    void longChunksHoldEveryValueInOrder() {
        LongChunks list = new LongChunks(1000);
        int n = 3 * LongChunks.MAX_CHUNK + 12_345;
        for (int i = 0; i < n; i++) {
            list.add(i * 7L);
        }
        assertEquals(n, list.size());
        long expected = 0;
        long total = 0;
        for (int c = 0; c < list.chunkCount(); c++) {
            long[] chunk = list.chunk(c);
            assertTrue(chunk.length <= LongChunks.MAX_CHUNK, "chunk " + c + " of " + chunk.length);
            assertEquals(c == 0 ? 1000 : Math.min(LongChunks.MAX_CHUNK, 2 * list.chunk(c - 1).length), chunk.length, "chunk " + c);
            for (int i = 0; i < list.count(c); i++) {
                assertEquals(expected, chunk[i]);
                expected += 7;
            }
            total += list.count(c);
        }
        assertEquals(n, total);
        assertEquals(0, new LongChunks(10).chunkCount());
    }

    /** Placing by rank needs the bitmap and distinct ids: otherwise the caller sorts (and reports repeats). */
    @Test
    void sortByRankDeclinesRepeatedOrSparseIds() {
        long[] repeated = {0x1010, 0x1000, 0x1008, 0x1000};
        assertEquals(null, IdIndex.sortByRank(repeated, new long[4], 4));
        long[] sparse = {1L << 40, 8};
        assertEquals(null, IdIndex.sortByRank(sparse, new long[2], 2));
        // only the first n count: the rest of a list's backing array is ignored
        IdIndex.Sorted firstThree = IdIndex.sortByRank(repeated, new long[] {1, 2, 3, 4}, 3);
        assertArrayEquals(new long[] {0x1000, 0x1008, 0x1010}, idsOf(firstThree.index()));
        assertArrayEquals(new long[] {2, 3, 1}, firstThree.offsets().toLongArray());
    }

    private void shuffleRuns(long[] ids, int runs) {
        if (runs >= ids.length) {
            for (int i = ids.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                long t = ids[i];
                ids[i] = ids[j];
                ids[j] = t;
            }
            return;
        }
        // cut into runs and reverse their order: each run stays sorted
        int[] cuts = random.ints(runs - 1, 0, Math.max(1, ids.length)).sorted().toArray();
        long[] out = new long[ids.length];
        int pos = 0;
        int end = ids.length;
        for (int r = cuts.length - 1; r >= -1; r--) {
            int start = r < 0 ? 0 : cuts[r];
            System.arraycopy(ids, start, out, pos, end - start);
            pos += end - start;
            end = start;
        }
        System.arraycopy(out, 0, ids, 0, ids.length);
    }
}

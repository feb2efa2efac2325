package dev.heaplens.graph;

import it.unimi.dsi.fastutil.longs.LongArrays;

/**
 * Sorts object ids with their record offsets when {@link IdIndex#sortByRank} cannot (ids too
 * sparse for its bitmap, or repeated). HotSpot writes objects in address order (one run per heap
 * region walked, a few runs when the dump was written by parallel threads), so the usual input is
 * already sorted or made of a few sorted runs: those are detected and merged in linear time;
 * anything else falls back to a radix sort.
 */
final class IdSort {
    private static final int MAX_RUNS_TO_MERGE = 64;

    private IdSort() {
    }

    /** Sorts {@code ids} ascending, carrying {@code offsets} along; returns {ids, offsets} (maybe new arrays). */
    static long[][] sort(long[] ids, long[] offsets) {
        int n = ids.length;
        int[] runStarts = new int[MAX_RUNS_TO_MERGE + 1];
        int runs = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || ids[i] < ids[i - 1]) {
                if (runs == MAX_RUNS_TO_MERGE) {
                    // ids are unique, so sorting the pairs by (id, offset) sorts by id
                    LongArrays.radixSort(ids, offsets);
                    return new long[][] {ids, offsets};
                }
                runStarts[runs++] = i;
            }
        }
        if (runs <= 1) {
            return new long[][] {ids, offsets};
        }
        runStarts[runs] = n;
        return mergeRuns(ids, offsets, runStarts, runs);
    }

    /** Bottom-up merge of adjacent sorted runs, ping-ponging between two pairs of arrays. */
    private static long[][] mergeRuns(long[] ids, long[] offsets, int[] starts, int runs) {
        long[] srcIds = ids;
        long[] srcOffsets = offsets;
        long[] dstIds = new long[ids.length];
        long[] dstOffsets = new long[ids.length];
        int[] bounds = java.util.Arrays.copyOf(starts, runs + 1);
        while (runs > 1) {
            int merged = 0;
            for (int r = 0; r < runs; r += 2) {
                int lo = bounds[r];
                int mid = bounds[Math.min(r + 1, runs)];
                int hi = bounds[Math.min(r + 2, runs)];
                mergeInto(srcIds, srcOffsets, lo, mid, mid, hi, dstIds, dstOffsets, lo);
                bounds[merged++] = lo;
            }
            bounds[merged] = ids.length;
            runs = merged;
            long[] t = srcIds;
            srcIds = dstIds;
            dstIds = t;
            t = srcOffsets;
            srcOffsets = dstOffsets;
            dstOffsets = t;
        }
        return new long[][] {srcIds, srcOffsets};
    }

    private static void mergeInto(long[] ids, long[] offs, int aLo, int aHi, int bLo, int bHi,
                                  long[] outIds, long[] outOffs, int out) {
        int i = aLo;
        int j = bLo;
        int k = out;
        while (i < aHi && j < bHi) {
            if (ids[i] <= ids[j]) {
                outIds[k] = ids[i];
                outOffs[k++] = offs[i++];
            } else {
                outIds[k] = ids[j];
                outOffs[k++] = offs[j++];
            }
        }
        while (i < aHi) {
            outIds[k] = ids[i];
            outOffs[k++] = offs[i++];
        }
        while (j < bHi) {
            outIds[k] = ids[j];
            outOffs[k++] = offs[j++];
        }
    }
}

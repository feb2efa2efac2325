package dev.heaplens.graph;

/**
 * Resolves object ids (VM addresses) to dense indices {@code 0..N-1}, where an object's index is
 * its rank among the sorted ids.
 *
 * <p>A hash map per reference is the slow way. Ids are addresses, so they spread fairly evenly
 * over a few heap regions: a radix table over the high bits of {@code id - min} narrows each
 * lookup to a bucket of a handful of ids, searched in the sorted array. Memory: the sorted ids
 * (shared with the graph) plus one {@code int} per two objects.
 */
public final class IdIndex {
    private final long[] ids;
    private final long min;
    private final int shift;
    private final int[] bucketStart;

    /**
     * @param sortedIds strictly increasing ids; not copied, the caller must not change it
     */
    public IdIndex(long[] sortedIds) {
        this.ids = sortedIds;
        int n = sortedIds.length;
        if (n == 0) {
            min = 0;
            shift = 63;
            bucketStart = new int[] {0, 0};
            return;
        }
        min = sortedIds[0];
        long span = sortedIds[n - 1] - min; // unsigned-safe: ids are sorted as signed longs of addresses
        // aim for about 2 ids per bucket, never more than 2^28 buckets
        int bucketBits = Math.max(1, Math.min(28, 64 - Long.numberOfLeadingZeros(Math.max(1, n / 2))));
        int spanBits = 64 - Long.numberOfLeadingZeros(span);
        shift = Math.max(0, spanBits - bucketBits);
        int buckets = (int) (span >>> shift) + 1;
        bucketStart = new int[buckets + 1];
        int i = 0;
        for (int b = 0; b < buckets; b++) {
            bucketStart[b] = i;
            while (i < n && (sortedIds[i] - min) >>> shift == b) {
                i++;
            }
        }
        bucketStart[buckets] = n;
    }

    /** The dense index of {@code id}, or -1 if no object has it. */
    public int indexOf(long id) {
        long delta = id - min;
        if (delta < 0) {
            return -1;
        }
        long bucket = delta >>> shift;
        if (bucket >= bucketStart.length - 1) {
            return -1;
        }
        int lo = bucketStart[(int) bucket];
        int hi = bucketStart[(int) bucket + 1] - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = ids[mid];
            if (v < id) {
                lo = mid + 1;
            } else if (v > id) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** The id of the object at {@code index}. */
    public long idOf(int index) {
        return ids[index];
    }

    /** Number of objects. */
    public int size() {
        return ids.length;
    }

    /** Bytes held by the radix table (the ids themselves belong to the graph). */
    public long footprintBytes() {
        return 4L * bucketStart.length;
    }
}

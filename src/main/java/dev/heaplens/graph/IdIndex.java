package dev.heaplens.graph;

/**
 * Resolves object ids (VM addresses) to dense indices {@code 0..N-1}, where an object's index is
 * its rank among the sorted ids.
 *
 * <p>A hash map per reference is the slow way: every lookup is a cache miss into a big table. Two
 * compact representations are used instead, chosen by how densely the ids cover their range:
 * <ul>
 *   <li><b>rank bitmap</b> (the usual case: a dump after a full GC is a compacted heap): one bit
 *       per possible address slot ({@code id - min} divided by the ids' common alignment), plus the
 *       running count of set bits every 512 slots. A lookup tests one bit and counts bits within
 *       one cache line: one miss into a structure of about a byte per object.</li>
 *   <li><b>radix buckets</b> (sparse ids): a table over the high bits of {@code id - min} narrows
 *       each lookup to a bucket of about two ids, searched in the sorted array.</li>
 * </ul>
 * The bitmap is used when it costs at most {@value #MAX_BITMAP_BYTES_PER_OBJECT} bytes per object.
 *
 * <p>Ids are sorted as signed {@code long}s, and {@code id - min} is read as unsigned: ids from
 * both sides of 2^63 (a damaged dump's, or a 64-bit address with its top bit set) span more than
 * {@code Long.MAX_VALUE}, which as a signed difference would be negative.
 */
public final class IdIndex {
    static final int MAX_BITMAP_BYTES_PER_OBJECT = 4;

    private final long[] ids;
    private final long min;
    private final long max;
    // rank bitmap
    private final long[] bits;
    private final int[] blockRank;
    private final int alignShift;
    private final long slots;
    // radix buckets
    private final int shift;
    private final int[] bucketStart;

    /**
     * @param sortedIds strictly increasing ids; not copied, the caller must not change it
     */
    public IdIndex(long[] sortedIds) {
        this.ids = sortedIds;
        int n = sortedIds.length;
        this.min = n == 0 ? 0 : sortedIds[0];
        this.max = n == 0 ? -1 : sortedIds[n - 1];
        long span = n == 0 ? 0 : max - min; // unsigned
        long differences = 0;
        for (long id : sortedIds) {
            differences |= id - min;
        }
        int align = differences == 0 ? 0 : Math.min(Long.numberOfTrailingZeros(differences), 12);
        long slotCount = (span >>> align) + 1; // only used below 2^37
        if (n > 0 && Long.compareUnsigned(span >>> align, 1L << 37) < 0 && slotCount / 8 <= (long) MAX_BITMAP_BYTES_PER_OBJECT * n) {
            alignShift = align;
            slots = slotCount;
            bits = new long[(int) ((slotCount + 63) >>> 6)];
            for (long id : sortedIds) {
                long slot = (id - min) >>> align;
                bits[(int) (slot >>> 6)] |= 1L << slot;
            }
            blockRank = new int[(bits.length + 7) >>> 3];
            int running = 0;
            for (int w = 0; w < bits.length; w++) {
                if ((w & 7) == 0) {
                    blockRank[w >>> 3] = running;
                }
                running += Long.bitCount(bits[w]);
            }
            shift = 0;
            bucketStart = null;
        } else {
            bits = null;
            blockRank = null;
            alignShift = 0;
            slots = 0;
            int bucketBits = Math.max(1, Math.min(28, 64 - Long.numberOfLeadingZeros(Math.max(1, n / 2))));
            int spanBits = 64 - Long.numberOfLeadingZeros(span);
            shift = Math.max(0, spanBits - bucketBits);
            int buckets = (int) (span >>> shift) + 1; // below 2^bucketBits + 1
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
    }

    /** The dense index of {@code id}, or -1 if no object has it. */
    public int indexOf(long id) {
        if (id < min || id > max) {
            return -1;
        }
        long delta = id - min; // unsigned, at most max - min
        return bits != null ? rank(delta) : search(delta, id);
    }

    private int rank(long delta) {
        if ((delta & ((1L << alignShift) - 1)) != 0) {
            return -1;
        }
        long slot = delta >>> alignShift;
        if (Long.compareUnsigned(slot, slots) >= 0) {
            return -1;
        }
        int w = (int) (slot >>> 6);
        long word = bits[w];
        long bit = 1L << slot;
        if ((word & bit) == 0) {
            return -1;
        }
        int r = blockRank[w >>> 3];
        for (int k = w & ~7; k < w; k++) {
            r += Long.bitCount(bits[k]);
        }
        return r + Long.bitCount(word & (bit - 1));
    }

    private int search(long delta, long id) {
        long bucket = delta >>> shift;
        if (Long.compareUnsigned(bucket, bucketStart.length - 1) >= 0) {
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

    /** Whether lookups use the rank bitmap (dense ids) rather than radix buckets. */
    public boolean usesBitmap() {
        return bits != null;
    }

    /** Bytes held by the index structures (the ids themselves belong to the graph). */
    public long footprintBytes() {
        return bits != null ? 8L * bits.length + 4L * blockRank.length : 4L * bucketStart.length;
    }
}

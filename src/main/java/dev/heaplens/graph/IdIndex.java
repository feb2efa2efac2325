package dev.heaplens.graph;

import dev.heaplens.concurrent.Parallel;

/**
 * Resolves object ids (VM addresses) to dense indices {@code 0..N-1}, where an object's index is
 * its rank among the sorted ids.
 *
 * <p>A hash map per reference is the slow way: every lookup is a cache miss into a big table. Two
 * compact representations are used instead, chosen by how densely the ids cover their range:
 * <ul>
 *   <li><b>rank bitmap</b> (every heap seen so far): one bit per possible address slot ({@code id -
 *       min} divided by the ids' common alignment), kept for the blocks of 512 slots that hold an
 *       object, each with the running count of set bits before it, and a directory of the blocks.
 *       A lookup reads the directory, tests one bit and counts bits within one cache line: about a
 *       byte per object, and a heap with gaps (a parallel collector's generations) costs what its
 *       occupied blocks cost. {@link #sortByRank} also sorts the ids with it, in linear time, and
 *       the ids themselves are not kept: an index's id is the bitmap's set bit of that rank, found
 *       by a binary search over the blocks' counts (8 bytes per object saved).</li>
 *   <li><b>radix buckets</b> (ids far sparser than a heap's, e.g. a damaged dump's): a table over
 *       the high bits of {@code id - min} narrows each lookup to a bucket of about two ids,
 *       searched in the sorted array.</li>
 * </ul>
 * The bitmap is used when its directory costs at most {@value #MAX_BITMAP_BYTES_PER_OBJECT} bytes
 * per object, plus 16 MB.
 *
 * <p>Ids are sorted as signed {@code long}s, and {@code id - min} is read as unsigned: ids from
 * both sides of 2^63 (a damaged dump's, or a 64-bit address with its top bit set) span more than
 * {@code Long.MAX_VALUE}, which as a signed difference would be negative.
 */
public final class IdIndex {
    static final int MAX_BITMAP_BYTES_PER_OBJECT = 4;

    /** The sorted ids, for the radix buckets only: with the bitmap, {@link #idOf} selects them. */
    private final long[] ids;
    private final int size;
    private final long min;
    private final long max;
    // rank bitmap
    private final RankBitmap bitmap;
    // radix buckets
    private final int shift;
    private final int[] bucketStart;

    /**
     * @param sortedIds strictly increasing ids; not copied, the caller must not change it
     */
    public IdIndex(long[] sortedIds) {
        this(sortedIds, RankBitmap.of(sortedIds, sortedIds.length));
    }

    private IdIndex(long[] sortedIds, RankBitmap bitmap) {
        this.ids = bitmap != null ? null : sortedIds;
        int n = sortedIds.length;
        this.size = n;
        this.min = n == 0 ? 0 : sortedIds[0];
        this.max = n == 0 ? -1 : sortedIds[n - 1];
        this.bitmap = bitmap;
        if (bitmap != null) {
            shift = 0;
            bucketStart = null;
        } else {
            long span = n == 0 ? 0 : max - min; // unsigned
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

    /** Record offsets in ascending order of their objects' ids, and the index over the ids. */
    record Sorted(OffsetArray offsets, IdIndex index) {
    }

    private IdIndex(RankBitmap bitmap) {
        this.ids = null;
        this.size = bitmap.count;
        this.bitmap = bitmap;
        this.min = bitmap.min;
        this.max = bitmap.min + bitmap.delta(bitmap.count - 1);
        this.shift = 0;
        this.bucketStart = null;
    }

    /**
     * Sorts the first {@code n} ids, carrying their offsets along, by writing each at its rank in
     * the bitmap: linear time whatever their order (a dump of a parallel collector's heap has
     * thousands of address runs), and the index comes with it. Returns {@code null} when the ids are
     * too sparse for the bitmap or one of them repeats: the caller then sorts them (and reports the
     * repeat). The input arrays are not changed.
     */
    static Sorted sortByRank(long[] ids, long[] offsets, int n) {
        long max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, offsets[i]);
        }
        return sortByRank(new long[][] {ids}, new long[][] {offsets}, new int[] {n}, 1, max + 1);
    }

    /**
     * {@link #sortByRank(long[], long[], int)} over several parts, as if they were one array: the first
     * {@code counts[k]} ids of {@code ids[k]}, with their offsets in {@code offsets[k]}. The parts, in
     * order, are split into up to {@code threads} runs of about as many ids, each written to its ranks
     * by a thread of its own (the caller's takes the first), so a record pass that read its dump in
     * parts (in chunks) sorts it on as many cores, with no copy to join them first. Every offset is below
     * {@code offsetLimit} (the file's size): below 2^32, the sorted offsets are kept as {@code int}s.
     */
    static Sorted sortByRank(long[][] ids, long[][] offsets, int[] counts, int threads, long offsetLimit) {
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new UnsupportedOperationException("more than 2^31 objects in one dump are not supported");
        }
        int n = (int) total;
        long t0 = PhaseTrace.start();
        RankBitmap bitmap = RankBitmap.of(ids, counts, n);
        if (bitmap == null || bitmap.count != n) {
            return null; // sparse ids, or one id set a bit twice
        }
        PhaseTrace.end("  rank bitmap", t0);
        long t1 = PhaseTrace.start();
        OffsetArray sortedOffsets = OffsetArray.forValuesBelow(n, offsetLimit);
        // run t is parts [firstPart[t], firstPart[t + 1]); fewer than 64K ids a thread are not worth one
        int runs = (int) Math.max(1, Math.min(threads, n >>> 16));
        int[] firstPart = new int[runs + 1];
        firstPart[runs] = ids.length;
        long done = 0;
        for (int k = 0, r = 1; k < ids.length; k++) {
            done += counts[k];
            while (r < runs && done * runs >= (long) n * r) {
                firstPart[r++] = k + 1;
            }
        }
        Parallel.run("heaplens-sort", runs, t -> {
            for (int k = firstPart[t]; k < firstPart[t + 1]; k++) {
                scatter(bitmap, ids[k], offsets[k], counts[k], sortedOffsets);
            }
        });
        PhaseTrace.end("  ids to their ranks", t1);
        return new Sorted(sortedOffsets, new IdIndex(bitmap));
    }

    /** Writes the offset of each of the first {@code n} ids at the id's rank; ranks are distinct, so parts can do this at once. */
    private static void scatter(RankBitmap bitmap, long[] ids, long[] offsets, int n, OffsetArray sortedOffsets) {
        for (int i = 0; i < n; i++) {
            sortedOffsets.set(bitmap.rank(ids[i] - bitmap.min), offsets[i]);
        }
    }

    /** The dense index of {@code id}, or -1 if no object has it. */
    public int indexOf(long id) {
        if (id < min || id > max) {
            return -1;
        }
        long delta = id - min; // unsigned, at most max - min
        return bitmap != null ? bitmap.rank(delta) : search(delta, id);
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

    /** The id of the object at {@code index}: with the rank bitmap, a binary search over its blocks. */
    public long idOf(int index) {
        if (bitmap == null) {
            return ids[index];
        }
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("object index " + index + " of " + size);
        }
        return min + bitmap.delta(index);
    }

    /** Number of objects. */
    public int size() {
        return size;
    }

    /** Whether lookups use the rank bitmap (dense ids) rather than radix buckets. */
    public boolean usesBitmap() {
        return bitmap != null;
    }

    /** Bytes held by the index structures, the sorted ids among them where there is no bitmap. */
    public long footprintBytes() {
        return bitmap != null ? bitmap.footprintBytes() : 4L * bucketStart.length + 8L * ids.length;
    }

    /**
     * One bit per possible address slot ({@code id - min} over the ids' common alignment), kept only
     * for the blocks of 512 slots that hold an object: a directory gives each block its place among
     * the occupied ones, or -1, and each occupied block its count of set bits before it. An id's rank
     * is a directory entry, one bit test and the bits of one cache line counted. A heap with gaps (a
     * parallel collector's young and old generations, mostly empty regions) costs what its occupied
     * blocks cost, not its span. Where a bit for every slot of the span costs at most {@value
     * #MAX_BITMAP_BYTES_PER_OBJECT} bytes per object (a compacted heap), every block is kept and
     * there is no directory to read: lookups are about 10% faster.
     */
    private static final class RankBitmap {
        private static final int BLOCK_SHIFT = 9; // 512 slots: eight words, one cache line
        private static final int WORDS_PER_BLOCK = 1 << (BLOCK_SHIFT - 6);
        /** Directory bytes allowed beyond the per-object budget: a heap of a few large arrays spanning 16 GB. */
        private static final long DIRECTORY_ALLOWANCE = 16L << 20;

        final long min;
        final int alignShift;
        final long slots;
        /** Each block's place among the occupied ones, or -1; null when every block of the span is kept. */
        final int[] directory;
        /** The block of each occupied place (the directory's inverse); null with no directory. */
        final int[] blockOf;
        final long[] bits;
        final int[] blockRank;
        /** Set bits: fewer than the ids when an id repeats. */
        final int count;

        private RankBitmap(long min, int alignShift, long slots, int[] directory, int[] blockOf, long[] bits, int[] blockRank, int count) {
            this.min = min;
            this.alignShift = alignShift;
            this.slots = slots;
            this.directory = directory;
            this.blockOf = blockOf;
            this.bits = bits;
            this.blockRank = blockRank;
            this.count = count;
        }

        /**
         * The bitmap of the first {@code n} ids, in any order; null if its directory alone (4 bytes per
         * 4 KB of address span, with 8-byte alignment) would cost more than {@value
         * #MAX_BITMAP_BYTES_PER_OBJECT} bytes per object and 16 MB: an address space far sparser than
         * any heap's.
         */
        static RankBitmap of(long[] ids, int n) {
            return of(new long[][] {ids}, new int[] {n}, n);
        }

        /** The bitmap of the ids of several parts, the first {@code counts[k]} of {@code ids[k]}; {@code n} in all. */
        static RankBitmap of(long[][] ids, int[] counts, int n) {
            if (n == 0) {
                return null;
            }
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            long differences = 0;
            long first = 0;
            boolean seen = false;
            for (int k = 0; k < ids.length; k++) {
                long[] part = ids[k];
                if (counts[k] > 0 && !seen) {
                    first = part[0];
                    seen = true;
                }
                for (int i = 0; i < counts[k]; i++) {
                    long id = part[i];
                    min = Math.min(min, id);
                    max = Math.max(max, id);
                    differences |= id - first; // the same low zero bits as id - min
                }
            }
            long span = max - min; // unsigned
            int align = differences == 0 ? 0 : Math.min(Long.numberOfTrailingZeros(differences), 12);
            long lastSlot = span >>> align;
            long blocks = (lastSlot >>> BLOCK_SHIFT) + 1;
            if (Long.compareUnsigned(lastSlot, 1L << 40) >= 0 || blocks * Integer.BYTES > (long) MAX_BITMAP_BYTES_PER_OBJECT * n + DIRECTORY_ALLOWANCE) {
                return null;
            }
            long[] bits;
            int[] directory = null;
            int[] blockOf = null;
            if (blocks * WORDS_PER_BLOCK * Long.BYTES <= (long) MAX_BITMAP_BYTES_PER_OBJECT * n) {
                // a bit for every slot of the span costs little: no directory to read on every lookup
                bits = new long[(int) blocks * WORDS_PER_BLOCK];
                for (int k = 0; k < ids.length; k++) {
                    long[] part = ids[k];
                    for (int i = 0; i < counts[k]; i++) {
                        long slot = (part[i] - min) >>> align;
                        bits[(int) (slot >>> 6)] |= 1L << slot;
                    }
                }
            } else {
                directory = new int[(int) blocks];
                for (int k = 0; k < ids.length; k++) {
                    long[] part = ids[k];
                    for (int i = 0; i < counts[k]; i++) {
                        directory[(int) (((part[i] - min) >>> align) >>> BLOCK_SHIFT)] = 1;
                    }
                }
                int occupied = 0;
                for (int b = 0; b < directory.length; b++) {
                    directory[b] = directory[b] != 0 ? occupied++ : -1;
                }
                blockOf = new int[occupied];
                for (int b = 0; b < directory.length; b++) {
                    if (directory[b] >= 0) {
                        blockOf[directory[b]] = b;
                    }
                }
                bits = new long[occupied * WORDS_PER_BLOCK];
                for (int k = 0; k < ids.length; k++) {
                    long[] part = ids[k];
                    for (int i = 0; i < counts[k]; i++) {
                        long slot = (part[i] - min) >>> align;
                        bits[directory[(int) (slot >>> BLOCK_SHIFT)] * WORDS_PER_BLOCK + (int) ((slot >>> 6) & (WORDS_PER_BLOCK - 1))] |= 1L << slot;
                    }
                }
            }
            int[] blockRank = new int[bits.length / WORDS_PER_BLOCK];
            int running = 0;
            for (int w = 0; w < bits.length; w++) {
                if ((w & (WORDS_PER_BLOCK - 1)) == 0) {
                    blockRank[w / WORDS_PER_BLOCK] = running;
                }
                running += Long.bitCount(bits[w]);
            }
            return new RankBitmap(min, align, lastSlot + 1, directory, blockOf, bits, blockRank, running);
        }

        /** The rank of the id {@code min + delta} among the ids, or -1 if it is not one. */
        int rank(long delta) {
            if ((delta & ((1L << alignShift) - 1)) != 0) {
                return -1;
            }
            long slot = delta >>> alignShift;
            if (Long.compareUnsigned(slot, slots) >= 0) {
                return -1;
            }
            int block = directory == null ? (int) (slot >>> BLOCK_SHIFT) : directory[(int) (slot >>> BLOCK_SHIFT)];
            if (block < 0) {
                return -1;
            }
            int base = block * WORDS_PER_BLOCK;
            int w = base + (int) ((slot >>> 6) & (WORDS_PER_BLOCK - 1));
            long word = bits[w];
            long bit = 1L << slot;
            if ((word & bit) == 0) {
                return -1;
            }
            int r = blockRank[block];
            for (int k = base; k < w; k++) {
                r += Long.bitCount(bits[k]);
            }
            return r + Long.bitCount(word & (bit - 1));
        }

        /**
         * The offset from {@link #min} of the id of rank {@code r} (0 &lt;= r &lt; count): the kept block
         * holding it is the last whose count of bits before it is at most {@code r} (a block after an
         * empty one has the same count, and the search finds the later), then the bit is found in
         * the block's eight words.
         */
        long delta(int r) {
            int lo = 0;
            int hi = blockRank.length - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (blockRank[mid] <= r) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            int left = r - blockRank[lo];
            int w = lo * WORDS_PER_BLOCK;
            while (Long.bitCount(bits[w]) <= left) {
                left -= Long.bitCount(bits[w]);
                w++;
            }
            long word = bits[w];
            for (int k = 0; k < left; k++) {
                word &= word - 1;
            }
            long block = blockOf == null ? lo : blockOf[lo];
            long slot = (block << BLOCK_SHIFT) + ((w & (WORDS_PER_BLOCK - 1)) << 6) + Long.numberOfTrailingZeros(word);
            return slot << alignShift;
        }

        long footprintBytes() {
            return (directory == null ? 0 : 4L * directory.length) + (blockOf == null ? 0 : 4L * blockOf.length)
                    + 8L * bits.length + 4L * blockRank.length;
        }
    }
}

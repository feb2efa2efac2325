package dev.heaplens.graph;

import java.util.Arrays;

/**
 * A list of {@code long}s that grows by chunks and never copies what it holds: the record pass
 * collects an id and an offset per object this way, and hands the chunks to the id sort as parts.
 * A {@code LongArrayList} grown from a guess copied its array each time the guess fell short (on a
 * dump of small objects, 82 MB allocated for 46 MB of ids and offsets).
 *
 * <p>Chunks double from {@code first} up to {@link #MAX_CHUNK} longs, an array of exactly 4 MiB with
 * its header, so that a full chunk fills one G1 region of 4 MiB (or two of 2 MiB) with nothing left.
 */
final class LongChunks {
    static final int MAX_CHUNK = (1 << 19) - 2;

    private long[][] chunks = new long[4][];
    private int chunkCount;
    private long[] current = new long[0];
    private int used;
    private long size;
    private final int first;

    /** @param first the first chunk's length: about what is expected, if that is small */
    LongChunks(int first) {
        this.first = Math.max(16, Math.min(first, MAX_CHUNK));
    }

    void add(long value) {
        if (used == current.length) {
            grow();
        }
        current[used++] = value;
        size++;
    }

    private void grow() {
        if (chunkCount == chunks.length) {
            chunks = Arrays.copyOf(chunks, 2 * chunkCount);
        }
        current = new long[current.length == 0 ? first : (int) Math.min(MAX_CHUNK, 2L * current.length)];
        chunks[chunkCount++] = current;
        used = 0;
    }

    long size() {
        return size;
    }

    /** The chunks, in order; {@code chunk(k)} holds {@link #count(int)} values. */
    int chunkCount() {
        return chunkCount;
    }

    long[] chunk(int k) {
        return chunks[k];
    }

    /** How many values chunk {@code k} holds: all of it, but for the last. */
    int count(int k) {
        return k == chunkCount - 1 ? used : chunks[k].length;
    }
}

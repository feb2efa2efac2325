package dev.heaplens.graph;

/**
 * Non-negative offsets by object index, stored as unsigned {@code int}s while they fit in 32 bits and
 * as {@code long}s beyond: the record offsets of a dump under 4 GiB and the edge offsets of a graph
 * under 2^32 references (every dump seen so far) take half the memory of a {@code long[]}, 4 bytes per
 * object less each, for the whole of a run.
 *
 * <p>Edge offsets are written before their total is known: they are kept narrow while written (the
 * low 32 bits of each), then {@link #nonDecreasingUpTo} restores the high bits, if the total needs
 * them, from the sequence itself.
 */
final class OffsetArray {
    /** Values below this fit the narrow layout. */
    static final long NARROW_LIMIT = 1L << 32;

    private final int[] narrow;
    private final long[] wide;

    private OffsetArray(int[] narrow, long[] wide) {
        this.narrow = narrow;
        this.wide = wide;
    }

    /** Room for {@code n} values, each below {@code limit}: narrow if that fits in 32 bits. */
    static OffsetArray forValuesBelow(int n, long limit) {
        return limit <= NARROW_LIMIT ? new OffsetArray(new int[n], null) : new OffsetArray(null, new long[n]);
    }

    /** These values, in the narrow layout if they all fit it (a copy), else the array itself. */
    static OffsetArray of(long[] values) {
        long max = 0;
        for (long v : values) {
            max = Math.max(max, v);
        }
        if (max >= NARROW_LIMIT) {
            return new OffsetArray(null, values);
        }
        OffsetArray out = forValuesBelow(values.length, NARROW_LIMIT);
        for (int i = 0; i < values.length; i++) {
            out.narrow[i] = (int) values[i];
        }
        return out;
    }

    long get(int i) {
        int[] a = narrow;
        return a != null ? a[i] & 0xFFFF_FFFFL : wide[i];
    }

    /** Sets value {@code i}; a narrow array keeps its low 32 bits. */
    void set(int i, long value) {
        int[] a = narrow;
        if (a != null) {
            a[i] = (int) value;
        } else {
            wide[i] = value;
        }
    }

    /** Every value, as a {@code long[]} (a copy if narrow). */
    long[] toLongArray() {
        if (narrow == null) {
            return wide.clone();
        }
        long[] out = new long[narrow.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = narrow[i] & 0xFFFF_FFFFL;
        }
        return out;
    }

    int size() {
        return narrow != null ? narrow.length : wide.length;
    }

    boolean isNarrow() {
        return narrow != null;
    }

    long footprintBytes() {
        return narrow != null ? 4L * narrow.length : 8L * wide.length;
    }

    /**
     * This array as a non-decreasing sequence whose last value is {@code last}, each step below 2^32 (an
     * object has fewer than 2^31 references): where a narrow array kept only the low 32 bits, the high
     * bits grew by one wherever a value is below the one before. Returns this array when {@code last}
     * fits the narrow layout (no value lost bits), else a wide copy with every value whole.
     */
    OffsetArray nonDecreasingUpTo(long last) {
        if (narrow == null || last < NARROW_LIMIT) {
            return this;
        }
        long[] whole = new long[narrow.length];
        long high = 0;
        long previous = 0;
        for (int i = 0; i < narrow.length; i++) {
            long low = narrow[i] & 0xFFFF_FFFFL;
            if (low < previous) {
                high += NARROW_LIMIT;
            }
            previous = low;
            whole[i] = high + low;
        }
        if (whole[whole.length - 1] != last) {
            throw new IllegalStateException("offsets end at " + whole[whole.length - 1] + ", not " + last);
        }
        return new OffsetArray(null, whole);
    }
}

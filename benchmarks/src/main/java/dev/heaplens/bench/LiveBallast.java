package dev.heaplens.bench;

/**
 * Live heap for the leak-check benchmarks: {@code mb} MB held strongly from a static field, as many
 * small objects as a real heap has (rows of an {@code Object[2]} with a 40-byte {@code byte[]} and a
 * {@code Long}: about 100 bytes and 3 objects a row).
 */
final class LiveBallast {
    private static final int BYTES_PER_ROW = 100;
    static Object[] rows = new Object[0];

    private LiveBallast() {
    }

    /** Replaces the ballast by about {@code mb} MB of live objects. */
    static void hold(int mb) {
        Object[] r = new Object[(int) ((long) mb * 1_000_000 / BYTES_PER_ROW)];
        for (int i = 0; i < r.length; i++) {
            r[i] = new Object[] {new byte[40], (long) i + 1_000_000};
        }
        rows = r;
    }
}

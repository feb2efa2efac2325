package dev.heaplens.bench;

import java.util.ArrayList;

/**
 * A program that allocates four kinds of short-lived objects from four methods as fast as it can,
 * for the given seconds: the load behind the recordings of {@link Recordings} and the overhead
 * figures of {@link AllocationRecordingBench}.
 */
public final class AllocationLoad {
    private static final Object[] RING = new Object[4096];

    private AllocationLoad() {
    }

    static void bytes(int i) {
        RING[i & 4095] = new byte[16 + (i & 63)];
    }

    static void ints(int i) {
        RING[i & 4095] = new int[8 + (i & 15)];
    }

    static void strings(int i) {
        RING[i & 4095] = "s" + i;
    }

    static void lists(int i) {
        RING[i & 4095] = new ArrayList<>(i & 7);
    }

    /** {@code n} allocations, a quarter of each kind. */
    public static void run(int n) {
        for (int i = 0; i < n; i++) {
            switch (i & 3) {
                case 0 -> bytes(i);
                case 1 -> ints(i);
                case 2 -> strings(i);
                default -> lists(i);
            }
        }
    }

    public static void main(String[] args) {
        long end = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000_000L;
        while (System.nanoTime() < end) {
            run(10_000);
        }
    }
}

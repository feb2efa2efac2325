package dev.heaplens.diff;

import dev.heaplens.fixtures.LruCacheWorkload;
import dev.heaplens.fixtures.SessionLeakWorkload;
import dev.heaplens.testing.RealDumps;

import java.nio.file.Path;
import java.util.List;

/** The step-driven workloads' dump series, made once per build and shared by the diff and growth tests. */
public final class GrowthDumps {
    /** Sessions (and listeners) {@link SessionLeakWorkload} leaks per step. */
    public static final int LEAKED_PER_STEP = 1000;
    /** Entries {@link LruCacheWorkload} keeps at most. */
    static final int CACHE_CAPACITY = 1000;
    /** Entries it puts per step: full after the third dump (400, 800, 1000, 1000, …). */
    static final int CACHE_PER_STEP = 400;

    private static final List<String> FLAGS = List.of("-Xmx64m", "-XX:+UseSerialGC", "-Xshare:auto");

    private GrowthDumps() {
    }

    /** Four dumps of one leaking run, after 1, 2, 3 and 4 steps. */
    public static List<Path> leak() {
        return RealDumps.series("session-leak", SessionLeakWorkload.class, FLAGS, 4, Integer.toString(LEAKED_PER_STEP));
    }

    /** Six dumps of one caching run, after 1 to 6 steps. */
    public static List<Path> cache() {
        return RealDumps.series("lru-cache", LruCacheWorkload.class, FLAGS, 6, Integer.toString(CACHE_CAPACITY),
                Integer.toString(CACHE_PER_STEP));
    }
}

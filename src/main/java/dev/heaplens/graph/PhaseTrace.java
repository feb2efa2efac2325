package dev.heaplens.graph;

import dev.heaplens.capture.ResidentMemory;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Where a cold run's time and memory go, phase by phase, on stderr: off unless the system property
 * {@code heaplens.trace} is {@code true}. Each line gives the phase, its wall time, the time since
 * the JVM started, the thread, the Java heap in use and the process's resident memory (current and
 * peak, from {@code /proc/self/status} where there is one).
 *
 * <pre>{@code
 * java -Dheaplens.trace=true -jar heaplens-cli.jar analyze app.hprof
 * [heaplens] record pass           812 ms  at  1,204 ms  main                 heap   301 MB  rss   522 MB  peak   530 MB
 * }</pre>
 *
 * <p>Reading the clock costs nothing when the trace is off: {@link #start()} returns 0 and {@link
 * #end} returns at once.
 */
public final class PhaseTrace {
    private static final boolean ENABLED = Boolean.getBoolean("heaplens.trace");

    private PhaseTrace() {
    }

    /** Whether the trace prints. */
    public static boolean enabled() {
        return ENABLED;
    }

    /** A phase's start, for {@link #end}; 0 when the trace is off. */
    public static long start() {
        return ENABLED ? System.nanoTime() : 0;
    }

    /** Prints one line for the phase {@code name} that began at {@code start}. */
    public static void end(String name, long start) {
        if (!ENABLED) {
            return;
        }
        long now = System.nanoTime();
        Runtime rt = Runtime.getRuntime();
        long heapUsed = rt.totalMemory() - rt.freeMemory();
        ResidentMemory rss = ResidentMemory.of(ProcessHandle.current().pid());
        System.err.printf(Locale.ROOT, "[heaplens] %-22s %,7d ms  at %,7d ms  %-20s heap %,6d MB  rss %,6d MB  peak %,6d MB%n",
                name, (now - start) / 1_000_000, ManagementFactory.getRuntimeMXBean().getUptime(),
                Thread.currentThread().getName(), heapUsed >> 20, rss.residentBytes() >> 20, rss.peakResidentBytes() >> 20);
    }
}

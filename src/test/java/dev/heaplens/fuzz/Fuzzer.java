package dev.heaplens.fuzz;

import dev.heaplens.Heap;
import dev.heaplens.HeapOptions;
import dev.heaplens.diff.HeapSummary;
import dev.heaplens.fuzz.FuzzCorpus.Seed;
import dev.heaplens.fuzz.Mutator.Mutant;
import dev.heaplens.hprof.HprofFormatException;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32;

/**
 * Runs mutants of the seed corpus through {@link FuzzPipeline}, strict and lenient, one at a time on
 * a worker thread under a watchdog, and judges each run. Acceptable: strict mode accepts the dump or
 * rejects it with an {@link HprofFormatException} that names the file and an offset inside it;
 * lenient mode analyses it (saying what was lost whenever strict mode rejected it) or rejects it
 * likewise. A finding is anything else: another exception or error, a hang, a run that allocates or
 * takes more than a small multiple of what its unmutated seed needs, a message without file and
 * offset, a lenient analysis that keeps silent about what it dropped, or a dump file that changed.
 * Every finding names the mutant ({@code seed-file:number}), which replays it.
 */
public final class Fuzzer implements AutoCloseable {
    /**
     * The resource bounds, relative to the unmutated seed's run of the same mode.
     *
     * @param timeRatio    a run may take this many times its seed's time...
     * @param timeFloor    ...where the seed's time is taken as at least this (nanoseconds), for tiny seeds
     * @param allocRatio   a run may allocate this many times its seed's bytes...
     * @param allocFloor   ...taken as at least this many bytes
     * @param hangNanos    a run still going after this long is a hang
     */
    public record Bounds(double timeRatio, long timeFloor, double allocRatio, long allocFloor, long hangNanos) {
        /** 10x the time (at least 50 ms), 4x the bytes (at least 16 MB), a hang after 20 s. */
        public static Bounds defaults() {
            return new Bounds(10, TimeUnit.MILLISECONDS.toNanos(50), 4, 16L << 20, TimeUnit.SECONDS.toNanos(20));
        }
    }

    /** What makes a run a finding. */
    public enum FindingKind {
        EXCEPTION, HANG, MEMORY, TIME, MESSAGE, SILENT, LENIENT_STRICTER, WROTE_DUMP
    }

    /**
     * One finding.
     *
     * @param mutant      {@code seed-file:number}
     * @param kind        what went wrong
     * @param mode        {@code strict} or {@code lenient}
     * @param stage       the pipeline stage it was in
     * @param mutation    what was done to the seed
     * @param detail      the exception, or the measured ratio
     */
    public record Finding(String mutant, FindingKind kind, String mode, String stage, String mutation, String detail, Throwable error) {
        @Override
        public String toString() {
            return "FUZZ FINDING " + kind + " in " + mode + " mode at " + stage + ": " + detail + "\n  mutant " + mutant
                    + " (" + mutation + ")\n  replay: " + FuzzMain.replayCommand(mutant);
        }
    }

    /** One mode's run of one dump. */
    private record Run(FuzzPipeline.Result result, Throwable error, String stage, long nanos, long bytes, boolean hung) {
    }

    /** The unmutated seed's figures. */
    private static final class Baseline {
        Heap heap;
        HeapSummary summary;
        long strictNanos;
        long lenientNanos;
        long strictBytes;
        long lenientBytes;
    }

    /** Counts of a run of the fuzzer. */
    public static final class Stats {
        public long mutants;
        public long strictRejected;
        public long strictAccepted;
        public long lenientAnalysed;
        public long lenientIncomplete;
        public long lenientRejected;
        public double worstTimeRatio;
        public String worstTime = "";
        public double worstMemoryRatio;
        public String worstMemory = "";
        public long nanos;
        /** Where the time went: making and writing mutants, strict runs, lenient runs, checking the file. */
        public final long[] phaseNanos = new long[4];
        public final Map<Mutator.Kind, long[]> byKind = new EnumMap<>(Mutator.Kind.class);
        public final Map<String, Long> bySeed = new LinkedHashMap<>();
        public final List<Finding> findings = Collections.synchronizedList(new ArrayList<>());

        /** The counts, a line each. */
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            b.append(String.format("%,d mutants in %.1f s (%.0f/s)%n", mutants, nanos / 1e9, mutants / Math.max(1e-9, nanos / 1e9)));
            b.append(String.format("strict:  %,d rejected with HprofFormatException, %,d accepted%n", strictRejected, strictAccepted));
            b.append(String.format("lenient: %,d analysed (%,d of them saying what was lost or noticed), %,d rejected with HprofFormatException%n",
                    lenientAnalysed, lenientIncomplete, lenientRejected));
            b.append(String.format("findings: %d%n", findings.size()));
            b.append(String.format("time: mutating %.1f s, strict %.1f s, lenient %.1f s, checking %.1f s%n", phaseNanos[0] / 1e9,
                    phaseNanos[1] / 1e9, phaseNanos[2] / 1e9, phaseNanos[3] / 1e9));
            b.append(String.format("worst time ratio %.2f (%s), worst memory ratio %.2f (%s)%n", worstTimeRatio, worstTime,
                    worstMemoryRatio, worstMemory));
            b.append("by mutation (mutants, strict rejections, lenient rejections):");
            byKind.forEach((k, v) -> b.append(String.format(" %s %d/%d/%d", k, v[0], v[1], v[2])));
            b.append("\nby seed:");
            bySeed.forEach((k, v) -> b.append(' ').append(k).append(' ').append(v));
            return b.append('\n').toString();
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final Bounds bounds;
    private final PrintStream log;
    private final Path dir;
    private final Map<String, Mutator> mutators = new LinkedHashMap<>();
    private final Map<String, Baseline> baselines = new LinkedHashMap<>();
    private final Stats stats = new Stats();
    /** The JVM's handler before this fuzzer's, put back by {@link #close()}: the fuzzer's holds the fuzzer. */
    private final Thread.UncaughtExceptionHandler previousHandler = Thread.getDefaultUncaughtExceptionHandler();
    private ExecutorService worker;
    private volatile Thread workerThread;
    private final FuzzPipeline pipeline = FuzzPipeline.create();
    private int hangs;

    /** A fuzzer over these seeds, logging findings to {@code log}. */
    public Fuzzer(List<Seed> seeds, Bounds bounds, PrintStream log) {
        this.bounds = bounds;
        this.log = log;
        try {
            Path shm = Path.of("/dev/shm");
            Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
            this.dir = Files.createTempDirectory(base, "heaplens-fuzz-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        newWorker();
        for (Seed s : seeds) {
            mutators.put(s.name(), new Mutator(s));
        }
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> stats.findings.add(new Finding("?", FindingKind.EXCEPTION,
                "?", "thread " + t.getName(), "?", "uncaught in a thread of the library: " + e, e)));
    }

    /** The counts so far. */
    public Stats stats() {
        return stats;
    }

    private void newWorker() {
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-pipeline");
            t.setDaemon(true);
            workerThread = t;
            return t;
        });
    }

    /** Measures each seed unmutated (after a warm-up), for the bounds. */
    public void measureSeeds(int warmups) {
        for (Mutator m : mutators.values()) {
            Seed s = m.seed();
            Path file = dir.resolve(s.name());
            write(file, s.bytes());
            Baseline b = new Baseline();
            b.heap = Heap.open(file, HeapOptions.defaults().threads(1));
            b.summary = HeapSummary.of(b.heap);
            b.strictNanos = Long.MAX_VALUE;
            b.lenientNanos = Long.MAX_VALUE;
            for (int i = 0; i < warmups + 3; i++) {
                Run strict = run(file, false, b.summary, 1, Long.MAX_VALUE);
                Run lenient = run(file, true, b.summary, 1, Long.MAX_VALUE);
                if (strict.error() != null || lenient.error() != null) {
                    Throwable e = strict.error() != null ? strict.error() : lenient.error();
                    throw new IllegalStateException("the unmutated seed " + s + " fails: " + e, e);
                }
                if (i >= warmups) {
                    b.strictNanos = Math.min(b.strictNanos, strict.nanos());
                    b.lenientNanos = Math.min(b.lenientNanos, lenient.nanos());
                    b.strictBytes = Math.max(b.strictBytes, strict.bytes());
                    b.lenientBytes = Math.max(b.lenientBytes, lenient.bytes());
                }
            }
            baselines.put(s.name(), b);
            log.printf("seed %-26s strict %6.1f ms %6.1f MB, lenient %6.1f ms %6.1f MB%n", s, b.strictNanos / 1e6,
                    b.strictBytes / 1e6, b.lenientNanos / 1e6, b.lenientBytes / 1e6);
        }
    }

    /** Seeds by name. */
    public List<String> seedNames() {
        return List.copyOf(mutators.keySet());
    }

    /** Runs the mutant {@code number} of {@code seed}; returns the findings it made. */
    public List<Finding> fuzz(String seed, long number) {
        Mutator m = mutators.get(seed);
        if (m == null) {
            throw new IllegalArgumentException("no seed " + seed + " in " + mutators.keySet());
        }
        long t0 = System.nanoTime();
        Mutant mutant = m.mutate(number);
        Path file = dir.resolve(seed.replace(".hprof", "") + "-" + number + (m.seed().gzip() ? ".hprof.gz" : ".hprof"));
        write(file, mutant.bytes());
        long crc = crc(mutant.bytes());
        Baseline base = baselines.get(seed);
        List<Finding> found = new ArrayList<>();
        long t1 = System.nanoTime();
        Run strict = measured(mutant, file, false, base, found);
        long t2 = System.nanoTime();
        Run lenient = measured(mutant, file, true, base, found);
        long t3 = System.nanoTime();
        stats.phaseNanos[0] += t1 - t0;
        stats.phaseNanos[1] += t2 - t1;
        stats.phaseNanos[2] += t3 - t2;
        long[] kind = stats.byKind.computeIfAbsent(mutant.kind(), k -> new long[3]);
        kind[0]++;
        stats.bySeed.merge(seed, 1L, Long::sum);
        stats.mutants++;
        if (strict != null && !strict.hung()) {
            if (strict.error() == null) {
                stats.strictAccepted++;
            } else if (strict.error() instanceof HprofFormatException) {
                stats.strictRejected++;
                kind[1]++;
            }
        }
        if (lenient != null && !lenient.hung()) {
            if (lenient.error() == null) {
                stats.lenientAnalysed++;
                if (!lenient.result().complete() || lenient.result().warnings() > 0) {
                    stats.lenientIncomplete++;
                }
            } else if (lenient.error() instanceof HprofFormatException) {
                stats.lenientRejected++;
                kind[2]++;
            }
        }
        if (strict != null && lenient != null && !strict.hung() && !lenient.hung()) {
            if (strict.error() instanceof HprofFormatException && "open".equals(strict.stage()) && lenient.error() == null
                    && lenient.result().complete() && lenient.result().warnings() == 0) {
                found.add(finding(mutant, FindingKind.SILENT, "lenient", lenient.stage(),
                        "strict mode rejected it (" + strict.error().getMessage() + ") but lenient mode analysed it without a word", null));
            }
            if (strict.error() == null && lenient.error() != null) {
                found.add(finding(mutant, FindingKind.LENIENT_STRICTER, "lenient", lenient.stage(),
                        "strict mode accepted it but lenient mode threw " + lenient.error(), lenient.error()));
            }
        }
        try {
            if (Files.size(file) != mutant.bytes().length || crc(Files.readAllBytes(file)) != crc) {
                found.add(finding(mutant, FindingKind.WROTE_DUMP, "both", "after", "the dump file changed while heaplens read it", null));
            }
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stats.phaseNanos[3] += System.nanoTime() - t3;
        for (Finding f : found) {
            stats.findings.add(f);
            log.println(f);
            if (f.error() != null) {
                f.error().printStackTrace(log);
            }
        }
        stats.nanos += System.nanoTime() - t0;
        return found;
    }

    /** Runs one mode, judges it, and records its ratios; null when the worker was lost to an earlier hang. */
    private Run measured(Mutant mutant, Path file, boolean lenient, Baseline base, List<Finding> found) {
        String mode = lenient ? "lenient" : "strict";
        long baseNanos = Math.max(bounds.timeFloor(), lenient ? base.lenientNanos : base.strictNanos);
        long baseBytes = Math.max(bounds.allocFloor(), lenient ? base.lenientBytes : base.strictBytes);
        // far beyond the bound, the watchdog stops waiting rather than let the JVM run out of memory
        long hardBytes = (long) (8 * bounds.allocRatio() * baseBytes);
        Run run = run(file, lenient, base.summary, mutant.number(), hardBytes);
        if (run.hung()) {
            found.add(finding(mutant, FindingKind.HANG, mode, run.stage(), String.format("still running after %.1f s",
                    run.nanos() / 1e9), null));
            return run;
        }
        long nanos = run.nanos();
        if (nanos > bounds.timeRatio() * baseNanos) {
            // the machine may have been busy (it is shared): the best of three more runs, a moment apart, counts
            for (int i = 0; i < 3 && nanos > bounds.timeRatio() * baseNanos; i++) {
                pause(200);
                Run again = run(file, lenient, base.summary, mutant.number(), hardBytes);
                if (again.hung()) {
                    break;
                }
                nanos = Math.min(nanos, again.nanos());
            }
        }
        if (nanos > bounds.timeRatio() * baseNanos) {
            // still over: time the unmutated seed now, under the same load, and judge against the slower of its two times
            // (a shared machine that is busy for minutes slows the seed as much as the mutant; a real slowdown is the mutant's alone)
            Run seedNow = run(dir.resolve(mutant.seed().name()), lenient, base.summary, mutant.number(), Long.MAX_VALUE);
            if (!seedNow.hung() && seedNow.error() == null) {
                baseNanos = Math.max(baseNanos, seedNow.nanos());
            }
        }
        double timeRatio = (double) nanos / baseNanos;
        double memoryRatio = (double) run.bytes() / baseBytes;
        synchronized (stats) {
            if (timeRatio > stats.worstTimeRatio) {
                stats.worstTimeRatio = timeRatio;
                stats.worstTime = mutant.id() + " " + mode;
            }
            if (memoryRatio > stats.worstMemoryRatio) {
                stats.worstMemoryRatio = memoryRatio;
                stats.worstMemory = mutant.id() + " " + mode;
            }
        }
        if (timeRatio > bounds.timeRatio()) {
            found.add(finding(mutant, FindingKind.TIME, mode, run.stage(), String.format("took %.1f ms, %.1f times its seed's %.1f ms",
                    nanos / 1e6, timeRatio, baseNanos / 1e6), null));
        }
        if (memoryRatio > bounds.allocRatio()) {
            found.add(finding(mutant, FindingKind.MEMORY, mode, run.stage(), String.format("allocated %.1f MB, %.1f times its seed's %.1f MB",
                    run.bytes() / 1e6, memoryRatio, baseBytes / 1e6), run.error()));
        }
        Throwable e = run.error();
        if (e instanceof HprofFormatException hfe) {
            String problem = checkMessage(hfe, file, mutant);
            if (problem != null) {
                found.add(finding(mutant, FindingKind.MESSAGE, mode, run.stage(), problem + ": " + hfe.getMessage(), hfe));
            }
        } else if (e != null) {
            found.add(finding(mutant, FindingKind.EXCEPTION, mode, run.stage(), e.toString(), e));
        }
        return run;
    }

    /** Why the exception does not say where the dump is bad, or null when it does. */
    private static String checkMessage(HprofFormatException e, Path file, Mutant mutant) {
        if (!file.equals(e.file()) || !e.getMessage().startsWith(file + ": at byte " + e.offset())) {
            return "does not name the file and offset";
        }
        if (e.offset() < 0 || (!mutant.seed().gzip() && e.offset() > mutant.bytes().length)) {
            return "offset " + e.offset() + " is outside the file of " + mutant.bytes().length + " bytes";
        }
        if (e.record() == null || e.record().isEmpty()) {
            return "names no record";
        }
        if (e.getMessage().indexOf('\n') >= 0) {
            return "is more than one line";
        }
        return null;
    }

    private Finding finding(Mutant m, FindingKind kind, String mode, String stage, String detail, Throwable error) {
        return new Finding(m.id(), kind, mode, stage, m.description(), detail, error);
    }

    /** Runs one mode on the worker thread under the watchdog, measuring its time and allocated bytes. */
    private Run run(Path file, boolean lenient, HeapSummary original, long sample, long hardBytes) {
        long[] figures = new long[2];
        Callable<FuzzPipeline.Result> task = () -> {
            long bytes = THREADS.getCurrentThreadAllocatedBytes();
            long t = System.nanoTime();
            try {
                return pipeline.run(file, lenient, original, sample);
            } finally {
                figures[0] = System.nanoTime() - t;
                figures[1] = THREADS.getCurrentThreadAllocatedBytes() - bytes;
            }
        };
        long start = System.nanoTime();
        Thread thread = workerThread;
        long startBytes = thread == null ? 0 : THREADS.getThreadAllocatedBytes(thread.getId());
        Future<FuzzPipeline.Result> future = worker.submit(task);
        while (true) {
            try {
                FuzzPipeline.Result result = future.get(20, TimeUnit.MILLISECONDS);
                return new Run(result, null, pipeline.stage, figures[0], figures[1], false);
            } catch (ExecutionException e) {
                return new Run(null, e.getCause(), pipeline.stage, figures[0], figures[1], false);
            } catch (TimeoutException e) {
                long elapsed = System.nanoTime() - start;
                thread = workerThread;
                long bytes = thread == null ? 0 : THREADS.getThreadAllocatedBytes(thread.getId()) - startBytes;
                if (elapsed > bounds.hangNanos() || bytes > hardBytes) {
                    // the worker cannot be stopped safely: abandon it (a daemon) and start another
                    String stage = pipeline.stage;
                    future.cancel(true);
                    worker.shutdownNow();
                    newWorker();
                    if (++hangs > 3) {
                        throw new IllegalStateException("more than 3 runs hung; stopping the fuzzer");
                    }
                    return new Run(null, null, stage + (bytes > hardBytes ? " (stopped after allocating " + bytes / 1e6
                            + " MB)" : ""), elapsed, bytes, true);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    @Override
    public void close() {
        Thread.setDefaultUncaughtExceptionHandler(previousHandler);
        worker.shutdownNow();
        for (Baseline b : baselines.values()) {
            b.heap.close();
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

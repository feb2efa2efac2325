package dev.heaplens.bench;

import dev.heaplens.leaks.LeakAssertionError;
import dev.heaplens.leaks.LeakCheckOptions;
import dev.heaplens.leaks.LeakWatcher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Leak checks as a test waits for them, in a JVM holding {@code liveMb} MB of live objects
 * ({@link LiveBallast}):
 * <ul>
 *   <li>{@link #passingCheck}: watch a listener that was registered and unregistered, then
 *       {@code assertAllCollected()}; sampled ({@code SampleTime}), so the median is reported;</li>
 *   <li>{@link #failingCheck}: the listener stays registered; {@code assertAllCollected()} with the
 *       default options waits its GC timeout (1 s), dumps the live heap, opens it, finds the path and
 *       the retained size, and writes the message. One check an invocation ({@code SingleShotTime});</li>
 *   <li>{@link #failingCheckNoWait}: the same with a GC timeout of 0 (one collection, then the dump):
 *       the dump, the analysis and the message alone.</li>
 * </ul>
 * Dumps go to a temporary directory and are deleted ({@code keepDumps(false)}).
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class LeakCheckBench {
    @Param({"0", "25", "100"})
    public int liveMb;

    static final List<Object> LISTENERS = new ArrayList<>();

    private Path dumps;
    private LeakCheckOptions options;

    /** A small listener, as a test would register. */
    static final class Listener {
        final byte[] state = new byte[64];
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        LiveBallast.hold(liveMb);
        dumps = Files.createTempDirectory("heaplens-leak-bench");
        options = LeakCheckOptions.defaults().dumpDirectory(dumps).keepDumps(false);
    }

    @TearDown(Level.Iteration)
    public void unregisterAll() {
        LISTENERS.clear();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        LiveBallast.rows = new Object[0];
        try (var left = Files.list(dumps)) {
            if (left.findAny().isPresent()) {
                throw new IllegalStateException("a benchmark left a dump in " + dumps);
            }
        }
        Files.delete(dumps);
    }

    private static void registerAndWatch(LeakWatcher watcher, boolean unregister) {
        Listener l = new Listener();
        LISTENERS.add(l);
        watcher.watch(l, "listener");
        if (unregister) {
            LISTENERS.remove(l);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 5, time = 2)
    public LeakWatcher passingCheck() {
        LeakWatcher watcher = new LeakWatcher(options);
        registerAndWatch(watcher, true);
        watcher.assertAllCollected();
        return watcher;
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 2)
    @Measurement(iterations = 8)
    public String failingCheck() {
        return fail(new LeakWatcher(options));
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 2)
    @Measurement(iterations = 8)
    public String failingCheckNoWait() {
        return fail(new LeakWatcher(options.gcTimeout(Duration.ZERO)));
    }

    private static String fail(LeakWatcher watcher) {
        registerAndWatch(watcher, false);
        try {
            watcher.assertAllCollected();
        } catch (LeakAssertionError e) {
            return e.getMessage();
        }
        throw new IllegalStateException("the leak was not reported");
    }
}

package dev.heaplens.testing;

import dev.heaplens.fixtures.ExactnessWorkload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real dumps of child JVMs, made once per build and kept under {@code target/test-dumps}: tests
 * read them, never change them.
 */
public final class RealDumps {
    private static final Path DIR = Path.of("target", "test-dumps");

    private RealDumps() {
    }

    /** A dump of {@link ExactnessWorkload} on this JDK with default flags (about 5 MB). */
    public static synchronized Path workload() {
        return dump("workload.hprof", false);
    }

    /** The same workload dumped with {@code jcmd GC.heap_dump -gz=1}. */
    public static synchronized Path workloadGzip() {
        return dump("workload.hprof.gz", true);
    }

    /**
     * Dumps of one run of a workload driven in steps ({@link ChildJvm#step}): the first once it is
     * ready, each next after one more step. Made once per build and cached as
     * {@code target/test-dumps/<name>/<name>-001.hprof}, {@code -002}, …, so a test may also read the
     * directory as a series.
     */
    public static synchronized List<Path> series(String name, Class<?> workload, List<String> flags, int dumps, String... args) {
        Path dir = DIR.resolve(name);
        List<Path> paths = new ArrayList<>();
        for (int i = 1; i <= dumps; i++) {
            paths.add(dir.resolve(String.format("%s-%03d.hprof", name, i)));
        }
        if (paths.stream().allMatch(Files::isRegularFile)) {
            return paths;
        }
        try {
            Path partial = DIR.resolve(name + ".partial" + ProcessHandle.current().pid());
            Files.createDirectories(partial);
            try (ChildJvm child = ChildJvm.start(ChildJvm.currentJavaHome(), workload, flags, args)) {
                for (int i = 0; i < dumps; i++) {
                    if (i > 0) {
                        child.step("step");
                    }
                    child.heapDump(partial.resolve(paths.get(i).getFileName()).toAbsolutePath(), false);
                }
            }
            if (Files.exists(dir)) {
                try (var old = Files.list(dir)) {
                    for (Path p : (Iterable<Path>) old::iterator) {
                        Files.delete(p);
                    }
                }
                Files.delete(dir);
            }
            Files.move(partial, dir);
            return paths;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path dump(String name, boolean gzip) {
        return of(name, ExactnessWorkload.class, List.of("-Xmx128m"), gzip);
    }

    /**
     * A dump of {@code workload} (a main class printing {@code READY <pid>}) with these VM flags and
     * arguments, made once per build and cached as {@code target/test-dumps/<name>}.
     */
    public static synchronized Path of(String name, Class<?> workload, List<String> flags, boolean gzip, String... args) {
        Path target = DIR.resolve(name);
        if (Files.isRegularFile(target)) {
            return target;
        }
        try {
            Files.createDirectories(DIR);
            Path partial = DIR.resolve(name + ".partial" + ProcessHandle.current().pid());
            try (ChildJvm child = ChildJvm.start(ChildJvm.currentJavaHome(), workload, flags, args)) {
                child.heapDump(partial.toAbsolutePath(), gzip);
            }
            Files.move(partial, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

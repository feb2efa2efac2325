package dev.heaplens.testing;

import dev.heaplens.fixtures.ExactnessWorkload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

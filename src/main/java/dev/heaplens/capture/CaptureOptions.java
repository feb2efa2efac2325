package dev.heaplens.capture;

import java.nio.file.Path;

/**
 * How a heap is captured: live objects or all, plain or gzip, and where the dump goes.
 *
 * <pre>{@code
 * Heap.capture(CaptureOptions.defaults().allObjects().gzip(true).in(Path.of("dumps")));
 * Heap.capture(pid, CaptureOptions.defaults().to(Path.of("/tmp/app.hprof")));
 * }</pre>
 *
 * <p>Without {@link #to(Path) a file}, heaplens picks a fresh name {@code heaplens-<pid>-<time>.hprof}
 * (then {@code -2}, {@code -3}, ...) in {@link #directory()}, or in {@code java.io.tmpdir}. It never
 * overwrites a file: a given file that exists is an error, and a picked name is claimed by the
 * dumping JVM, which creates the file exclusively ({@code O_EXCL}).
 *
 * @param liveOnly  dump only objects reachable from GC roots (the JVM runs a full GC first), as
 *                  {@code jcmd GC.heap_dump} does by default; {@code false} dumps unreachable
 *                  objects too ({@code -all})
 * @param gzip      gzip the dump ({@code .hprof.gz}): another JVM (JDK 15 and later) writes it
 *                  compressed itself ({@code GC.heap_dump -gz=1}); HotSpot's management interface
 *                  cannot, so for this JVM (and through JMX) the JVM writes a plain dump beside the
 *                  target, heaplens compresses it and deletes it
 * @param file      the exact dump file, which must not exist; {@code null} picks a fresh name
 * @param directory where a fresh name is picked when {@code file} is null; {@code null} for
 *                  {@code java.io.tmpdir}
 * @param throughJmx capture another JVM through its local JMX agent rather than its attach listener:
 *                  <b>changes the target</b> (see {@link JvmConnection#attachViaJmx(long)}); no effect
 *                  on a capture of this JVM
 */
public record CaptureOptions(boolean liveOnly, boolean gzip, Path file, Path directory, boolean throughJmx) {

    /** Live objects, plain, a fresh name in {@code java.io.tmpdir}, through the attach listener. */
    public static CaptureOptions defaults() {
        return new CaptureOptions(true, false, null, null, false);
    }

    /**
     * These options capturing another JVM through its local JMX agent, which the Attach API starts
     * there and which stays running afterwards, with its threads, classes and objects (every later
     * dump holds some). For users who want JMX's NIO buffer pools in the snapshot.
     */
    public CaptureOptions viaJmx() {
        return new CaptureOptions(liveOnly, gzip, file, directory, true);
    }

    /** These options dumping unreachable objects too (no GC before the dump). */
    public CaptureOptions allObjects() {
        return new CaptureOptions(false, gzip, file, directory, throughJmx);
    }

    /** These options dumping live objects only, or all objects. */
    public CaptureOptions liveOnly(boolean live) {
        return new CaptureOptions(live, gzip, file, directory, throughJmx);
    }

    /** These options with gzip compression on or off. */
    public CaptureOptions gzip(boolean on) {
        return new CaptureOptions(liveOnly, on, file, directory, throughJmx);
    }

    /** These options writing exactly {@code file} (which must not exist). */
    public CaptureOptions to(Path target) {
        return new CaptureOptions(liveOnly, gzip, target, null, throughJmx);
    }

    /** These options picking a fresh name in {@code dir}. */
    public CaptureOptions in(Path dir) {
        return new CaptureOptions(liveOnly, gzip, null, dir, throughJmx);
    }
}

package dev.heaplens.leaks;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.heaplens.Heap;
import dev.heaplens.Snapshot;
import dev.heaplens.capture.CaptureException;
import dev.heaplens.capture.CaptureOptions;
import dev.heaplens.text.TextTable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live-heap dumps of leak checks, in {@link LeakCheckOptions#dumpDirectory()}: named
 * {@code leak-check-<date>-<time>-pid<pid>-<n>.hprof}, deleted when the check passes, and when it
 * fails kept or deleted as {@link LeakCheckOptions#keepDumps()} says, with a line for the failure
 * message saying which.
 */
final class HeapDumps {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private HeapDumps() {
    }

    /** Dumps the live objects of this JVM (after a full collection) to a new file of the dump directory. */
    static Path writeLive(LeakCheckOptions options, String prefix) {
        return writeLive(names(options, prefix, 1)[0]);
    }

    /**
     * Fresh names for {@code count} dumps in the dump directory (created if need be), made before any
     * is written: a check that dumps repeatedly keeps no new object per dump.
     */
    static Path[] names(LeakCheckOptions options, String prefix, int count) {
        Path dir = options.dumpDirectory();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the leak-check dump directory " + dir + " (set "
                    + LeakCheckOptions.DUMP_DIRECTORY_KEY + " to another): " + e.getMessage(), e);
        }
        Path[] names = new Path[count];
        for (int i = 0; i < count; i++) {
            names[i] = dir.resolve(prefix + "-" + LocalDateTime.now().format(STAMP) + "-pid" + ProcessHandle.current().pid()
                    + "-" + SEQUENCE.incrementAndGet() + ".hprof");
        }
        return names;
    }

    /**
     * Dumps the live objects of this JVM to {@code target} straight through
     * {@code HotSpotDiagnosticMXBean}, with no sidecar: nothing of the dumping machinery (JMX
     * introspection, reflection accessors, the memory reading of a snapshot) is left behind in the
     * heap, so repeated dumps of an idle JVM stay alike, as a growth check needs.
     */
    static Path writeLiveBare(Path target) {
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(target.toString(), true);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the heap dump " + target + ": " + e.getMessage() + " (set "
                    + LeakCheckOptions.DUMP_DIRECTORY_KEY + " to a writable directory with room for a dump of the heap)", e);
        }
    }

    /** Dumps the live objects of this JVM (after a full collection) to {@code target}, which must not exist. */
    static Path writeLive(Path target) {
        try {
            // a snapshot: its sidecar gives the dump this JVM's exact object layout
            return Heap.capture(CaptureOptions.defaults().to(target)).dump();
        } catch (CaptureException e) {
            throw new UncheckedIOException(new IOException(e.getMessage() + " (set " + LeakCheckOptions.DUMP_DIRECTORY_KEY
                    + " to a writable directory with room for a dump of the heap)", e));
        }
    }

    /** Deletes a dump that showed nothing to report, and its sidecar. */
    static void delete(Path dump) {
        try {
            Files.deleteIfExists(dump);
            Files.deleteIfExists(Snapshot.sidecarOf(dump));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the leak-check dump " + dump + ": " + e.getMessage(), e);
        }
    }

    /**
     * Keeps or deletes the dump of a failed check, as the options say, and returns the line for the
     * failure message. Never throws: a dump that cannot be deleted must not hide the failure.
     */
    static String settle(Path dump, LeakCheckOptions options) {
        if (options.keepDumps()) {
            long size = 0;
            try {
                size = Files.size(dump);
            } catch (IOException e) {
                // the size is a courtesy
            }
            return "Heap dump kept: " + dump.toAbsolutePath() + " (" + TextTable.humanBytes(size) + ")\n"
                    + "  open it with heaplens (Heap.open(Path.of(\"" + dump.toAbsolutePath() + "\"))) or Eclipse MAT;"
                    + " " + LeakCheckOptions.KEEP_DUMPS_KEY + "=false deletes such dumps";
        }
        try {
            Files.deleteIfExists(dump);
            Files.deleteIfExists(Snapshot.sidecarOf(dump));
            return "Heap dump deleted (" + LeakCheckOptions.KEEP_DUMPS_KEY + "=false).";
        } catch (IOException e) {
            return "Heap dump " + dump.toAbsolutePath() + " could not be deleted: " + e.getMessage();
        }
    }
}

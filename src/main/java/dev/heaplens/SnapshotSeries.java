package dev.heaplens;

import dev.heaplens.capture.CaptureException;
import dev.heaplens.capture.CaptureOptions;
import dev.heaplens.capture.JvmConnection;
import dev.heaplens.text.TextTable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Several snapshots of one scenario in one directory, numbered in the order they were taken:
 * {@code snapshot-001.hprof}, {@code snapshot-002.hprof}, ... (with {@code .gz} when compressed), each
 * with its sidecar. Ready for a diff: {@link #dumps()} lists the files in order.
 *
 * <pre>{@code
 * SnapshotSeries series = SnapshotSeries.in(Path.of("leak-hunt")).ofProcess(4242);
 * series.take("baseline");
 * // ... exercise the application ...
 * series.take("after 1000 requests");
 * series.snapshots()            // List<Snapshot>, in order, with labels and memory
 * series.dumps()                // List<Path>, in order
 * }</pre>
 *
 * <p>Numbers continue after the highest one in the directory, so a series can be resumed by another
 * {@code SnapshotSeries} (or another process) on the same directory; a number taken meanwhile by
 * someone else is skipped, never overwritten. Numbers have at least three digits; past 999 they
 * grow, and the listing orders by number, not by name.
 */
public final class SnapshotSeries {
    /** What every file name of a series starts with. */
    public static final String PREFIX = "snapshot-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d{3,9})\\.hprof(\\.gz)?");
    private static final Pattern ANY = Pattern.compile(Pattern.quote(PREFIX) + "(\\d{3,9})\\.hprof(\\.gz)?(\\.json)?");
    private static final int ATTEMPTS = 100;

    private final Path directory;
    private final long pid;
    private final CaptureOptions options;

    private SnapshotSeries(Path directory, long pid, CaptureOptions options) {
        this.directory = directory;
        this.pid = pid;
        this.options = options;
    }

    /** A series in {@code directory} (created if missing) of this JVM, live objects, plain dumps. */
    public static SnapshotSeries in(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CaptureException(CaptureException.Reason.UNWRITABLE, "cannot create the snapshot directory " + dir
                    + ": " + e, e);
        }
        return new SnapshotSeries(dir, ProcessHandle.current().pid(), CaptureOptions.defaults());
    }

    /** This series, capturing the JVM with {@code pid} instead. */
    public SnapshotSeries ofProcess(long targetPid) {
        return new SnapshotSeries(directory, targetPid, options);
    }

    /** This series, capturing with {@code captureOptions}' live-only and gzip settings (their file and directory are ignored). */
    public SnapshotSeries options(CaptureOptions captureOptions) {
        return new SnapshotSeries(directory, pid, CaptureOptions.defaults().liveOnly(captureOptions.liveOnly())
                .gzip(captureOptions.gzip()));
    }

    /** The series' directory. */
    public Path directory() {
        return directory;
    }

    /** Takes the next snapshot, without a label. */
    public Snapshot take() {
        return take(null);
    }

    /**
     * Takes the next snapshot: {@code snapshot-NNN.hprof} with the next free number.
     *
     * @param label what this step of the scenario is, kept in the sidecar ({@code null} for none)
     * @throws CaptureException as {@link Heap#capture(long, CaptureOptions)}
     */
    public Snapshot take(String label) {
        try (JvmConnection jvm = JvmConnection.attach(pid, options)) {
            int next = highestNumber() + 1;
            for (int attempt = 0; attempt < ATTEMPTS; attempt++, next++) {
                Path file = directory.resolve(String.format("%s%03d.hprof%s", PREFIX, next, options.gzip() ? ".gz" : ""));
                try {
                    return Snapshot.take(jvm, options.to(file), label);
                } catch (CaptureException e) {
                    if (e.reason() != CaptureException.Reason.TARGET_EXISTS) {
                        throw e;
                    }
                    // taken meanwhile (by another series on this directory): the next number
                }
            }
            throw new CaptureException(CaptureException.Reason.TARGET_EXISTS, "no free snapshot number in " + directory
                    + " after " + ATTEMPTS + " attempts");
        }
    }

    /** The series' dump files, in the order they were taken. */
    public List<Path> dumps() {
        return new ArrayList<>(byNumber().values());
    }

    /**
     * The series' snapshots, in the order they were taken.
     *
     * @throws IllegalArgumentException if a dump's sidecar is missing or unreadable
     */
    public List<Snapshot> snapshots() {
        List<Snapshot> out = new ArrayList<>();
        for (Path dump : byNumber().values()) {
            out.add(Snapshot.read(dump));
        }
        return out;
    }

    /** A table of the snapshots: number, file, label, time, size. */
    @Override
    public String toString() {
        TextTable t = new TextTable("#", "dump", "label", "time", "bytes").alignRight(0, 4);
        for (Map.Entry<Integer, Path> e : byNumber().entrySet()) {
            Snapshot s = Snapshot.find(e.getValue()).orElse(null);
            t.row(e.getKey(), e.getValue().getFileName(), s == null || s.label() == null ? "" : s.label(),
                    s == null ? "(no metadata)" : s.time(), TextTable.bytes(size(e.getValue())));
        }
        t.footer(byNumber().size() + " snapshots in " + directory);
        return t.toString();
    }

    private TreeMap<Integer, Path> byNumber() {
        TreeMap<Integer, Path> found = new TreeMap<>();
        for (Path p : list()) {
            Matcher m = NAME.matcher(p.getFileName().toString());
            if (m.matches() && Files.isRegularFile(p)) {
                found.putIfAbsent(Integer.parseInt(m.group(1)), p);
            }
        }
        return found;
    }

    private int highestNumber() {
        int highest = 0;
        for (Path p : list()) {
            Matcher m = ANY.matcher(p.getFileName().toString());
            if (m.matches()) {
                highest = Math.max(highest, Integer.parseInt(m.group(1)));
            }
        }
        return highest;
    }

    private List<Path> list() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}

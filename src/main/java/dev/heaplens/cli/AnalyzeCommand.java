package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.Snapshot;
import dev.heaplens.graph.PhaseTrace;
import dev.heaplens.report.HeapReport;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;

/**
 * {@code heaplens analyze [--top N] [--threshold PCT] [--format text|json|html] [-o FILE] [--lenient] DUMP|--pid PID [--keep]}:
 * everything at once, of a dump or of a running JVM captured for the purpose; as text, JSON, or one
 * self-contained HTML page ({@code --format html -o report.html}).
 */
final class AnalyzeCommand implements CliCommand {
    private static final String NAME = "analyze";

    final ReadMode read = new ReadMode();
    final ReportOutput report = new ReportOutput();
    Path dump;
    Long pid;
    boolean keep;
    Integer top;
    double threshold = 10;

    @Override
    public Options declare() {
        Options o = new Options(NAME, "Summarise a dump (or a running JVM, captured first): totals, the classes and objects that retain "
                + "the most, and the leak suspects.");
        read.declare(o);
        report.declare(o);
        return o.positional("DUMP", 0, 1, "An HPROF heap dump, plain or gzip-compressed (or give --pid).", v -> dump = Options.toPath(v))
                .value("--pid", "PID", "Capture this running JVM first, then analyse its dump.", v -> pid = Options.toLong(v))
                .flag("--keep", "With --pid: keep the dump (and its metadata) instead of deleting it.", () -> keep = true)
                .value("--top", "N", "Classes and objects to list (default: 10, and " + Heap.REPORT_TOP
                        + " in an HTML page, which shows the first rows and the rest on a click).", v -> top = Options.toInt(v))
                .value("--threshold", "PCT", "Leak suspects retain more than PCT percent of the reachable heap (default: 10).",
                        v -> threshold = Options.toDouble(v));
    }

    @Override
    public int call(Console console) {
        if (top == null) {
            top = report.html() ? Heap.REPORT_TOP : 10;
        }
        if (top < 1) {
            throw new UsageException(NAME, "--top must be at least 1, not " + top);
        }
        if (!(threshold > 0 && threshold <= 100)) {
            throw new UsageException(NAME, "--threshold must be a percentage above 0 and at most 100, not " + threshold);
        }
        if ((dump == null) == (pid == null)) {
            throw new UsageException(NAME, "give either a DUMP file or --pid PID (not both)");
        }
        if (keep && pid == null) {
            throw new UsageException(NAME, "--keep goes with --pid");
        }
        report.checkNotOver(NAME, Collections.singletonList(dump));
        if (dump != null) {
            analyze(dump, console);
            return 0;
        }
        Snapshot snapshot = Heap.capture(pid);
        PrintWriter notes = report.notes(console);
        notes.printf("Captured process %d (%s %s) to %s%n", pid, snapshot.jvm().vmName(), snapshot.jvm().javaVersion(), snapshot.dump());
        try {
            analyze(snapshot.dump(), console);
        } finally {
            if (keep) {
                notes.println("Dump kept at " + snapshot.dump() + " (metadata in " + snapshot.sidecar().getFileName() + ")");
            } else {
                delete(snapshot);
            }
            notes.flush();
        }
        return 0;
    }

    private void analyze(Path file, Console console) {
        try (Heap heap = read.open(file)) {
            HeapReport analysis = heap.report(top, threshold);
            long started = PhaseTrace.start();
            report.emit(console, file.toString(), analysis::toString, analysis::toJson, analysis::toHtml);
            PhaseTrace.end("render", started);
            read.finish(heap, console);
        }
    }

    /** Deletes a dump this command captured, and its sidecar. */
    static void delete(Snapshot snapshot) {
        try {
            Files.deleteIfExists(snapshot.dump());
            Files.deleteIfExists(snapshot.sidecar());
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the captured dump " + snapshot.dump() + ": " + e.getMessage(), e);
        }
    }
}

package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.Snapshot;
import dev.heaplens.graph.PhaseTrace;
import dev.heaplens.report.HeapReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.concurrent.Callable;

/**
 * {@code heaplens analyze [--top N] [--threshold PCT] [--format text|json|html] [-o FILE] [--lenient] DUMP|--pid PID [--keep]}:
 * everything at once, of a dump or of a running JVM captured for the purpose; as text, JSON, or one
 * self-contained HTML page ({@code --format html -o report.html}).
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Summarise a dump (or a running JVM, captured first): totals, the classes and objects that retain "
                + "the most, and the leak suspects.")
final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ReadMode read;

    @Mixin
    ReportOutput report;

    @Parameters(arity = "0..1", paramLabel = "DUMP", description = "An HPROF heap dump, plain or gzip-compressed (or give --pid).")
    Path dump;

    @Option(names = "--pid", paramLabel = "PID", description = "Capture this running JVM first, then analyse its dump.")
    Long pid;

    @Option(names = "--keep", description = "With --pid: keep the dump (and its metadata) instead of deleting it.")
    boolean keep;

    @Option(names = "--top", paramLabel = "N",
            description = "Classes and objects to list (default: 10, and " + Heap.REPORT_TOP + " in an HTML page, which shows the first rows and the rest on a click).")
    Integer top;

    @Option(names = "--threshold", paramLabel = "PCT", defaultValue = "10",
            description = "Leak suspects retain more than PCT percent of the reachable heap (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Override
    public Integer call() {
        if (top == null) {
            top = report.html() ? Heap.REPORT_TOP : 10;
        }
        if (top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 1, not " + top);
        }
        if (!(threshold > 0 && threshold <= 100)) {
            throw new ParameterException(spec.commandLine(), "--threshold must be a percentage above 0 and at most 100, not " + threshold);
        }
        if ((dump == null) == (pid == null)) {
            throw new ParameterException(spec.commandLine(), "give either a DUMP file or --pid PID (not both)");
        }
        if (keep && pid == null) {
            throw new ParameterException(spec.commandLine(), "--keep goes with --pid");
        }
        report.checkNotOver(spec, Collections.singletonList(dump));
        if (dump != null) {
            analyze(dump);
            return 0;
        }
        Snapshot snapshot = Heap.capture(pid);
        PrintWriter notes = report.notes(spec);
        notes.printf("Captured process %d (%s %s) to %s%n", pid, snapshot.jvm().vmName(), snapshot.jvm().javaVersion(), snapshot.dump());
        try {
            analyze(snapshot.dump());
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

    private void analyze(Path file) {
        try (Heap heap = read.open(file)) {
            HeapReport analysis = heap.report(top, threshold);
            long started = PhaseTrace.start();
            report.emit(spec, file.toString(), analysis::toString, analysis::toJson, analysis::toHtml);
            PhaseTrace.end("render", started);
            read.finish(heap, spec);
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

package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.Snapshot;
import dev.heaplens.report.HeapReport;
import dev.heaplens.text.TextTable;
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

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json, or html: one self-contained page that opens offline (default: ${DEFAULT-VALUE}).")
    ReportFormat format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of printing it.")
    Path output;

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
            top = format == ReportFormat.html ? Heap.REPORT_TOP : 10;
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
        if (output != null && dump != null && ReportFile.sameFile(output, dump)) {
            throw new ParameterException(spec.commandLine(), "-o " + output + " is the dump itself: heaplens never writes to a dump");
        }
        if (dump != null) {
            analyze(dump);
            return 0;
        }
        Snapshot snapshot = Heap.capture(pid);
        PrintWriter notes = format == ReportFormat.text || output != null ? spec.commandLine().getOut() : spec.commandLine().getErr();
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
            HeapReport report = heap.report(top, threshold);
            String rendered = switch (format) {
                case text -> report.toString();
                case json -> report.toJson() + "\n";
                case html -> report.toHtml();
            };
            PrintWriter out = spec.commandLine().getOut();
            if (output == null) {
                out.print(rendered);
            } else {
                long bytes = ReportFile.write(output, rendered);
                out.printf("Wrote the %s report of %s to %s (%s)%n", format, file, output, TextTable.humanBytes(bytes));
            }
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

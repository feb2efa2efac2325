package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.Snapshot;
import dev.heaplens.analysis.DominatorList;
import dev.heaplens.analysis.DominatorTree;
import dev.heaplens.analysis.Histogram;
import dev.heaplens.analysis.LeakSuspects;
import dev.heaplens.report.AnalysisJson;
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
 * {@code heaplens analyze [--top N] [--threshold PCT] [--format text|json] [--lenient] DUMP|--pid PID [--keep]}:
 * everything at once, of a dump or of a running JVM captured for the purpose.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Summarise a dump (or a running JVM, captured first): totals, the classes and objects that retain "
                + "the most, and the leak suspects.")
final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ReadOptions read;

    @Parameters(arity = "0..1", paramLabel = "DUMP", description = "An HPROF heap dump, plain or gzip-compressed (or give --pid).")
    Path dump;

    @Option(names = "--pid", paramLabel = "PID", description = "Capture this running JVM first, then analyse its dump.")
    Long pid;

    @Option(names = "--keep", description = "With --pid: keep the dump (and its metadata) instead of deleting it.")
    boolean keep;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "Classes and objects to list (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--threshold", paramLabel = "PCT", defaultValue = "10",
            description = "Leak suspects retain more than PCT percent of the reachable heap (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Override
    public Integer call() {
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
        if (dump != null) {
            analyze(dump);
            return 0;
        }
        Snapshot snapshot = Heap.capture(pid);
        PrintWriter notes = read.json() ? spec.commandLine().getErr() : spec.commandLine().getOut();
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
            DominatorTree tree = heap.dominators();
            Histogram histogram = heap.histogram();
            Histogram byRetained = heap.histogramWithRetained().sortedByRetained().top(top);
            DominatorList dominators = tree.top(top);
            Histogram unreachable = tree.unreachable();
            LeakSuspects suspects = heap.suspects(threshold);
            PrintWriter out = spec.commandLine().getOut();
            if (read.json()) {
                out.println(AnalysisJson.render(heap.path(), heap.graph(), histogram, tree, unreachable, byRetained, dominators,
                        suspects, heap.complete(), heap.warnings()));
            } else {
                out.println(heap);
                out.printf("reachable: %,d objects, %s bytes (%s); unreachable: %,d objects, %s bytes%n%n", tree.reachableCount(),
                        TextTable.bytes(tree.reachableBytes()), TextTable.humanBytes(tree.reachableBytes()),
                        unreachable.totalCount(), TextTable.bytes(unreachable.totalBytes()));
                out.println("Classes by retained size:");
                out.println(byRetained);
                out.println(dominators);
                out.print(suspects);
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

package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.HeapOptions;
import dev.heaplens.diff.HeapSummary;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;

/** What the commands over several dumps ({@code diff}, {@code growth}) take: {@code [--top N] [--format text|json|html] [-o FILE] [--lenient]}. */
final class DiffOptions extends ReportOutput {
    @Option(names = "--top", paramLabel = "N", defaultValue = "20", description = "Rows per table (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--lenient", description = "Analyse what is complete in truncated or damaged dumps, and say what was lost.")
    boolean lenient;

    /** Rejects a {@code --top} below 1 as a usage error. */
    void check(CommandSpec spec) {
        if (top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 1, not " + top);
        }
    }

    /** Opens a dump, summarises it, prints the reader's warnings on stderr, and closes it. */
    HeapSummary summarise(Path dump, CommandSpec spec) {
        try (Heap heap = Heap.open(dump, HeapOptions.defaults().lenient(lenient))) {
            HeapSummary summary = HeapSummary.of(heap);
            for (String w : heap.warnings()) {
                spec.commandLine().getErr().println("warning: " + dump.getFileName() + ": " + w);
            }
            return summary;
        }
    }
}

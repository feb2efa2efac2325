package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.HeapOptions;
import dev.heaplens.diff.HeapSummary;

import java.nio.file.Path;

/** What the commands over several dumps ({@code diff}, {@code growth}) take: {@code [--top N] [--format text|json|html] [-o FILE] [--lenient]}. */
final class DiffOptions extends ReportOutput {
    int top = 20;
    boolean lenient;

    /** Adds {@code --top}, {@code --lenient}, {@code --format} and {@code -o}. */
    @Override
    void declare(Options o) {
        super.declare(o);
        o.value("--top", "N", "Rows per table (default: 20).", v -> top = Options.toInt(v))
                .flag("--lenient", "Analyse what is complete in truncated or damaged dumps, and say what was lost.", () -> lenient = true);
    }

    /** Rejects a {@code --top} below 1 as a usage error. */
    void check(String command) {
        if (top < 1) {
            throw new UsageException(command, "--top must be at least 1, not " + top);
        }
    }

    /** Opens a dump, summarises it, prints the reader's warnings on stderr, and closes it. */
    HeapSummary summarise(Path dump, CliCommand.Console console) {
        try (Heap heap = Heap.open(dump, HeapOptions.defaults().lenient(lenient))) {
            HeapSummary summary = HeapSummary.of(heap);
            for (String w : heap.warnings()) {
                console.err().println("warning: " + dump.getFileName() + ": " + w);
            }
            return summary;
        }
    }
}

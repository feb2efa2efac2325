package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.HeapOptions;
import dev.heaplens.diff.HeapDiff;
import dev.heaplens.diff.HeapSummary;
import dev.heaplens.report.DiffJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code heaplens diff [--top N] [--format text|json] [--lenient] BEFORE AFTER}: what grew between
 * two dumps, per retention path and per class.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Compare two dumps: the retention paths that grew and shrank, and the classes that changed.")
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--top", paramLabel = "N", defaultValue = "20", description = "Rows per table (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--lenient", description = "Analyse what is complete in a truncated or damaged dump, and say what was lost.")
    boolean lenient;

    @Parameters(arity = "2", paramLabel = "DUMP", description = "The dump before, then the dump after (plain or gzip).")
    List<Path> dumps;

    @Override
    public Integer call() {
        if (top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 1, not " + top);
        }
        HeapSummary before = summarise(dumps.get(0), lenient, spec);
        HeapDiff diff = HeapDiff.of(before, summarise(dumps.get(1), lenient, spec));
        var out = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            out.println(DiffJson.render(diff, top));
        } else {
            out.print(diff.toString(top));
        }
        out.flush();
        return 0;
    }

    /** Opens a dump, summarises it, prints the reader's warnings on stderr, and closes it. */
    static HeapSummary summarise(Path dump, boolean lenient, CommandSpec spec) {
        try (Heap heap = Heap.open(dump, HeapOptions.defaults().lenient(lenient))) {
            HeapSummary summary = HeapSummary.of(heap);
            for (String w : heap.warnings()) {
                spec.commandLine().getErr().println("warning: " + dump.getFileName() + ": " + w);
            }
            return summary;
        }
    }
}

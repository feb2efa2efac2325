package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.analysis.Histogram;
import dev.heaplens.report.HistogramJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/**
 * {@code heaplens histogram [--top N] [--sort shallow|retained] [--format text|json] [--lenient] DUMP}:
 * the class histogram with retained sizes (the dominator tree is computed for them).
 */
@Command(name = "histogram", mixinStandardHelpOptions = true,
        description = "Print the class histogram: objects, shallow bytes and retained bytes per class, largest first.")
final class HistogramCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--top", paramLabel = "N", description = "Show only the N largest classes (default: all).")
    Integer top;

    /** The histogram's order. */
    enum Sort {
        shallow, retained
    }

    @Option(names = "--sort", paramLabel = "ORDER", defaultValue = "shallow",
            description = "shallow or retained: the column to sort by, largest first (default: ${DEFAULT-VALUE}).")
    Sort sort;

    @Mixin
    DumpArguments dump;

    @Override
    public Integer call() {
        if (top != null && top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 1, not " + top);
        }
        try (Heap heap = dump.open()) {
            Histogram h = heap.histogramWithRetained();
            if (sort == Sort.retained) {
                h = h.sortedByRetained();
            }
            if (top != null) {
                h = h.top(top);
            }
            var out = spec.commandLine().getOut();
            if (dump.json()) {
                out.println(HistogramJson.render(h));
            } else {
                out.print(h);
            }
            dump.finish(heap, spec);
        }
        return 0;
    }
}

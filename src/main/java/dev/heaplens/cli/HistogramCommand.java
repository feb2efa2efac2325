package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.analysis.Histogram;
import dev.heaplens.report.HistogramJson;


/**
 * {@code heaplens histogram [--top N] [--sort shallow|retained] [--format text|json] [--lenient] DUMP}:
 * the class histogram with retained sizes (the dominator tree is computed for them).
 */
final class HistogramCommand implements CliCommand {
    private static final String NAME = "histogram";

    Integer top;
    Sort sort = Sort.shallow;
    final DumpArguments dump = new DumpArguments();

    /** The histogram's order. */
    enum Sort {
        shallow, retained
    }

    @Override
    public Options declare() {
        Options o = new Options(NAME, "Print the class histogram: objects, shallow bytes and retained bytes per class, largest first.")
                .value("--top", "N", "Show only the N largest classes (default: all).", v -> top = Options.toInt(v))
                .value("--sort", "ORDER", "shallow or retained: the column to sort by, largest first (default: shallow).",
                        v -> sort = Options.toEnum(Sort.class, v));
        dump.declare(o);
        return o;
    }

    @Override
    public int call(Console console) {
        if (top != null && top < 1) {
            throw new UsageException(NAME, "--top must be at least 1, not " + top);
        }
        try (Heap heap = dump.open()) {
            Histogram h = heap.histogramWithRetained();
            if (sort == Sort.retained) {
                h = h.sortedByRetained();
            }
            if (top != null) {
                h = h.top(top);
            }
            var out = console.out();
            if (dump.json()) {
                out.println(HistogramJson.render(h));
            } else {
                out.print(h);
            }
            dump.finish(heap, console);
        }
        return 0;
    }
}

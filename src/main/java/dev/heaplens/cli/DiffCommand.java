package dev.heaplens.cli;

import dev.heaplens.diff.HeapDiff;
import dev.heaplens.diff.HeapSummary;
import dev.heaplens.report.DiffHtml;
import dev.heaplens.report.DiffJson;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code heaplens diff [--top N] [--format text|json|html] [-o FILE] [--lenient] BEFORE AFTER}: what grew between
 * two dumps, per retention path and per class.
 */
final class DiffCommand implements CliCommand {
    private static final String NAME = "diff";

    final DiffOptions options = new DiffOptions();
    final List<Path> dumps = new ArrayList<>();

    @Override
    public Options declare() {
        Options o = new Options(NAME, "Compare two dumps: the retention paths that grew and shrank, and the classes that changed.");
        options.declare(o);
        return o.positional("DUMP", 2, 2, "The dump before, then the dump after (plain or gzip).", v -> dumps.add(Options.toPath(v)));
    }

    @Override
    public int call(Console console) {
        options.check(NAME);
        options.checkNotOver(NAME, dumps);
        HeapSummary before = options.summarise(dumps.get(0), console);
        HeapDiff diff = HeapDiff.of(before, options.summarise(dumps.get(1), console));
        options.emit(console, dumps.get(0) + " and " + dumps.get(1), () -> diff.toString(options.top), () -> DiffJson.render(diff, options.top),
                () -> DiffHtml.render(diff, options.top));
        return 0;
    }
}

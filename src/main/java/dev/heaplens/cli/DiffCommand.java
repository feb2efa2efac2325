package dev.heaplens.cli;

import dev.heaplens.diff.HeapDiff;
import dev.heaplens.diff.HeapSummary;
import dev.heaplens.report.DiffHtml;
import dev.heaplens.report.DiffJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code heaplens diff [--top N] [--format text|json|html] [-o FILE] [--lenient] BEFORE AFTER}: what grew between
 * two dumps, per retention path and per class.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Compare two dumps: the retention paths that grew and shrank, and the classes that changed.")
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DiffOptions options;

    @Parameters(arity = "2", paramLabel = "DUMP", description = "The dump before, then the dump after (plain or gzip).")
    List<Path> dumps;

    @Override
    public Integer call() {
        options.check(spec);
        options.checkNotOver(spec, dumps);
        HeapSummary before = options.summarise(dumps.get(0), spec);
        HeapDiff diff = HeapDiff.of(before, options.summarise(dumps.get(1), spec));
        options.emit(spec, dumps.get(0) + " and " + dumps.get(1), () -> diff.toString(options.top), () -> DiffJson.render(diff, options.top),
                () -> DiffHtml.render(diff, options.top));
        return 0;
    }
}

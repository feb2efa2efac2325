package dev.heaplens.cli;

import dev.heaplens.diff.HeapGrowth;
import dev.heaplens.diff.HeapSummary;
import dev.heaplens.report.DiffHtml;
import dev.heaplens.report.GrowthJson;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code heaplens growth [--top N] [--format text|json|html] [-o FILE] [--lenient] DUMP DUMP DUMP…} or
 * {@code growth DIRECTORY}: the retention paths and classes that grew in every step of a series.
 */
final class GrowthCommand implements CliCommand {
    private static final String NAME = "growth";

    final DiffOptions options = new DiffOptions();
    final List<Path> dumps = new ArrayList<>();

    @Override
    public Options declare() {
        Options o = new Options(NAME, "Find what grows in every step of a series of dumps (3 or more, in order, or a directory of *.hprof[.gz] sorted by name).");
        options.declare(o);
        return o.positional("DUMP", 1, -1, "The dumps in series order, or one directory holding them.", v -> dumps.add(Options.toPath(v)));
    }

    @Override
    public int call(Console console) {
        options.check(NAME);
        boolean directory = dumps.size() == 1 && Files.isDirectory(dumps.get(0));
        List<Path> series = directory ? HeapGrowth.dumpsIn(dumps.get(0)) : dumps;
        if (series.size() < HeapGrowth.MIN_DUMPS) {
            throw new UsageException(NAME, "growth needs at least " + HeapGrowth.MIN_DUMPS + " dumps, "
                    + (directory ? dumps.get(0) + " holds " : "got ") + series.size());
        }
        options.checkNotOver(NAME, series);
        List<HeapSummary> summaries = new ArrayList<>(series.size());
        for (Path dump : series) {
            summaries.add(options.summarise(dump, console));
        }
        HeapGrowth growth = HeapGrowth.ofSummaries(summaries);
        options.emit(console, series.size() + " dumps", () -> growth.toString(options.top), () -> GrowthJson.render(growth),
                () -> DiffHtml.render(growth, options.top));
        return 0;
    }
}

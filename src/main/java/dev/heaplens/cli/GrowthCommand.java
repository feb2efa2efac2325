package dev.heaplens.cli;

import dev.heaplens.diff.HeapGrowth;
import dev.heaplens.diff.HeapSummary;
import dev.heaplens.report.DiffHtml;
import dev.heaplens.report.GrowthJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code heaplens growth [--top N] [--format text|json|html] [-o FILE] [--lenient] DUMP DUMP DUMP…} or
 * {@code growth DIRECTORY}: the retention paths and classes that grew in every step of a series.
 */
@Command(name = "growth", mixinStandardHelpOptions = true,
        description = "Find what grows in every step of a series of dumps (3 or more, in order, or a directory of *.hprof[.gz] sorted by name).")
final class GrowthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DiffOptions options;

    @Parameters(arity = "1..*", paramLabel = "DUMP", description = "The dumps in series order, or one directory holding them.")
    List<Path> dumps;

    @Override
    public Integer call() {
        options.check(spec);
        boolean directory = dumps.size() == 1 && Files.isDirectory(dumps.get(0));
        List<Path> series = directory ? HeapGrowth.dumpsIn(dumps.get(0)) : dumps;
        if (series.size() < HeapGrowth.MIN_DUMPS) {
            throw new ParameterException(spec.commandLine(), "growth needs at least " + HeapGrowth.MIN_DUMPS + " dumps, "
                    + (directory ? dumps.get(0) + " holds " : "got ") + series.size());
        }
        options.checkNotOver(spec, series);
        List<HeapSummary> summaries = new ArrayList<>(series.size());
        for (Path dump : series) {
            summaries.add(options.summarise(dump, spec));
        }
        HeapGrowth growth = HeapGrowth.ofSummaries(summaries);
        options.emit(spec, series.size() + " dumps", () -> growth.toString(options.top), () -> GrowthJson.render(growth),
                () -> DiffHtml.render(growth, options.top));
        return 0;
    }
}

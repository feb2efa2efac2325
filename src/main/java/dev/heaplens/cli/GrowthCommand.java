package dev.heaplens.cli;

import dev.heaplens.diff.HeapGrowth;
import dev.heaplens.diff.HeapSummary;
import dev.heaplens.report.GrowthJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code heaplens growth [--top N] [--format text|json] [--lenient] DUMP DUMP DUMP…} or
 * {@code growth DIRECTORY}: the retention paths and classes that grew in every step of a series.
 */
@Command(name = "growth", mixinStandardHelpOptions = true,
        description = "Find what grows in every step of a series of dumps (3 or more, in order, or a directory of *.hprof[.gz] sorted by name).")
final class GrowthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--top", paramLabel = "N", defaultValue = "20", description = "Rows per table in text (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--lenient", description = "Analyse what is complete in truncated or damaged dumps, and say what was lost.")
    boolean lenient;

    @Parameters(arity = "1..*", paramLabel = "DUMP", description = "The dumps in series order, or one directory holding them.")
    List<Path> dumps;

    @Override
    public Integer call() {
        if (top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 1, not " + top);
        }
        List<Path> series = dumps.size() == 1 && Files.isDirectory(dumps.get(0)) ? HeapGrowth.dumpsIn(dumps.get(0)) : dumps;
        if (series.size() < HeapGrowth.MIN_DUMPS) {
            throw new ParameterException(spec.commandLine(), "growth needs at least " + HeapGrowth.MIN_DUMPS + " dumps, "
                    + (dumps.size() == 1 && Files.isDirectory(dumps.get(0)) ? dumps.get(0) + " holds " : "got ") + series.size());
        }
        List<HeapSummary> summaries = new ArrayList<>(series.size());
        for (Path dump : series) {
            summaries.add(DiffCommand.summarise(dump, lenient, spec));
        }
        HeapGrowth growth = HeapGrowth.ofSummaries(summaries);
        var out = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            out.println(GrowthJson.render(growth));
        } else {
            out.print(growth.toString(top));
        }
        out.flush();
        return 0;
    }
}

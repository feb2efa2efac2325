package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.analysis.DuplicateStrings;
import dev.heaplens.analysis.Waste;
import dev.heaplens.report.WasteJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code heaplens waste [--top N] [--format text|json] [--lenient] DUMP}: duplicate strings, empty and
 * sparse collections, boxed primitives and zero arrays, each with the bytes a fix would save.
 */
@Command(name = "waste", mixinStandardHelpOptions = true,
        description = "Print memory that is simply wasted: duplicate strings (with who holds them), empty and sparse collections,"
                + " boxes of equal values, all-zero arrays; each with the bytes a fix would save.")
final class WasteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DumpArguments dump;

    @Option(names = "--top", paramLabel = "N", defaultValue = "" + DuplicateStrings.DEFAULT_TOP,
            description = "How many duplicated string values to list (default: ${DEFAULT-VALUE}); totals cover all.")
    int top;

    @Override
    public Integer call() {
        if (top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 1, not " + top);
        }
        try (Heap heap = dump.open()) {
            Waste waste = top == DuplicateStrings.DEFAULT_TOP ? heap.waste() : Waste.of(heap.graph(), top);
            var out = spec.commandLine().getOut();
            if (dump.json()) {
                out.println(WasteJson.render(waste));
            } else {
                out.print(waste);
            }
            dump.finish(heap, spec);
        }
        return 0;
    }
}

package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.analysis.LeakSuspects;
import dev.heaplens.report.SuspectsJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code heaplens suspects [--threshold PCT] [--format text|json] [--lenient] DUMP}. */
@Command(name = "suspects", mixinStandardHelpOptions = true,
        description = "Print leak suspects: objects and classes that keep more than a share of the heap alive, "
                + "where the memory accumulates, and the shortest path from a GC root.")
final class SuspectsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DumpArguments dump;

    @Option(names = "--threshold", paramLabel = "PCT", defaultValue = "10",
            description = "Report what retains more than PCT percent of the reachable heap (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Override
    public Integer call() {
        if (!(threshold > 0 && threshold <= 100)) {
            throw new ParameterException(spec.commandLine(), "--threshold must be a percentage above 0 and at most 100, not " + threshold);
        }
        try (Heap heap = dump.open()) {
            LeakSuspects suspects = heap.suspects(threshold);
            var out = spec.commandLine().getOut();
            if (dump.json()) {
                out.println(SuspectsJson.render(suspects));
            } else {
                out.print(suspects);
            }
            dump.finish(heap, spec);
        }
        return 0;
    }
}

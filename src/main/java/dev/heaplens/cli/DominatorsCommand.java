package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.analysis.DominatorTree;
import dev.heaplens.report.DominatorJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code heaplens dominators [--top N] [--format text|json] [--lenient] DUMP}. */
@Command(name = "dominators", mixinStandardHelpOptions = true,
        description = "Print the objects with the largest retained sizes (what the GC would free with each).")
final class DominatorsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DumpArguments dump;

    @Option(names = "--top", paramLabel = "N", defaultValue = "20", description = "How many objects (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() {
        if (top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 1, not " + top);
        }
        try (Heap heap = dump.open()) {
            DominatorTree tree = heap.dominators();
            var out = spec.commandLine().getOut();
            if (dump.json()) {
                out.println(DominatorJson.render(tree, tree.top(top)));
            } else {
                out.print(tree.top(top));
                out.printf("reachable: %,d objects, %,d bytes%n", tree.reachableCount(), tree.reachableBytes());
            }
            dump.finish(heap, spec);
        }
        return 0;
    }
}

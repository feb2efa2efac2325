package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.analysis.DominatorList;
import dev.heaplens.analysis.DominatorTree;
import dev.heaplens.analysis.Histogram;
import dev.heaplens.analysis.LeakSuspects;
import dev.heaplens.report.AnalysisJson;
import dev.heaplens.text.TextTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code heaplens analyze [--top N] [--threshold PCT] [--format text|json] [--lenient] DUMP}: everything at once. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Summarise a dump: totals, the classes and objects that retain the most, and the leak suspects.")
final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DumpArguments dump;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "Classes and objects to list (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--threshold", paramLabel = "PCT", defaultValue = "10",
            description = "Leak suspects retain more than PCT percent of the reachable heap (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Override
    public Integer call() {
        if (top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 1, not " + top);
        }
        if (!(threshold > 0 && threshold <= 100)) {
            throw new ParameterException(spec.commandLine(), "--threshold must be a percentage above 0 and at most 100, not " + threshold);
        }
        try (Heap heap = dump.open()) {
            DominatorTree tree = heap.dominators();
            Histogram histogram = heap.histogram();
            Histogram byRetained = heap.histogramWithRetained().sortedByRetained().top(top);
            DominatorList dominators = tree.top(top);
            Histogram unreachable = tree.unreachable();
            LeakSuspects suspects = heap.suspects(threshold);
            PrintWriter out = spec.commandLine().getOut();
            if (dump.json()) {
                out.println(AnalysisJson.render(heap.path(), heap.graph(), histogram, tree, unreachable, byRetained, dominators,
                        suspects, heap.complete(), heap.warnings()));
            } else {
                out.println(heap);
                out.printf("reachable: %,d objects, %s bytes (%s); unreachable: %,d objects, %s bytes%n%n", tree.reachableCount(),
                        TextTable.bytes(tree.reachableBytes()), TextTable.humanBytes(tree.reachableBytes()),
                        unreachable.totalCount(), TextTable.bytes(unreachable.totalBytes()));
                out.println("Classes by retained size:");
                out.println(byRetained);
                out.println(dominators);
                out.print(suspects);
            }
            dump.finish(heap, spec);
        }
        return 0;
    }
}

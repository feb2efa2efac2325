package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.analysis.DominatorTree;
import dev.heaplens.report.DominatorJson;


/** {@code heaplens dominators [--top N] [--format text|json] [--lenient] DUMP}. */
final class DominatorsCommand implements CliCommand {
    private static final String NAME = "dominators";

    final DumpArguments dump = new DumpArguments();
    int top = 20;

    @Override
    public Options declare() {
        Options o = new Options(NAME, "Print the objects with the largest retained sizes (what the GC would free with each).");
        dump.declare(o);
        return o.value("--top", "N", "How many objects (default: 20).", v -> top = Options.toInt(v));
    }

    @Override
    public int call(Console console) {
        if (top < 1) {
            throw new UsageException(NAME, "--top must be at least 1, not " + top);
        }
        try (Heap heap = dump.open()) {
            DominatorTree tree = heap.dominators();
            var out = console.out();
            if (dump.json()) {
                out.println(DominatorJson.render(tree, tree.top(top)));
            } else {
                out.print(tree.top(top));
                out.printf("reachable: %,d objects, %,d bytes%n", tree.reachableCount(), tree.reachableBytes());
            }
            dump.finish(heap, console);
        }
        return 0;
    }
}

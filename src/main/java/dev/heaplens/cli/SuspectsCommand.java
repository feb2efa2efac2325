package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.analysis.LeakSuspects;
import dev.heaplens.report.SuspectsJson;


/** {@code heaplens suspects [--threshold PCT] [--format text|json] [--lenient] DUMP}. */
final class SuspectsCommand implements CliCommand {
    private static final String NAME = "suspects";

    final DumpArguments dump = new DumpArguments();
    double threshold = 10;

    @Override
    public Options declare() {
        Options o = new Options(NAME, "Print leak suspects: objects and classes that keep more than a share of the heap alive, "
                + "where the memory accumulates, and the shortest path from a GC root.");
        dump.declare(o);
        return o.value("--threshold", "PCT", "Report what retains more than PCT percent of the reachable heap (default: 10).",
                v -> threshold = Options.toDouble(v));
    }

    @Override
    public int call(Console console) {
        if (!(threshold > 0 && threshold <= 100)) {
            throw new UsageException(NAME, "--threshold must be a percentage above 0 and at most 100, not " + threshold);
        }
        try (Heap heap = dump.open()) {
            LeakSuspects suspects = heap.suspects(threshold);
            var out = console.out();
            if (dump.json()) {
                out.println(SuspectsJson.render(suspects));
            } else {
                out.print(suspects);
            }
            dump.finish(heap, console);
        }
        return 0;
    }
}

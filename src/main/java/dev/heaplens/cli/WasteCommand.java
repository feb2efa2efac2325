package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.analysis.DuplicateStrings;
import dev.heaplens.analysis.Waste;
import dev.heaplens.report.WasteJson;


/**
 * {@code heaplens waste [--top N] [--format text|json] [--lenient] DUMP}: duplicate strings, empty and
 * sparse collections, boxed primitives and zero arrays, each with the bytes a fix would save.
 */
final class WasteCommand implements CliCommand {
    private static final String NAME = "waste";

    final DumpArguments dump = new DumpArguments();
    int top = DuplicateStrings.DEFAULT_TOP;

    @Override
    public Options declare() {
        Options o = new Options(NAME, "Print memory that is simply wasted: duplicate strings (with who holds them), empty and sparse collections,"
                + " boxes of equal values, all-zero arrays; each with the bytes a fix would save.");
        dump.declare(o);
        return o.value("--top", "N", "How many duplicated string values to list (default: " + DuplicateStrings.DEFAULT_TOP
                + "); totals cover all.", v -> top = Options.toInt(v));
    }

    @Override
    public int call(Console console) {
        if (top < 1) {
            throw new UsageException(NAME, "--top must be at least 1, not " + top);
        }
        try (Heap heap = dump.open()) {
            Waste waste = top == DuplicateStrings.DEFAULT_TOP ? heap.waste() : Waste.of(heap.graph(), top);
            var out = console.out();
            if (dump.json()) {
                out.println(WasteJson.render(waste));
            } else {
                out.print(waste);
            }
            dump.finish(heap, console);
        }
        return 0;
    }
}

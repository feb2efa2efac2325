package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.HeapOptions;

import java.nio.file.Path;

/** How an analysing command reads a dump: {@code [--lenient]}. */
class ReadMode {
    boolean lenient;

    /** Adds {@code --lenient}. */
    void declare(Options o) {
        o.flag("--lenient", "Analyse what is complete in a truncated or damaged dump, and say what was lost.", () -> lenient = true);
    }

    /** Opens {@code dump} as asked. */
    Heap open(Path dump) {
        return Heap.open(dump, HeapOptions.defaults().lenient(lenient));
    }

    /** Prints the reader's warnings on stderr, then flushes stdout. */
    void finish(Heap heap, CliCommand.Console console) {
        for (String w : heap.warnings()) {
            console.err().println("warning: " + w);
        }
        console.out().flush();
    }
}

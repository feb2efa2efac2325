package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.HeapOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/** How an analysing command reads a dump: {@code [--lenient]}, as a picocli mixin. */
class ReadMode {
    @Option(names = "--lenient", description = "Analyse what is complete in a truncated or damaged dump, and say what was lost.")
    boolean lenient;

    /** Opens {@code dump} as asked. */
    Heap open(Path dump) {
        return Heap.open(dump, HeapOptions.defaults().lenient(lenient));
    }

    /** Prints the reader's warnings on stderr, then flushes stdout. */
    void finish(Heap heap, CommandSpec spec) {
        for (String w : heap.warnings()) {
            spec.commandLine().getErr().println("warning: " + w);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.flush();
    }
}

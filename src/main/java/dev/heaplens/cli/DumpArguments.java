package dev.heaplens.cli;

import dev.heaplens.Heap;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** What every analysing command takes: {@code [--format text|json] [--lenient] DUMP}, as a picocli mixin. */
final class DumpArguments extends ReadOptions {
    @Parameters(paramLabel = "DUMP", description = "An HPROF heap dump, plain or gzip-compressed.")
    Path dump;

    /** Opens the dump as asked. */
    Heap open() {
        return open(dump);
    }
}

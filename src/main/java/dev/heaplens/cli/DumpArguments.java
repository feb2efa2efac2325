package dev.heaplens.cli;

import dev.heaplens.Heap;

import java.nio.file.Path;

/** What every analysing command takes: {@code [--format text|json] [--lenient] DUMP}. */
final class DumpArguments extends ReadOptions {
    Path dump;

    /** Adds {@code --format}, {@code --lenient} and the dump. */
    @Override
    void declare(Options o) {
        super.declare(o);
        o.positional("DUMP", 1, 1, "An HPROF heap dump, plain or gzip-compressed.", v -> dump = Options.toPath(v));
    }

    /** Opens the dump as asked. */
    Heap open() {
        return open(dump);
    }
}

package dev.heaplens.cli;

import picocli.CommandLine.Option;

/** How an analysing command reads and prints: {@code [--format text|json] [--lenient]}, as a picocli mixin. */
class ReadOptions extends ReadMode {
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    /** Whether JSON was asked for. */
    boolean json() {
        return format == OutputFormat.json;
    }
}

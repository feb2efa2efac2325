package dev.heaplens.cli;

import picocli.CommandLine.Option;

/** What the commands that talk to a running JVM take: {@code --pid PID [--format text|json]}, as a picocli mixin. */
final class TargetArguments {
    @Option(names = "--pid", required = true, paramLabel = "PID", description = "The running JVM ('jcmd -l' lists them).")
    long pid;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    /** Whether JSON was asked for. */
    boolean json() {
        return format == OutputFormat.json;
    }
}

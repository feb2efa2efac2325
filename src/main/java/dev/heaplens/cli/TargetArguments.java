package dev.heaplens.cli;

import picocli.CommandLine.Option;

/** What the commands that talk to a running JVM take: {@code --pid PID [--jmx] [--format text|json]}, as a picocli mixin. */
final class TargetArguments {
    @Option(names = "--pid", required = true, paramLabel = "PID", description = "The running JVM ('jcmd -l' lists them).")
    long pid;

    @Option(names = "--jmx", description = "Go through the JVM's local JMX agent instead of its attach listener: adds the"
            + " NIO buffer pools, but starts the agent in that JVM, where it stays running (its threads, classes and objects"
            + " change what later dumps hold).")
    boolean jmx;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    /** Whether JSON was asked for. */
    boolean json() {
        return format == OutputFormat.json;
    }
}

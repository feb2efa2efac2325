package dev.heaplens.cli;

/** What the commands that talk to a running JVM take: {@code --pid PID [--jmx] [--format text|json]}. */
final class TargetArguments {
    long pid;
    boolean jmx;
    OutputFormat format = OutputFormat.text;

    /** Adds {@code --pid}, {@code --jmx} and {@code --format}. */
    void declare(Options o) {
        o.required("--pid", "PID", "The running JVM ('jcmd -l' lists them).", v -> pid = Options.toLong(v))
                .flag("--jmx", "Go through the JVM's local JMX agent instead of its attach listener: adds the NIO buffer pools, but"
                        + " starts the agent in that JVM, where it stays running (its threads, classes and objects change what later"
                        + " dumps hold).", () -> jmx = true)
                .value("--format", "FORMAT", "text or json (default: text).", v -> format = Options.toEnum(OutputFormat.class, v));
    }

    /** Whether JSON was asked for. */
    boolean json() {
        return format == OutputFormat.json;
    }
}

package dev.heaplens.cli;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * One command of the command line: it declares its options and parameters, bound to its fields,
 * then runs with them set.
 *
 * <pre>{@code
 * final class DemoCommand implements CliCommand {
 *     int sessions = 20_000;
 *     public Options declare() {
 *         return new Options("demo", "Run a leaky workload and analyse it.")
 *                 .value("--sessions", "N", "Sessions to leak (default: 20000).", v -> sessions = Options.toInt(v));
 *     }
 *     public int call(Console console) { ... }
 * }
 * }</pre>
 */
interface CliCommand {
    /** The command's name, description, options and parameters, each bound to a field. */
    Options declare();

    /** Runs the command with its fields set; a {@link UsageException} is a mistake in the arguments. */
    int call(Console console) throws IOException;

    /** Where a command prints: its result on {@code out}, warnings and notes on {@code err}. */
    record Console(PrintWriter out, PrintWriter err) {
    }
}

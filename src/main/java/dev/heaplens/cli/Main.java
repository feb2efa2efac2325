package dev.heaplens.cli;

import dev.heaplens.alloc.JfrFormatException;
import dev.heaplens.capture.CaptureException;
import dev.heaplens.hprof.HprofFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * {@code java -jar heaplens-cli.jar <command>}: a thin shell over the API. It parses arguments,
 * calls {@link dev.heaplens.Heap}, and prints. Bad input or arguments give one clear line on
 * stderr and a non-zero exit: 1 for a bad dump, a failed capture or an I/O failure, 2 for wrong usage.
 */
@Command(name = "heaplens", mixinStandardHelpOptions = true, version = "heaplens 0.1.0",
        description = "Heap dump analysis: what is on the heap, what holds it there.",
        subcommands = {HistogramCommand.class, DominatorsCommand.class, PathCommand.class, SuspectsCommand.class, WasteCommand.class,
                AnalyzeCommand.class, CaptureCommand.class, MemoryCommand.class, DiffCommand.class, GrowthCommand.class,
                AllocCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    /** Exit code for a dump that cannot be read or a JVM that cannot be captured. */
    static final int BAD_INPUT = 1;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line, printing to {@code out} and {@code err}; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof HprofFormatException || e instanceof JfrFormatException || e instanceof CaptureException || e instanceof UncheckedIOException
                    || e instanceof IllegalArgumentException) {
                err.println("heaplens: " + e.getMessage());
                return BAD_INPUT;
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("heaplens: " + e.getMessage());
            err.println("Try 'heaplens " + (e.getCommandLine().getCommandName().equals("heaplens") ? "" : e.getCommandLine().getCommandName() + " ") + "--help'.");
            return CommandLine.ExitCode.USAGE;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // the analysis is unwound by now and its arrays unreachable: there is room to say so in one line
            err.println(outOfMemory(Runtime.getRuntime().maxMemory()));
            return BAD_INPUT;
        }
    }

    /** What to do when the Java heap is too small for the dump: one line, with the heap it had. */
    static String outOfMemory(long maxHeapBytes) {
        long mb = maxHeapBytes >> 20;
        long next = Math.max(1, Math.min(64, Math.max(2 * mb, 1024) >> 10));
        return "heaplens: out of memory: the Java heap's limit, " + mb + " MB, is too small for this dump (heaplens needs about "
                + "100 bytes per object; a 20-million-object dump needs about 2 GB); run it with a larger one, e.g. java -Xmx"
                + next + "g -jar heaplens-cli.jar ...";
    }
}

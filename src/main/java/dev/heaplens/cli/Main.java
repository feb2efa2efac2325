package dev.heaplens.cli;

import dev.heaplens.alloc.JfrFormatException;
import dev.heaplens.capture.CaptureException;
import dev.heaplens.hprof.HprofFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code java -jar heaplens-cli.jar <command>}: a thin shell over the API. It parses arguments,
 * calls {@link dev.heaplens.Heap}, and prints. Bad input or arguments give one clear line on
 * stderr and a non-zero exit: 1 for a bad dump, a failed capture or an I/O failure, 2 for wrong usage.
 */
@Command(name = "heaplens", mixinStandardHelpOptions = true, version = "heaplens 0.1.0",
        description = "Heap dump analysis: what is on the heap, what holds it there.")
public final class Main {
    /**
     * The commands, in the order the usage lists them. picocli builds a command's model from its
     * annotations by reflection, about 25 ms each on a cold JVM: a run names its command first, so
     * only that one is built; the usage, {@code help} and a mistyped name get them all.
     */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> c = new LinkedHashMap<>();
        c.put("histogram", HistogramCommand::new);
        c.put("dominators", DominatorsCommand::new);
        c.put("path", PathCommand::new);
        c.put("suspects", SuspectsCommand::new);
        c.put("waste", WasteCommand::new);
        c.put("analyze", AnalyzeCommand::new);
        c.put("capture", CaptureCommand::new);
        c.put("memory", MemoryCommand::new);
        c.put("diff", DiffCommand::new);
        c.put("growth", GrowthCommand::new);
        c.put("alloc", AllocCommand::new);
        c.put("demo", DemoCommand::new);
        c.put("help", CommandLine.HelpCommand::new);
        return c;
    }

    /** Exit code for a dump that cannot be read or a JVM that cannot be captured. */
    static final int BAD_INPUT = 1;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line, printing to {@code out} and {@code err}; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        String named = args.length > 0 ? args[0] : "";
        if (COMMANDS.containsKey(named) && !named.equals("help")) {
            cli.addSubcommand(named, COMMANDS.get(named).get());
        } else {
            COMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
        }
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

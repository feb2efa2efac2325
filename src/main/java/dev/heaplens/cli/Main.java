package dev.heaplens.cli;

import dev.heaplens.alloc.JfrFormatException;
import dev.heaplens.capture.CaptureException;
import dev.heaplens.hprof.HprofFormatException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar heaplens-cli.jar <command>}: a thin shell over the API. It parses arguments,
 * calls {@link dev.heaplens.Heap}, and prints. Bad input or arguments give one clear line on
 * stderr and a non-zero exit: 1 for a bad dump, a failed capture or an I/O failure, 2 for wrong usage.
 */
public final class Main {
    private static final String VERSION = "heaplens 0.1.0";
    private static final String DESCRIPTION = "Heap dump analysis: what is on the heap, what holds it there.";
    /** The commands, in the order the usage lists them. */
    private static final List<String> COMMANDS = List.of("histogram", "dominators", "path", "suspects", "waste", "analyze", "capture",
            "memory", "diff", "growth", "alloc", "demo");
    private static final String HELP_COMMAND = "Display help information about the specified command.";

    /** Exit code for a dump that cannot be read or a JVM that cannot be captured. */
    static final int BAD_INPUT = 1;
    /** Exit code for a mistake in the arguments. */
    static final int USAGE = 2;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** The command named {@code name}, or null; only the one a run names is made (and its classes loaded). */
    private static CliCommand command(String name) {
        return switch (name) {
            case "histogram" -> new HistogramCommand();
            case "dominators" -> new DominatorsCommand();
            case "path" -> new PathCommand();
            case "suspects" -> new SuspectsCommand();
            case "waste" -> new WasteCommand();
            case "analyze" -> new AnalyzeCommand();
            case "capture" -> new CaptureCommand();
            case "memory" -> new MemoryCommand();
            case "diff" -> new DiffCommand();
            case "growth" -> new GrowthCommand();
            case "alloc" -> new AllocCommand();
            case "demo" -> new DemoCommand();
            default -> null;
        };
    }

    /** Runs the command line, printing to {@code out} and {@code err}; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        try {
            return dispatch(args, new CliCommand.Console(out, err));
        } catch (UsageException e) {
            err.println("heaplens: " + e.getMessage());
            err.println(e.tryHelp());
            return USAGE;
        } catch (HprofFormatException | JfrFormatException | CaptureException | UncheckedIOException | IOException
                 | IllegalArgumentException e) {
            err.println("heaplens: " + e.getMessage());
            return BAD_INPUT;
        } catch (OutOfMemoryError e) {
            // the analysis is unwound by now and its arrays unreachable: there is room to say so in one line
            err.println(outOfMemory(Runtime.getRuntime().maxMemory()));
            return BAD_INPUT;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int dispatch(String[] args, CliCommand.Console console) throws IOException {
        if (args.length == 0) {
            throw new UsageException(null, "Missing required subcommand");
        }
        String first = args[0];
        switch (first) {
            case "-h", "--help" -> {
                console.out().print(usage());
                return 0;
            }
            case "-V", "--version" -> {
                console.out().println(VERSION);
                return 0;
            }
            case "help" -> {
                if (args.length == 1) {
                    console.out().print(usage());
                    return 0;
                }
                CliCommand named = command(args[1]);
                if (named == null || args.length > 2) {
                    throw new UsageException(null, "Unknown subcommand '" + String.join(" ", Arrays.asList(args).subList(1, args.length)) + "'");
                }
                console.out().print(Help.of(named.declare()));
                return 0;
            }
            default -> {
            }
        }
        if (first.startsWith("-")) {
            throw new UsageException(null, "Unknown option: '" + first + "'");
        }
        CliCommand command = command(first);
        if (command == null) {
            throw new UsageException(null, "Unmatched argument at index 0: '" + first + "'");
        }
        Options options = command.declare();
        switch (options.parse(Arrays.copyOfRange(args, 1, args.length))) {
            case HELP -> {
                console.out().print(Help.of(options));
                return 0;
            }
            case VERSION -> {
                console.out().println(VERSION);
                return 0;
            }
            default -> {
                return command.call(console);
            }
        }
    }

    /** The usage of the command line: every command, what it does. */
    private static String usage() {
        Map<String, String> commands = new LinkedHashMap<>();
        for (String name : COMMANDS) {
            commands.put(name, command(name).declare().description());
        }
        commands.put("help", HELP_COMMAND);
        return Help.ofMain(DESCRIPTION, commands);
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

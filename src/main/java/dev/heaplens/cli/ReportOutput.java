package dev.heaplens.cli;

import dev.heaplens.text.TextTable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * How a command that makes a report prints it: {@code [--format text|json|html] [-o FILE]}, as a
 * picocli mixin. Without {@code -o} the report goes to stdout; with it, to the file, whole or not at
 * all, and never over one of the command's inputs.
 */
class ReportOutput {
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json, or html: one self-contained page that opens offline (default: ${DEFAULT-VALUE}).")
    ReportFormat format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of printing it.")
    Path output;

    /** Whether JSON was asked for. */
    boolean json() {
        return format == ReportFormat.json;
    }

    /** Whether an HTML page was asked for. */
    boolean html() {
        return format == ReportFormat.html;
    }

    /** Where notes that are not the report go: stdout for a text report or one written to a file, else stderr. */
    PrintWriter notes(CommandSpec spec) {
        return format == ReportFormat.text || output != null ? spec.commandLine().getOut() : spec.commandLine().getErr();
    }

    /** Rejects an {@code -o} that names one of the inputs, as a usage error. */
    void checkNotOver(CommandSpec spec, Iterable<Path> inputs) {
        if (output == null) {
            return;
        }
        for (Path input : inputs) {
            if (input != null && ReportFile.sameFile(output, input)) {
                throw new ParameterException(spec.commandLine(), "-o " + output + " is one of the inputs: heaplens never writes to what it reads");
            }
        }
    }

    /** Renders the report in the format asked for and prints it, or writes it to {@code -o} and says so. */
    void emit(CommandSpec spec, String what, Supplier<String> text, Supplier<String> json, Supplier<String> html) {
        String rendered = switch (format) {
            case text -> text.get();
            case json -> json.get() + "\n";
            case html -> html.get();
        };
        PrintWriter out = spec.commandLine().getOut();
        if (output == null) {
            out.print(rendered);
        } else {
            long bytes = ReportFile.write(output, rendered);
            out.printf("Wrote the %s report of %s to %s (%s)%n", format, what, output, TextTable.humanBytes(bytes));
        }
        out.flush();
    }
}

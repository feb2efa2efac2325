package dev.heaplens.cli;

import dev.heaplens.text.TextTable;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * How a command that makes a report prints it: {@code [--format text|json|html] [-o FILE]}.
 * Without {@code -o} the report goes to stdout; with it, to the file, whole or not at all, and
 * never over one of the command's inputs.
 */
class ReportOutput {
    ReportFormat format = ReportFormat.text;
    Path output;

    /** Adds {@code --format} and {@code -o}. */
    void declare(Options o) {
        o.value("--format", "FORMAT", "text, json, or html: one self-contained page that opens offline (default: text).",
                        v -> format = Options.toEnum(ReportFormat.class, v))
                .value(List.of("-o", "--output"), "FILE", "Write the report to FILE instead of printing it.", false,
                        v -> output = Options.toPath(v));
    }

    /** Whether JSON was asked for. */
    boolean json() {
        return format == ReportFormat.json;
    }

    /** Whether an HTML page was asked for. */
    boolean html() {
        return format == ReportFormat.html;
    }

    /** Where notes that are not the report go: stdout for a text report or one written to a file, else stderr. */
    PrintWriter notes(CliCommand.Console console) {
        return format == ReportFormat.text || output != null ? console.out() : console.err();
    }

    /** Rejects an {@code -o} that names one of the inputs, as a usage error. */
    void checkNotOver(String command, Iterable<Path> inputs) {
        if (output == null) {
            return;
        }
        for (Path input : inputs) {
            if (input != null && ReportFile.sameFile(output, input)) {
                throw new UsageException(command, "-o " + output + " is one of the inputs: heaplens never writes to what it reads");
            }
        }
    }

    /** Renders the report in the format asked for and prints it, or writes it to {@code -o} and says so. */
    void emit(CliCommand.Console console, String what, Supplier<String> text, Supplier<String> json, Supplier<String> html) {
        String rendered = switch (format) {
            case text -> text.get();
            case json -> json.get() + "\n";
            case html -> html.get();
        };
        PrintWriter out = console.out();
        if (output == null) {
            out.print(rendered);
        } else {
            long bytes = ReportFile.write(output, rendered);
            out.printf("Wrote the %s report of %s to %s (%s)%n", format, what, output, TextTable.humanBytes(bytes));
        }
        out.flush();
    }
}

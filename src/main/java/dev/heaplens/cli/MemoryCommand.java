package dev.heaplens.cli;

import dev.heaplens.capture.ProcessMemory;
import dev.heaplens.report.ProcessMemoryJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code heaplens memory --pid PID [--format text|json]}: a JVM's memory beside its heap. */
@Command(name = "memory", mixinStandardHelpOptions = true,
        description = "Print a running JVM's memory: heap and non-heap pools, direct and mapped buffers, native memory "
                + "by category (with -XX:NativeMemoryTracking=summary) and the resident set.")
final class MemoryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--pid", required = true, paramLabel = "PID", description = "The JVM to read ('jcmd -l' lists them).")
    long pid;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        ProcessMemory memory = ProcessMemory.of(pid);
        PrintWriter out = spec.commandLine().getOut();
        out.print(format == OutputFormat.json ? ProcessMemoryJson.render(memory) + "\n" : memory.toString());
        out.flush();
        return 0;
    }
}

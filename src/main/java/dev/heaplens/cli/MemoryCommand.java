package dev.heaplens.cli;

import dev.heaplens.capture.JvmConnection;
import dev.heaplens.capture.ProcessMemory;
import dev.heaplens.report.ProcessMemoryJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code heaplens memory --pid PID [--jmx] [--format text|json]}: a JVM's memory beside its heap. */
@Command(name = "memory", mixinStandardHelpOptions = true,
        description = "Print a running JVM's memory, as jcmd reads it: heap, Metaspace and code heaps, native memory "
                + "by category (with -XX:NativeMemoryTracking=summary) and the resident set; direct and mapped buffers "
                + "with --jmx.")
final class MemoryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetArguments target;

    @Override
    public Integer call() {
        ProcessMemory memory;
        try (JvmConnection jvm = target.jmx ? JvmConnection.attachViaJmx(target.pid) : JvmConnection.attach(target.pid)) {
            memory = jvm.memory();
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(target.json() ? ProcessMemoryJson.render(memory) + "\n" : memory.toString());
        out.flush();
        return 0;
    }
}

package dev.heaplens.cli;

import dev.heaplens.capture.JvmConnection;
import dev.heaplens.capture.ProcessMemory;
import dev.heaplens.report.ProcessMemoryJson;

import java.io.PrintWriter;

/** {@code heaplens memory --pid PID [--jmx] [--format text|json]}: a JVM's memory beside its heap. */
final class MemoryCommand implements CliCommand {
    private static final String NAME = "memory";

    final TargetArguments target = new TargetArguments();

    @Override
    public Options declare() {
        Options o = new Options(NAME, "Print a running JVM's memory, as jcmd reads it: heap, Metaspace and code heaps, native memory "
                + "by category (with -XX:NativeMemoryTracking=summary) and the resident set; direct and mapped buffers "
                + "with --jmx.");
        target.declare(o);
        return o;
    }

    @Override
    public int call(Console console) {
        ProcessMemory memory;
        try (JvmConnection jvm = target.jmx ? JvmConnection.attachViaJmx(target.pid) : JvmConnection.attach(target.pid)) {
            memory = jvm.memory();
        }
        PrintWriter out = console.out();
        out.print(target.json() ? ProcessMemoryJson.render(memory) + "\n" : memory.toString());
        out.flush();
        return 0;
    }
}

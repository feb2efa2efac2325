package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.Snapshot;
import dev.heaplens.capture.CaptureOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code heaplens capture --pid PID [--all] [--gz] [--jmx] [--format text|json] OUT}: dump a running JVM, with
 * its VM options and memory in {@code OUT.json}. With {@code --format json} it prints that sidecar.
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = "Dump the heap of a running JVM by pid, as jcmd GC.heap_dump does (nothing is started or left in "
                + "it), with its VM options and memory (pools, native memory, RSS) in a sidecar OUT.json that later "
                + "analyses use.")
final class CaptureCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetArguments target;

    @Option(names = "--all", description = "Dump unreachable objects too (default: live objects only, after a full GC).")
    boolean all;

    @Option(names = "--gz", description = "Compress the dump with gzip.")
    boolean gzip;

    @Parameters(paramLabel = "OUT", description = "The dump file to write (it must not exist), or a directory to write a fresh file in.")
    Path out;

    @Override
    public Integer call() throws IOException {
        CaptureOptions options = CaptureOptions.defaults().liveOnly(!all).gzip(gzip);
        options = target.jmx ? options.viaJmx() : options;
        options = Files.isDirectory(out) ? options.in(out) : options.to(out);
        Snapshot snapshot = Heap.capture(target.pid, options);
        PrintWriter o = spec.commandLine().getOut();
        if (target.json()) { // the sidecar document
            o.println(Files.readString(snapshot.sidecar(), StandardCharsets.UTF_8).strip());
        } else {
            o.printf("Captured process %d (%s %s) to %s (%,d bytes); metadata in %s%n%n", target.pid, snapshot.jvm().vmName(),
                    snapshot.jvm().javaVersion(), snapshot.dump(), Files.size(snapshot.dump()), snapshot.sidecar().getFileName());
            o.print(snapshot);
        }
        o.flush();
        return 0;
    }
}

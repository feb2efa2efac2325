package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.Snapshot;
import dev.heaplens.capture.CaptureOptions;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code heaplens capture --pid PID [--all] [--gz] [--jmx] [--format text|json] OUT}: dump a running JVM, with
 * its VM options and memory in {@code OUT.json}. With {@code --format json} it prints that sidecar.
 */
final class CaptureCommand implements CliCommand {
    private static final String NAME = "capture";

    final TargetArguments target = new TargetArguments();
    boolean all;
    boolean gzip;
    Path out;

    @Override
    public Options declare() {
        Options o = new Options(NAME, "Dump the heap of a running JVM by pid, as jcmd GC.heap_dump does (nothing is started or left in "
                + "it), with its VM options and memory (pools, native memory, RSS) in a sidecar OUT.json that later "
                + "analyses use.");
        target.declare(o);
        return o.flag("--all", "Dump unreachable objects too (default: live objects only, after a full GC).", () -> all = true)
                .flag("--gz", "Compress the dump with gzip.", () -> gzip = true)
                .positional("OUT", 1, 1, "The dump file to write (it must not exist), or a directory to write a fresh file in.",
                        v -> out = Options.toPath(v));
    }

    @Override
    public int call(Console console) throws IOException {
        CaptureOptions options = CaptureOptions.defaults().liveOnly(!all).gzip(gzip);
        options = target.jmx ? options.viaJmx() : options;
        options = Files.isDirectory(out) ? options.in(out) : options.to(out);
        Snapshot snapshot = Heap.capture(target.pid, options);
        PrintWriter o = console.out();
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

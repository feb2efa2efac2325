package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.Snapshot;
import dev.heaplens.analysis.Histogram;
import dev.heaplens.analysis.HistogramRow;
import dev.heaplens.graph.HeapObject;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code heaplens demo}: leak on purpose, capture this JVM ({@link Heap#capture()}), and show what heaplens finds: the histogram
 * with retained sizes, the leak suspects, and the path from a GC root to one leaked session.
 */
final class DemoCommand implements CliCommand {
    private static final String NAME = "demo";

    int sessions = 20000;
    boolean keep;

    @Override
    public Options declare() {
        return new Options(NAME, "Run a small built-in leaky workload, dump this JVM's heap, analyse it and print the result.")
                .value("--sessions", "N", "Sessions to leak (default: 20000).", v -> sessions = Options.toInt(v))
                .flag("--keep", "Keep the dump file instead of deleting it.", () -> keep = true);
    }

    @Override
    public int call(Console console) throws IOException {
        if (sessions < 1) {
            throw new UsageException(NAME, "--sessions must be at least 1, not " + sessions);
        }
        PrintWriter out = console.out();
        DemoWorkload.leak(sessions);
        Snapshot snapshot = Heap.capture();
        Path dump = snapshot.dump();
        out.printf("Leaked %,d sessions into a static registry; dumped this JVM to %s (%,d bytes).%n%n",
                sessions, dump, Files.size(dump));
        try (Heap heap = snapshot.open()) { // the sidecar holds this JVM's flags: exact sizes
            out.println(heap);
            out.println();
            Histogram h = heap.histogramWithRetained();
            out.println("Top classes by shallow size:");
            out.print(h.top(12));
            out.println();
            HistogramRow leaked = h.row(DemoWorkload.Session.class.getName());
            out.printf("%s: %,d instances, %,d bytes shallow, %,d retained (expected %,d instances: the leak).%n%n",
                    leaked.className(), leaked.count(), leaked.shallowBytes(), leaked.retainedBytes(), sessions);
            out.println("Leak suspects:");
            out.println(heap.suspects());
            HeapObject session = heap.objectAt(heap.instanceIndices(DemoWorkload.Session.class.getName()).first());
            out.println("Path from a GC root to one leaked session:");
            out.print(heap.pathFromRoot(session));
        } finally {
            if (!keep) {
                AnalyzeCommand.delete(snapshot);
            } else {
                out.println("Dump kept at " + dump + " (metadata in " + snapshot.sidecar().getFileName() + ")");
            }
        }
        out.flush();
        return 0;
    }
}

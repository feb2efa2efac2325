package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.analysis.GcRootPath;
import dev.heaplens.analysis.MergedPaths;
import dev.heaplens.analysis.ShortestPaths;
import dev.heaplens.report.JsonWriter;
import dev.heaplens.report.PathJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code heaplens path --to ID|CLASS [--format text|json] [--lenient] DUMP}: the shortest path from a
 * GC root to one object (an id in hex {@code 0x…} or decimal), or the merged paths of every instance
 * of a class.
 */
@Command(name = "path", mixinStandardHelpOptions = true,
        description = "Print the shortest path from a GC root to an object, or the merged paths to every instance of a class.")
final class PathCommand implements Callable<Integer> {
    private static final Pattern HEX = Pattern.compile("0[xX][0-9a-fA-F]{1,16}");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,20}");

    @Spec
    CommandSpec spec;

    @Mixin
    DumpArguments dump;

    @Option(names = "--to", required = true, paramLabel = "ID|CLASS",
            description = "An object id, hex (0x7f0011a8) or decimal, or a class name (com.acme.Session, byte[]) for the merged paths of its instances.")
    String to;

    @Override
    public Integer call() {
        try (Heap heap = dump.open()) {
            var out = spec.commandLine().getOut();
            Long id = parseId(to);
            if (id == null) {
                MergedPaths merged = heap.mergedPaths(to);
                out.print(dump.json() ? PathJson.render(merged) + "\n" : merged.toString());
            } else {
                int index = heap.object(id).index();
                ShortestPaths paths = heap.shortestPaths();
                Optional<GcRootPath> path = paths.pathTo(index, heap.dominators());
                if (dump.json()) {
                    JsonWriter w = new JsonWriter().beginObject()
                            .name("id").value("0x" + Long.toHexString(id))
                            .name("reachability").value(paths.reachability(index).name())
                            .name("path");
                    PathJson.write(w, path.orElse(null));
                    out.println(w.endObject());
                } else {
                    out.print(paths.explain(index, heap.dominators()));
                }
            }
            dump.finish(heap, spec);
        }
        return 0;
    }

    /** The id {@code text} names, or null if it is a class name. */
    private static Long parseId(String text) {
        if (HEX.matcher(text).matches()) {
            return Long.parseUnsignedLong(text.substring(2), 16);
        }
        if (DECIMAL.matcher(text).matches()) {
            try {
                return Long.parseUnsignedLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("object id out of range: " + text);
            }
        }
        return null;
    }
}

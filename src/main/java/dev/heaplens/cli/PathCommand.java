package dev.heaplens.cli;

import dev.heaplens.Heap;
import dev.heaplens.analysis.GcRootPath;
import dev.heaplens.analysis.MergedPaths;
import dev.heaplens.analysis.ShortestPaths;
import dev.heaplens.report.JsonWriter;
import dev.heaplens.report.PathJson;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code heaplens path --to ID|CLASS [--format text|json] [--lenient] DUMP}: the shortest path from a
 * GC root to one object (an id in hex {@code 0x…} or decimal), or the merged paths of every instance
 * of a class.
 */
final class PathCommand implements CliCommand {
    private static final String NAME = "path";

    private static final Pattern HEX = Pattern.compile("0[xX][0-9a-fA-F]{1,16}");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,20}");

    final DumpArguments dump = new DumpArguments();
    String to;

    @Override
    public Options declare() {
        Options o = new Options(NAME, "Print the shortest path from a GC root to an object, or the merged paths to every instance of a class.");
        dump.declare(o);
        return o.required("--to", "ID|CLASS", "An object id, hex (0x7f0011a8) or decimal, or a class name (com.acme.Session, byte[])"
                + " for the merged paths of its instances.", v -> to = v);
    }

    @Override
    public int call(Console console) {
        try (Heap heap = dump.open()) {
            var out = console.out();
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
            dump.finish(heap, console);
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

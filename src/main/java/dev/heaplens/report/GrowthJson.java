package dev.heaplens.report;

import dev.heaplens.diff.ClassGrowth;
import dev.heaplens.diff.HeapGrowth;
import dev.heaplens.diff.PathGrowth;

import java.nio.file.Path;
import java.util.List;

/**
 * Renders a {@link HeapGrowth} as one JSON object: {@code {"dumps": [...], "paths": [...],
 * "classes": [...]}}. A path is {@code {"path", "steps", "counts", "countDeltas", "retained",
 * "retainedDeltas"}} (steps as in {@link DiffJson}; the lists in series order, deltas one shorter);
 * a class is {@code {"class", "loader", "counts", "countDeltas", "shallow", "shallowDeltas"}}.
 *
 * <pre>{@code
 * String json = GrowthJson.render(HeapGrowth.inDirectory(Path.of("snapshots")));
 * }</pre>
 */
public final class GrowthJson {
    private GrowthJson() {
    }

    /** The whole growth report. */
    public static String render(HeapGrowth growth) {
        JsonWriter w = new JsonWriter().beginObject().name("dumps").beginArray();
        for (Path p : growth.sources()) {
            w.value(p == null ? null : p.toString());
        }
        w.endArray().name("paths").beginArray();
        for (PathGrowth g : growth.paths()) {
            w.beginObject().name("path").value(g.path().toString()).name("steps");
            DiffJson.steps(w, g.path());
            series(w, "counts", g.counts(), g.countDeltas());
            series(w, "retained", g.retained(), g.retainedDeltas());
            w.endObject();
        }
        w.endArray().name("classes").beginArray();
        for (ClassGrowth g : growth.classes()) {
            w.beginObject().name("class").value(g.key().className()).name("loader").value(g.key().loader());
            series(w, "counts", g.counts(), g.countDeltas());
            series(w, "shallow", g.shallow(), g.shallowDeltas());
            w.endObject();
        }
        return w.endArray().endObject().toString();
    }

    /** {@code "name": [values], "nameDeltas"}; {@code "counts"} gives {@code "countDeltas"}. */
    private static void series(JsonWriter w, String name, List<Long> values, List<Long> deltas) {
        numbers(w.name(name), values);
        numbers(w.name((name.endsWith("s") ? name.substring(0, name.length() - 1) : name) + "Deltas"), deltas);
    }

    private static void numbers(JsonWriter w, List<Long> values) {
        w.beginArray();
        for (long v : values) {
            w.value(v);
        }
        w.endArray();
    }
}

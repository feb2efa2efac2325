package dev.heaplens.report;

import dev.heaplens.diff.ClassDelta;
import dev.heaplens.diff.ClassKey;
import dev.heaplens.diff.HeapDiff;
import dev.heaplens.diff.HeapSummary;
import dev.heaplens.diff.HistogramDiff;
import dev.heaplens.diff.PathDelta;
import dev.heaplens.capture.ProcessMemoryDiff;
import dev.heaplens.diff.RetentionPath;

import java.util.List;

/**
 * Renders a {@link HeapDiff} as one JSON object:
 * {@code {"before": {"dump", "objects", "reachableBytes"}, "after": {…}, "grownPaths": [...],
 * "shrunkPaths": [...], "changedPaths", "classes": [...], "changedClasses", "unchangedClasses",
 * "processMemory"}}.
 *
 * <p>A path is {@code {"path", "steps", "countBefore", "countAfter", "deltaCount", "shallowBefore",
 * "shallowAfter", "retainedBefore", "retainedAfter", "deltaRetained"}}, {@code path} as printed and
 * {@code steps} each {@code {"via", "name", "class", "loader"}} ({@code via} one of
 * {@link RetentionPath.Via}, {@code loader} as {@link ClassKey#loader()}). A class is
 * {@code {"class", "loader", "status", "countBefore", "countAfter", "deltaCount", "shallowBefore",
 * "shallowAfter", "deltaShallow", "retainedBefore", "retainedAfter", "deltaRetained"}} with
 * {@code status} {@code new}, {@code vanished} or {@code changed}. {@code processMemory} is
 * {@code null} unless both dumps are snapshots heaplens captured: then an array of {@code {"item",
 * "unit", "before", "after", "delta"}} ({@code unit} {@code bytes} or {@code count}; -1 where a side
 * lacks the item).
 *
 * <pre>{@code
 * String json = DiffJson.render(HeapDiff.of(before, after), 20);
 * }</pre>
 */
public final class DiffJson {
    private DiffJson() {
    }

    /** The diff with at most {@code top} grown paths, shrunk paths and classes each (in their orders). */
    public static String render(HeapDiff diff, int top) {
        JsonWriter w = new JsonWriter().beginObject();
        w.name("before");
        summary(w, diff.before());
        w.name("after");
        summary(w, diff.after());
        w.name("grownPaths");
        paths(w, diff.paths().grown(), top);
        w.name("shrunkPaths");
        paths(w, diff.paths().shrunk(), top);
        w.name("changedPaths").value(diff.paths().changedCount());
        HistogramDiff classes = diff.classes();
        w.name("classes").beginArray();
        for (ClassDelta d : classes.top(top).rows()) {
            w.beginObject()
                    .name("class").value(d.className())
                    .name("loader").value(d.key().loader())
                    .name("status").value(d.isNew() ? "new" : d.isVanished() ? "vanished" : "changed")
                    .name("countBefore").value(d.countBefore())
                    .name("countAfter").value(d.countAfter())
                    .name("deltaCount").value(d.deltaCount())
                    .name("shallowBefore").value(d.shallowBefore())
                    .name("shallowAfter").value(d.shallowAfter())
                    .name("deltaShallow").value(d.deltaShallow())
                    .name("retainedBefore").value(d.retainedBefore())
                    .name("retainedAfter").value(d.retainedAfter())
                    .name("deltaRetained").value(d.deltaRetained())
                    .endObject();
        }
        w.endArray();
        w.name("changedClasses").value(classes.rows().size());
        w.name("unchangedClasses").value(classes.unchangedCount());
        w.name("processMemory");
        if (diff.processMemory().isEmpty()) {
            w.value((String) null);
        } else {
            w.beginArray();
            for (ProcessMemoryDiff.Change c : diff.processMemory().get().changes()) {
                w.beginObject().name("item").value(c.item()).name("unit").value(c.unit())
                        .name("before").value(c.before()).name("after").value(c.after()).name("delta").value(c.delta()).endObject();
            }
            w.endArray();
        }
        return w.endObject().toString();
    }

    private static void summary(JsonWriter w, HeapSummary s) {
        w.beginObject()
                .name("dump").value(s.source() == null ? null : s.source().toString())
                .name("objects").value(s.objectCount())
                .name("reachableBytes").value(s.reachableBytes())
                .endObject();
    }

    private static void paths(JsonWriter w, List<PathDelta> rows, int top) {
        w.beginArray();
        for (PathDelta d : rows.subList(0, Math.min(top, rows.size()))) {
            w.beginObject().name("path").value(d.path().toString()).name("steps");
            steps(w, d.path());
            w.name("countBefore").value(d.countBefore())
                    .name("countAfter").value(d.countAfter())
                    .name("deltaCount").value(d.deltaCount())
                    .name("shallowBefore").value(d.shallowBefore())
                    .name("shallowAfter").value(d.shallowAfter())
                    .name("retainedBefore").value(d.retainedBefore())
                    .name("retainedAfter").value(d.retainedAfter())
                    .name("deltaRetained").value(d.deltaRetained())
                    .endObject();
        }
        w.endArray();
    }

    /** Writes a path's steps as a JSON array of {@code {"via", "name", "class", "loader"}}. */
    static void steps(JsonWriter w, RetentionPath path) {
        w.beginArray();
        for (RetentionPath.Step s : path.steps()) {
            w.beginObject()
                    .name("via").value(s.via().name())
                    .name("name").value(s.name())
                    .name("class").value(s.target().className())
                    .name("loader").value(s.target().loader())
                    .endObject();
        }
        w.endArray();
    }
}

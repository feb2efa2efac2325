package dev.heaplens.report;

import dev.heaplens.analysis.LeakSuspect;
import dev.heaplens.analysis.LeakSuspects;

/**
 * Renders {@link LeakSuspects} as JSON: {@code {"thresholdPercent", "reachableBytes",
 * "largestObject", "suspects": [...]}}, each suspect {@code {"rank", "kind", "class", "classLoader",
 * "instances", "retainedBytes", "percentOfHeap", "overlapBytes", "description", "object",
 * "accumulationPoint", "accumulation", "largestInstances", "contents", "path"}}; objects as in
 * {@link DominatorJson}, the path as in {@link PathJson} ({@code null} when only referents reach it).
 *
 * <pre>{@code
 * String json = SuspectsJson.render(heap.suspects());
 * }</pre>
 */
public final class SuspectsJson {
    private SuspectsJson() {
    }

    /** The suspects as one JSON object. */
    public static String render(LeakSuspects suspects) {
        return write(new JsonWriter(), suspects).toString();
    }

    /** Writes the suspects as one JSON object value. */
    public static JsonWriter write(JsonWriter w, LeakSuspects suspects) {
        w.beginObject()
                .name("thresholdPercent").value(suspects.thresholdPercent())
                .name("reachableBytes").value(suspects.reachableBytes())
                .name("largestObject");
        DominatorJson.writeEntry(w, suspects.largestObject());
        w.name("suspects").beginArray();
        for (LeakSuspect s : suspects) {
            w.beginObject()
                    .name("rank").value(s.rank())
                    .name("kind").value(s.kind().name())
                    .name("class").value(s.className())
                    .name("classLoader").value(s.classLoader())
                    .name("instances").value(s.instanceCount())
                    .name("retainedBytes").value(s.retainedBytes())
                    .name("percentOfHeap").value(s.percentOfHeap())
                    .name("overlapBytes").value(s.overlapBytes())
                    .name("description").value(s.description())
                    .name("object");
            DominatorJson.writeEntry(w, s.object());
            w.name("accumulationPoint");
            DominatorJson.writeEntry(w, s.accumulationPoint().orElse(null));
            w.name("accumulation");
            DominatorJson.writeEntries(w, s.accumulation());
            w.name("largestInstances");
            DominatorJson.writeEntries(w, s.largestInstances());
            w.name("contents").beginArray();
            for (LeakSuspect.ClassShare c : s.contents()) {
                w.beginObject()
                        .name("class").value(c.className())
                        .name("instances").value(c.instances())
                        .name("retainedBytes").value(c.retainedBytes())
                        .name("percentOfHeap").value(c.percentOfHeap())
                        .endObject();
            }
            w.endArray().name("path");
            PathJson.write(w, s.path());
            w.endObject();
        }
        return w.endArray().endObject();
    }
}

package dev.heaplens.report;

import dev.heaplens.analysis.LeakSuspect;
import dev.heaplens.analysis.LeakSuspects;

/**
 * Renders {@link LeakSuspects} as JSON: {@code {"thresholdPercent", "reachableBytes",
 * "largestObject", "suspects": [...]}}, each suspect {@code {"rank", "kind", "class", "classLoader",
 * "instances", "retainedBytes", "percentOfHeap", "overlapBytes", "description", "object",
 * "accumulationPoint", "accumulation", "largestInstances", "contents", "holdings", "shared", "path"}};
 * objects as in {@link DominatorJson}, the path as in {@link PathJson} ({@code null} when only
 * referents reach it).
 *
 * <p>{@code holdings} names what holds an object suspect's memory, largest first:
 * {@code [{"via": "static LeakApp.CACHE", "object": {...}, "size": {"count": 500000, "noun": "entries"},
 * "accumulationPoint": {...}}]} ({@code size} {@code null} when no collection is on the way down;
 * {@code accumulationPoint} the object itself when its memory splits at once). {@code shared} is what
 * several of those references hold at once: {@code [{"via": ["static DemoWorkload.SESSIONS", "static
 * DemoWorkload.LISTENERS"], "class", "instances", "retainedBytes", "percentOfHeap"}]}. Both are empty
 * for a class suspect.
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
            w.endArray().name("holdings").beginArray();
            for (LeakSuspect.Holding h : s.holdings()) {
                w.beginObject().name("via").value(h.via()).name("object");
                DominatorJson.writeEntry(w, h.object());
                w.name("size");
                if (h.size() == null) {
                    w.value((String) null);
                } else {
                    w.beginObject().name("count").value(h.size().count()).name("noun").value(h.size().noun()).endObject();
                }
                w.name("accumulationPoint");
                DominatorJson.writeEntry(w, h.accumulationPoint());
                w.endObject();
            }
            w.endArray().name("shared").beginArray();
            for (LeakSuspect.Shared g : s.shared()) {
                w.beginObject().name("via").beginArray();
                for (String via : g.via()) {
                    w.value(via);
                }
                w.endArray().name("class").value(g.className()).name("instances").value(g.instances())
                        .name("retainedBytes").value(g.retainedBytes()).name("percentOfHeap").value(g.percentOfHeap()).endObject();
            }
            w.endArray().name("path");
            PathJson.write(w, s.path());
            w.endObject();
        }
        return w.endArray().endObject();
    }
}

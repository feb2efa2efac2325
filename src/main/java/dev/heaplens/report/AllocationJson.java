package dev.heaplens.report;

import dev.heaplens.alloc.AllocationProfile;
import dev.heaplens.alloc.AllocationSite;
import dev.heaplens.alloc.AllocationSites;
import dev.heaplens.alloc.CallTree;
import dev.heaplens.alloc.GarbageCollections;
import dev.heaplens.alloc.GcEvent;
import dev.heaplens.alloc.TypeAllocation;

import java.util.ArrayDeque;

/**
 * An {@link AllocationProfile} as JSON:
 *
 * <pre>{@code
 * {"recording": "/tmp/app.jfr", "pid": 4242, "sampled": true, "allocationEvents": 1500, "totalBytes": 1, "spanMillis": 30000,
 *  "byType": [{"class", "events", "estimatedBytes", "estimatedObjects", "percent"}],      // estimatedObjects -1: unknown
 *  "callTree": [{"depth", "frame", "totalBytes", "selfBytes"}],                           // depth first, largest first
 *  "backtraces": {"class": "com.acme.Session", "nodes": [{"depth", "frame", "totalBytes", "selfBytes"}]},  // or null
 *  "hotSites": {"packages": ["com.acme."], "outsideBytes": 1, "sites": [{"method", "line", "topClass", "estimatedBytes", "events", "percent"}]},
 *  "collections": {"summary": [{"collector", "count", "totalPauseMillis", "longestPauseMillis", "freedBytes"}],
 *                  "events": [{"gcId", "collector", "cause", "start", "pauseMillis", "heapBefore", "heapAfter"}]}}
 * }</pre>
 *
 * Trees are written flat (depth-first rows with their depth), at most {@value #MAX_NODES} nodes each,
 * so a deep recursion stays a shallow document; {@code hotSites} is {@code null} unless packages were named.
 */
public final class AllocationJson {
    /** Tree nodes written before the rest is left out. */
    public static final int MAX_NODES = 2000;

    private AllocationJson() {
    }

    /** The profile, with backtraces of {@code backtraceClass} (or none for {@code null}) and the hot sites (or none). */
    public static String render(AllocationProfile p, String backtraceClass, AllocationSites sites, int top) {
        JsonWriter w = new JsonWriter().beginObject()
                .name("recording").value(p.recording().toString())
                .name("pid");
        if (p.pid().isPresent()) {
            w.value(p.pid().getAsLong());
        } else {
            w.value((String) null);
        }
        w.name("sampled").value(p.sampled())
                .name("allocationEvents").value(p.allocationEvents())
                .name("totalBytes").value(p.totalBytes())
                .name("spanMillis").value(p.span().toMillis())
                .name("byType").beginArray();
        for (TypeAllocation t : p.byType().top(top)) {
            w.beginObject().name("class").value(t.className()).name("events").value(t.events())
                    .name("estimatedBytes").value(t.estimatedBytes()).name("estimatedObjects").value(t.estimatedObjects())
                    .name("percent").value(t.percent()).endObject();
        }
        w.endArray().name("callTree");
        tree(w, p.callTree());
        w.name("backtraces");
        if (backtraceClass == null) {
            w.value((String) null);
        } else {
            w.beginObject().name("class").value(backtraceClass).name("nodes");
            tree(w, p.backtraces(backtraceClass));
            w.endObject();
        }
        w.name("hotSites");
        if (sites == null) {
            w.value((String) null);
        } else {
            w.beginObject().name("packages").beginArray();
            for (String pkg : sites.packages()) {
                w.value(pkg);
            }
            w.endArray().name("outsideBytes").value(sites.outsideBytes()).name("sites").beginArray();
            for (AllocationSite s : sites) {
                w.beginObject().name("method").value(s.method()).name("line").value(s.line()).name("topClass").value(s.topClass())
                        .name("estimatedBytes").value(s.estimatedBytes()).name("events").value(s.events())
                        .name("percent").value(s.percent()).endObject();
            }
            w.endArray().endObject();
        }
        GarbageCollections gcs = p.collections();
        w.name("collections").beginObject().name("summary").beginArray();
        for (GarbageCollections.CollectorSummary c : gcs.summary()) {
            w.beginObject().name("collector").value(c.collector()).name("count").value(c.count())
                    .name("totalPauseMillis").value(c.totalPauses().toNanos() / 1e6)
                    .name("longestPauseMillis").value(c.longestPause().toNanos() / 1e6)
                    .name("freedBytes").value(c.freedBytes()).endObject();
        }
        w.endArray().name("events").beginArray();
        for (GcEvent e : gcs) {
            w.beginObject().name("gcId").value(e.gcId()).name("collector").value(e.collector()).name("cause").value(e.cause())
                    .name("start").value(e.start().toString()).name("pauseMillis").value(e.pauses().toNanos() / 1e6)
                    .name("heapBefore").value(e.heapBefore()).name("heapAfter").value(e.heapAfter()).endObject();
        }
        return w.endArray().endObject().endObject().toString();
    }

    private static void tree(JsonWriter w, CallTree tree) {
        w.beginArray();
        ArrayDeque<CallTree.Node> stack = new ArrayDeque<>();
        ArrayDeque<Integer> depths = new ArrayDeque<>();
        stack.push(tree.root());
        depths.push(0);
        int written = 0;
        while (!stack.isEmpty() && written < MAX_NODES) {
            CallTree.Node n = stack.pop();
            int depth = depths.pop();
            written++;
            w.beginObject().name("depth").value(depth).name("frame").value(n.method())
                    .name("totalBytes").value(n.totalBytes()).name("selfBytes").value(n.selfBytes()).endObject();
            for (int i = n.children().size() - 1; i >= 0; i--) {
                stack.push(n.children().get(i));
                depths.push(depth + 1);
            }
        }
        w.endArray();
    }
}

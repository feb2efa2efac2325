package dev.heaplens.report;

/**
 * Renders a {@link HeapReport} as one JSON object: {@code {"summary": {"file", "objects",
 * "classesWithInstances", "gcRoots", "shallowBytes", "reachableObjects", "reachableBytes",
 * "unreachableObjects", "unreachableBytes", "complete", "warnings"}, "topClassesByRetained": [...],
 * "topDominators": [...], "suspects": {...}, "waste": {...}, "treemap": {...}, "jvm": {...},
 * "processMemory": {...}}}, the parts as in {@link HistogramJson}, {@link DominatorJson}, {@link SuspectsJson}, {@link WasteJson},
 * {@link JvmInfoJson} and {@link ProcessMemoryJson}; {@code jvm} and {@code processMemory} are
 * {@code null} unless heaplens captured the dump. A treemap cell is {@code {"id", "class", "heldBy",
 * "shallowBytes", "retainedBytes", "otherCount", "otherBytes", "children": [...]}}.
 *
 * <pre>{@code
 * String json = AnalysisJson.render(heap.report());
 * }</pre>
 */
public final class AnalysisJson {
    private AnalysisJson() {
    }

    /** The report as one JSON object. */
    public static String render(HeapReport report) {
        HeapReport.Totals t = report.totals();
        JsonWriter w = new JsonWriter().beginObject().name("summary").beginObject()
                .name("file").value(report.file().toString())
                .name("objects").value(t.objects())
                .name("classesWithInstances").value(t.classesWithInstances())
                .name("gcRoots").value(t.gcRoots())
                .name("shallowBytes").value(t.shallowBytes())
                .name("reachableObjects").value(t.reachableObjects())
                .name("reachableBytes").value(t.reachableBytes())
                .name("unreachableObjects").value(t.unreachableObjects())
                .name("unreachableBytes").value(t.unreachableBytes())
                .name("complete").value(report.complete())
                .name("warnings").beginArray();
        for (String warning : report.warnings()) {
            w.value(warning);
        }
        w.endArray().endObject();
        w.name("topClassesByRetained");
        HistogramJson.write(w, report.classesByRetained());
        w.name("topDominators");
        DominatorJson.writeEntries(w, report.dominators());
        w.name("suspects");
        SuspectsJson.write(w, report.suspects());
        w.name("waste");
        WasteJson.write(w, report.waste());
        w.name("treemap");
        writeTreemap(w, report.treemap());
        w.name("jvm");
        if (report.jvm().isPresent()) {
            JvmInfoJson.write(w, report.jvm().get());
        } else {
            w.value((String) null);
        }
        w.name("processMemory");
        if (report.memory().isPresent()) {
            ProcessMemoryJson.write(w, report.memory().get());
        } else {
            w.value((String) null);
        }
        return w.endObject().toString();
    }

    /** Writes a treemap cell and its drawn children as one JSON object. */
    static JsonWriter writeTreemap(JsonWriter w, TreemapNode node) {
        w.beginObject()
                .name("id").value(node.id() == 0 ? null : "0x" + Long.toHexString(node.id()))
                .name("class").value(node.className())
                .name("heldBy").value(node.heldBy())
                .name("shallowBytes").value(node.shallow())
                .name("retainedBytes").value(node.retained())
                .name("otherCount").value(node.otherCount())
                .name("otherBytes").value(node.otherBytes())
                .name("children").beginArray();
        for (TreemapNode child : node.children()) {
            writeTreemap(w, child);
        }
        return w.endArray().endObject();
    }
}

package dev.heaplens.report;

import dev.heaplens.analysis.DominatorEntry;
import dev.heaplens.analysis.DominatorTree;
import dev.heaplens.analysis.Histogram;
import dev.heaplens.analysis.LeakSuspects;
import dev.heaplens.graph.ObjectGraph;

import java.nio.file.Path;
import java.util.List;

/**
 * Renders the whole-heap analysis as one JSON object: {@code {"summary": {"file", "objects",
 * "classesWithInstances", "gcRoots", "shallowBytes", "reachableObjects", "reachableBytes",
 * "unreachableObjects", "unreachableBytes", "complete", "warnings"}, "topClassesByRetained": [...],
 * "topDominators": [...], "suspects": {...}}}, the parts as in {@link HistogramJson},
 * {@link DominatorJson} and {@link SuspectsJson}.
 *
 * <pre>{@code
 * String json = AnalysisJson.render(heap.path(), heap.graph(), heap.histogram(), tree, unreachable,
 *         byRetained.top(10), tree.top(10), heap.suspects(), heap.complete(), heap.warnings());
 * }</pre>
 */
public final class AnalysisJson {
    private AnalysisJson() {
    }

    /**
     * The analysis as one JSON object; every part is computed by the caller.
     *
     * @param file           the dump
     * @param graph          its object graph
     * @param histogram      the whole heap's histogram (for its totals)
     * @param tree           the dominator tree (for the reachable totals)
     * @param unreachable    the histogram of unreachable objects (for its totals)
     * @param topClasses     the classes to list, largest retained first
     * @param topDominators  the objects to list, largest retained first
     * @param suspects       the leak suspects
     * @param complete       whether the whole dump was read
     * @param warnings       what the reader noticed
     */
    public static String render(Path file, ObjectGraph graph, Histogram histogram, DominatorTree tree, Histogram unreachable,
                                Histogram topClasses, List<DominatorEntry> topDominators, LeakSuspects suspects,
                                boolean complete, List<String> warnings) {
        JsonWriter w = new JsonWriter().beginObject().name("summary").beginObject()
                .name("file").value(file.toString())
                .name("objects").value(graph.objectCount())
                .name("classesWithInstances").value(histogram.classCount())
                .name("gcRoots").value(graph.roots().size())
                .name("shallowBytes").value(histogram.totalBytes())
                .name("reachableObjects").value(tree.reachableCount())
                .name("reachableBytes").value(tree.reachableBytes())
                .name("unreachableObjects").value(unreachable.totalCount())
                .name("unreachableBytes").value(unreachable.totalBytes())
                .name("complete").value(complete)
                .name("warnings").beginArray();
        for (String warning : warnings) {
            w.value(warning);
        }
        w.endArray().endObject();
        w.name("topClassesByRetained");
        HistogramJson.write(w, topClasses);
        w.name("topDominators");
        DominatorJson.writeEntries(w, topDominators);
        w.name("suspects");
        SuspectsJson.write(w, suspects);
        return w.endObject().toString();
    }
}

package dev.heaplens.fuzz;

import dev.heaplens.Heap;
import dev.heaplens.HeapOptions;

import dev.heaplens.analysis.DominatorList;
import dev.heaplens.analysis.DominatorTree;
import dev.heaplens.analysis.Histogram;
import dev.heaplens.analysis.HistogramRow;
import dev.heaplens.analysis.LeakSuspects;
import dev.heaplens.analysis.Waste;
import dev.heaplens.diff.HeapDiff;
import dev.heaplens.diff.HeapSummary;
import dev.heaplens.graph.HeapObject;
import dev.heaplens.report.HeapReport;
import dev.heaplens.report.DiffJson;
import dev.heaplens.report.PathJson;
import dev.heaplens.report.WasteJson;

import java.nio.file.Path;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Everything a user can ask of a dump, run on one file as {@code heaplens analyze}, {@code path} and
 * {@code diff} would: open it (strict or lenient), the histogram, the dominator tree, shortest paths
 * of a sample of objects and the merged paths of a class, leak suspects, the waste analyses, object views, the summary,
 * the diff against the unmutated seed, and their text and JSON renderings. It returns what the
 * lenient mode said; any exception escapes for the harness to judge.
 */
final class FuzzPipeline {
    /** Where a pipeline run is, for reports; written by the thread running it. */
    volatile String stage = "";

    private FuzzPipeline() {
    }

    static FuzzPipeline create() {
        return new FuzzPipeline();
    }

    /**
     * What a run found.
     *
     * @param complete  whether the heap said it read the whole dump
     * @param warnings  how many warnings it gave
     * @param firstNote the first warning, or null
     * @param objects   objects in the graph
     */
    record Result(boolean complete, int warnings, String firstNote, int objects) {
    }

    /**
     * Runs every analysis on {@code dump}.
     *
     * @param original the seed's summary, to diff against (null: no diff)
     * @param sample   which objects the paths and views sample
     */
    Result run(Path dump, boolean lenient, HeapSummary original, long sample) {
        stage = "open";
        try (Heap heap = Heap.open(dump, HeapOptions.defaults().lenient(lenient).threads(1))) {
            stage = "histogram";
            Histogram histogram = heap.histogram();
            sink(histogram.top(20).toString());
            stage = "dominators";
            DominatorTree tree = heap.dominators();
            DominatorList top = tree.top(10);
            sink(top.toString());
            Histogram byRetained = heap.histogramWithRetained().sortedByRetained().top(10);
            sink(byRetained.toString());
            if (sample % 4 == 0) {
                sink(heap.dominatorsByClass().toString()); // every 4th: it costs as much as the tree
            }
            Histogram unreachable = tree.unreachable();
            sink(unreachable.top(5).toString());
            stage = "paths";
            SplittableRandom r = new SplittableRandom(sample);
            int n = heap.objectCount();
            for (int i = 0; i < 6 && n > 0; i++) {
                int obj = i < top.size() && i < 3 ? top.get(i).object() : r.nextInt(n);
                try {
                    sink(PathJson.render(heap.pathFromRoot(obj)));
                    sink(heap.pathFromRoot(obj).toString());
                } catch (NoSuchElementException noPath) {
                    sink(noPath.getMessage()); // documented: says why there is no strong path
                }
            }
            if (!histogram.rows().isEmpty()) {
                // any class: most have few instances, so this costs little
                HistogramRow row = histogram.rows().get(r.nextInt(histogram.rows().size()));
                if (!heap.classes(row.className()).isEmpty()) {
                    sink(heap.mergedPaths(row.className()).toString());
                }
            }
            stage = "suspects";
            LeakSuspects suspects = heap.suspects();
            sink(suspects.toString());
            stage = "waste";
            Waste waste = heap.waste();
            sink(waste.toString());
            sink(WasteJson.render(waste));
            stage = "objects";
            for (int i = 0; i < 4 && n > 0; i++) {
                HeapObject o = heap.objectAt(i == 0 && !top.isEmpty() ? top.get(0).object() : r.nextInt(n));
                sink(o.toString());
                sink(heap.outbound(o).toString());
                sink(heap.inbound(o).toString());
            }
            stage = "summary";
            sink(heap.toString());
            stage = "report";
            HeapReport report = heap.report(5, LeakSuspects.DEFAULT_THRESHOLD_PERCENT);
            sink(report.toString());
            sink(report.toJson());
            sink(report.toHtml());
            HeapSummary summary = HeapSummary.of(heap);
            sink(summary.toString());
            if (original != null) {
                stage = "diff";
                HeapDiff diff = HeapDiff.of(original, summary);
                sink(diff.toString());
                sink(DiffJson.render(diff, 10));
            }
            stage = "close";
            var warnings = heap.warnings();
            return new Result(heap.complete(), warnings.size(), warnings.isEmpty() ? null : warnings.get(0), n);
        }
    }

    /** Keeps the JIT from dropping a rendering as dead code. */
    private static volatile int sunk;

    private static void sink(String s) {
        sunk += s.length();
    }

}

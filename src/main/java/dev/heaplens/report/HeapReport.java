package dev.heaplens.report;

import dev.heaplens.analysis.DominatorList;
import dev.heaplens.analysis.DominatorTree;
import dev.heaplens.analysis.Histogram;
import dev.heaplens.analysis.LeakSuspects;
import dev.heaplens.analysis.Waste;
import dev.heaplens.capture.JvmInfo;
import dev.heaplens.capture.ProcessMemory;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.text.TextTable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The whole analysis of one dump, computed once, for people: the summary, the leak suspects with
 * their paths, the largest classes and objects by retained size, the dominator tree's treemap, the
 * memory that is simply wasted, and the process memory beside the heap when the dump was captured
 * by heaplens. Text
 * ({@link #toString()}), JSON ({@link #toJson()}) and HTML ({@link #toHtml()}, {@link #writeHtml})
 * are three renderings of this one model: none of them computes anything.
 *
 * <pre>{@code
 * try (Heap heap = Heap.open(Path.of("app.hprof"))) {
 *     heap.report().writeHtml(Path.of("report.html"));   // one self-contained page, opens offline
 *     System.out.println(heap.report());                 // the same as text
 * }
 * }</pre>
 */
public final class HeapReport {
    private final String heading;
    private final Path file;
    private final Totals totals;
    private final Histogram classesByRetained;
    private final DominatorList dominators;
    private final LeakSuspects suspects;
    private final TreemapNode treemap;
    private final Waste waste;
    private final JvmInfo jvm;
    private final ProcessMemory memory;
    private final boolean complete;
    private final List<String> warnings;
    private final Instant created;

    /**
     * The counts the summary shows.
     *
     * @param objects            objects in the dump
     * @param classesWithInstances classes with at least one object
     * @param classes            classes in the dump
     * @param gcRoots            GC roots
     * @param shallowBytes       shallow bytes of every object
     * @param reachableObjects   objects a GC root reaches
     * @param reachableBytes     their shallow bytes
     * @param unreachableObjects objects no GC root reaches (garbage the dump still held)
     * @param unreachableBytes   their shallow bytes
     */
    public record Totals(long objects, long classesWithInstances, long classes, long gcRoots, long shallowBytes,
                         long reachableObjects, long reachableBytes, long unreachableObjects, long unreachableBytes) {
    }

    private HeapReport(String heading, Path file, Totals totals, Histogram classesByRetained, DominatorList dominators,
                       LeakSuspects suspects, TreemapNode treemap, Waste waste, JvmInfo jvm, ProcessMemory memory,
                       boolean complete, List<String> warnings, Instant created) {
        this.heading = heading;
        this.file = file;
        this.totals = totals;
        this.classesByRetained = classesByRetained;
        this.dominators = dominators;
        this.suspects = suspects;
        this.treemap = treemap;
        this.waste = waste;
        this.jvm = jvm;
        this.memory = memory;
        this.complete = complete;
        this.warnings = List.copyOf(warnings);
        this.created = created;
    }

    /**
     * The report of an analysed dump; {@code Heap.report()} calls this with its own analyses.
     *
     * @param heading   one line naming the dump and its layout (what {@code Heap.toString()} prints)
     * @param file      the dump
     * @param graph     its object graph (for the counts)
     * @param histogram the class histogram with retained sizes, in any order
     * @param tree      the dominator tree
     * @param treemap   the dominator tree cut to what a treemap can draw ({@code TreemapNode.of(tree, ...)})
     * @param suspects  the leak suspects
     * @param waste     the memory a fix would save (duplicate strings, empty collections, boxes, zero arrays)
     * @param top       how many classes and objects the tables list
     * @param jvm       the JVM the dump came from, or {@code null} when unknown
     * @param memory    that JVM's memory just before the dump, or {@code null} when unknown
     * @param complete  whether the whole dump was read
     * @param warnings  what the reader noticed
     */
    public static HeapReport of(String heading, Path file, ObjectGraph graph, Histogram histogram, DominatorTree tree,
                                TreemapNode treemap, LeakSuspects suspects, Waste waste, int top, JvmInfo jvm, ProcessMemory memory,
                                boolean complete, List<String> warnings) {
        if (top < 1) {
            throw new IllegalArgumentException("top must be at least 1, not " + top);
        }
        Histogram unreachable = tree.unreachable();
        Totals totals = new Totals(graph.objectCount(), histogram.classCount(), graph.classes().size(), graph.roots().size(),
                histogram.totalBytes(), tree.reachableCount(), tree.reachableBytes(), unreachable.totalCount(),
                unreachable.totalBytes());
        Histogram byRetained = (histogram.hasRetained() ? histogram : histogram.withRetained(tree)).sortedByRetained().top(top);
        return new HeapReport(heading, file, totals, byRetained, tree.top(top), suspects, treemap, waste, jvm, memory, complete,
                warnings, Instant.now());
    }

    /** One line naming the dump, its size and layout. */
    public String heading() {
        return heading;
    }

    /** The dump. */
    public Path file() {
        return file;
    }

    /** The summary's counts. */
    public Totals totals() {
        return totals;
    }

    /** The classes that retain the most, largest first (as many as asked for). */
    public Histogram classesByRetained() {
        return classesByRetained;
    }

    /** The objects that retain the most, largest first (as many as asked for). */
    public DominatorList dominators() {
        return dominators;
    }

    /** The leak suspects. */
    public LeakSuspects suspects() {
        return suspects;
    }

    /** The dominator tree, cut to what a treemap can draw. */
    public TreemapNode treemap() {
        return treemap;
    }

    /** Memory a fix would save: duplicate strings, empty and sparse collections, boxed primitives, zero arrays. */
    public Waste waste() {
        return waste;
    }

    /** The JVM the dump came from, when heaplens captured it. */
    public Optional<JvmInfo> jvm() {
        return Optional.ofNullable(jvm);
    }

    /** That JVM's memory just before the dump (heap pools, native memory, resident set), when heaplens captured it. */
    public Optional<ProcessMemory> memory() {
        return Optional.ofNullable(memory);
    }

    /** Whether the whole dump was read. */
    public boolean complete() {
        return complete;
    }

    /** What the reader noticed (lost records in lenient mode, dangling references, ...). */
    public List<String> warnings() {
        return warnings;
    }

    /** When the report was made. */
    public Instant created() {
        return created;
    }

    /** The report as one JSON object (see {@link AnalysisJson}). */
    public String toJson() {
        return AnalysisJson.render(this);
    }

    /** The report as one self-contained HTML page: inline CSS and script, no request to anywhere. */
    public String toHtml() {
        return HtmlReport.render(this);
    }

    /**
     * Writes {@link #toHtml()} to {@code path} (replacing what is there) and returns the path.
     *
     * @throws UncheckedIOException if it cannot be written
     */
    public Path writeHtml(Path path) {
        try {
            Files.writeString(path, toHtml(), StandardCharsets.UTF_8);
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the report to " + path + ": " + e.getMessage(), e);
        }
    }

    /** The report as text: the summary, the classes and objects that retain the most, the suspects, the waste in a few lines. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(heading).append('\n');
        b.append(String.format("reachable: %,d objects, %s bytes (%s); unreachable: %,d objects, %s bytes%n%n",
                totals.reachableObjects(), TextTable.bytes(totals.reachableBytes()), TextTable.humanBytes(totals.reachableBytes()),
                totals.unreachableObjects(), TextTable.bytes(totals.unreachableBytes())));
        b.append("Classes by retained size:\n").append(classesByRetained).append('\n');
        b.append(dominators).append('\n');
        b.append(suspects);
        b.append("\nWaste (heaplens waste shows the tables):\n").append(waste.summary()).append('\n');
        return b.toString();
    }
}

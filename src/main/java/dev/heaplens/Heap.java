package dev.heaplens;

import dev.heaplens.analysis.DominatorGroups;
import dev.heaplens.analysis.DominatorTree;
import dev.heaplens.analysis.References;
import dev.heaplens.analysis.GcRootPath;
import dev.heaplens.analysis.Histogram;
import dev.heaplens.analysis.LeakSuspects;
import dev.heaplens.analysis.MergedPaths;
import dev.heaplens.analysis.ShortestPaths;
import dev.heaplens.analysis.Waste;
import dev.heaplens.capture.CaptureOptions;
import dev.heaplens.capture.JvmConnection;
import dev.heaplens.concurrent.Parallel;
import dev.heaplens.graph.GraphBuilder;
import dev.heaplens.graph.HeapClass;
import dev.heaplens.graph.HeapObject;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.graph.PhaseTrace;
import dev.heaplens.graph.VmLayout;
import dev.heaplens.hprof.HprofFile;
import dev.heaplens.report.HeapReport;
import dev.heaplens.report.TreemapNode;
import it.unimi.dsi.fastutil.ints.IntList;
import org.roaringbitmap.RoaringBitmap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The front door: an opened heap dump, ready to analyse.
 *
 * <pre>{@code
 * try (Heap heap = Heap.open(Path.of("app.hprof"))) {
 *     System.out.println(heap.histogram().top(20));      // prints a table
 *     HeapClass sessions = heap.findClass("com.acme.Session");
 *     heap.instancesOf("com.acme.Session").forEach(System.out::println);
 *     System.out.println(heap.suspects());               // what keeps most of the heap alive, and why
 *     System.out.println(heap.dominators().top(10));     // largest retained sizes
 *     System.out.println(heap.pathFromRoot(0x7f0011a8L)); // how a GC root reaches that object
 *     System.out.println(heap.mergedPaths("com.acme.Session"));
 * }
 * }</pre>
 *
 * <p>The dump is memory-mapped read-only and never written; close the heap to release it. Each
 * analysis runs once, on first use, and is kept: the dominator tree holds about 12 bytes per
 * object (20 once navigated), the shortest paths 4.
 */
public final class Heap implements AutoCloseable {
    /** How many classes and objects {@link #report()} lists. */
    public static final int REPORT_TOP = 200;
    private final HprofFile file;
    private final ObjectGraph graph;
    private final Snapshot snapshot;
    private final List<String> openWarnings;
    private final String layoutSource;
    private Histogram histogram;
    private Histogram histogramWithRetained;
    private DominatorTree dominators;
    private ShortestPaths shortestPaths;
    private LeakSuspects suspects;
    private Waste waste;
    private HeapReport report;
    // one lock per analysis, so two of them can be computed at once (report() does)
    private final Object histogramLock = new Object();
    private final Object dominatorsLock = new Object();
    private final Object pathsLock = new Object();
    private final Object suspectsLock = new Object();
    private final Object reportLock = new Object();
    private final Object wasteLock = new Object();
    private final Object treemapLock = new Object();
    private TreemapNode treemap;

    private Heap(HprofFile file, ObjectGraph graph, Snapshot snapshot, List<String> openWarnings, String layoutSource) {
        this.file = file;
        this.graph = graph;
        this.snapshot = snapshot;
        this.openWarnings = List.copyOf(openWarnings);
        this.layoutSource = layoutSource;
    }

    /**
     * Opens a dump (plain or gzip) with default options: strict; sizes follow the VM layout in the
     * dump's snapshot sidecar if heaplens captured it, else an inferred one.
     */
    public static Heap open(Path dump) {
        return open(dump, HeapOptions.defaults());
    }

    /**
     * Opens a dump. The VM layout is the one {@code options} give; if they give none, the one of the
     * dump's {@link Snapshot} sidecar ({@code <dump>.json}, written when heaplens captured it); if there
     * is none, it is inferred from the dump.
     *
     * @throws dev.heaplens.hprof.HprofFormatException if the dump is malformed or truncated (and
     *                                                 not {@linkplain HeapOptions#lenient() lenient})
     */
    public static Heap open(Path dump, HeapOptions options) {
        HprofFile file = HprofFile.open(dump, options.chunkBits(), options.lenient());
        try {
            SnapshotSidecar.Lookup metadata = SnapshotSidecar.lookup(dump);
            VmLayout layout = options.layout() != null ? options.layout()
                    : metadata.snapshot() != null ? metadata.snapshot().layout() : null;
            ObjectGraph graph = new GraphBuilder(file).lenient(options.lenient()).layout(layout)
                    .threads(options.threads()).build();
            List<String> warnings = metadata.problem() == null ? List.of() : List.of(metadata.problem());
            String source = options.layout() != null ? "given" : metadata.snapshot() != null ? "from the snapshot metadata" : "inferred";
            return new Heap(file, graph, metadata.snapshot(), warnings, source);
        } catch (RuntimeException | Error e) {
            file.close();
            throw e;
        }
    }

    /**
     * Dumps the live objects of this JVM into a fresh file in {@code java.io.tmpdir}, with the JVM's
     * options and memory beside it.
     *
     * <pre>{@code
     * try (Heap heap = Heap.capture().open()) {
     *     System.out.println(heap.histogram().top(10));
     * }
     * }</pre>
     *
     * @throws dev.heaplens.capture.CaptureException if the dump cannot be written
     */
    public static Snapshot capture() {
        return capture(CaptureOptions.defaults());
    }

    /**
     * Dumps this JVM as {@code options} say: {@code CaptureOptions.defaults().allObjects().gzip(true).in(dir)}.
     *
     * @throws dev.heaplens.capture.CaptureException if the dump cannot be written
     */
    public static Snapshot capture(CaptureOptions options) {
        return Snapshot.take(JvmConnection.self(), options, null);
    }

    /**
     * Dumps the live objects of the JVM with this pid (attaching to it) into a fresh file in
     * {@code java.io.tmpdir}. The dump is written by that JVM, as its user.
     *
     * @throws dev.heaplens.capture.CaptureException if there is no such process, it is not a HotSpot
     *                                               JVM, refuses attach requests, belongs to another
     *                                               user, or the dump fails
     */
    public static Snapshot capture(long pid) {
        return capture(pid, CaptureOptions.defaults());
    }

    /** Dumps the JVM with this pid as {@code options} say (see {@link #capture(long)}). */
    public static Snapshot capture(long pid, CaptureOptions options) {
        try (JvmConnection jvm = JvmConnection.attach(pid, options)) {
            return Snapshot.take(jvm, options, null);
        }
    }

    /** The metadata heaplens stored when it captured this dump, if it did (and the sidecar is intact). */
    public Optional<Snapshot> snapshot() {
        return Optional.ofNullable(snapshot);
    }

    /** The object graph: dense indices, classes, sizes, edges and roots. */
    public ObjectGraph graph() {
        return graph;
    }

    /** The dump as named when opened. */
    public Path path() {
        return file.path();
    }

    /** The class histogram (computed once). */
    public Histogram histogram() {
        synchronized (histogramLock) {
            if (histogram == null) {
                long started = PhaseTrace.start();
                histogram = Histogram.of(graph);
                PhaseTrace.end("histogram", started);
            }
            return histogram;
        }
    }

    /**
     * Memory that is simply wasted (computed once): duplicate strings with their holders, empty and
     * sparse collections, boxes of equal values and all-zero arrays, each with the bytes a fix would
     * save in the histogram's shallow size model. Needs no dominator tree.
     *
     * <pre>{@code
     * System.out.println(heap.waste());                        // four summaries, each with its table
     * heap.waste().duplicateStrings().groups().get(0)          // the value that wastes most, and who holds it
     * long savable = heap.waste().totalSavableBytes();
     * }</pre>
     */
    public Waste waste() {
        synchronized (wasteLock) {
            if (waste == null) {
                long started = PhaseTrace.start();
                waste = Waste.of(graph);
                PhaseTrace.end("waste", started);
            }
            return waste;
        }
    }

    /**
     * The class histogram with each class's retained size (the dominator tree is computed if it was
     * not yet), in the same order; {@code .sortedByRetained()} orders it by retained size.
     *
     * <pre>{@code
     * heap.histogramWithRetained().sortedByRetained().top(10)
     * }</pre>
     */
    public Histogram histogramWithRetained() {
        DominatorTree tree = dominators();
        synchronized (histogramLock) {
            if (histogramWithRetained == null) {
                long started = PhaseTrace.start();
                histogramWithRetained = histogram().withRetained(tree);
                PhaseTrace.end("class retained sizes", started);
            }
            return histogramWithRetained;
        }
    }

    /**
     * The dominator tree and retained sizes (computed once, Eclipse MAT's convention: referents of
     * weak and soft references count as references).
     *
     * <pre>{@code
     * heap.dominators().top(10)                                   // largest retained sizes
     * heap.dominators().retainedSize(heap.object(0x7f0011a8L).index())
     * }</pre>
     */
    public DominatorTree dominators() {
        synchronized (dominatorsLock) {
            if (dominators == null) {
                long started = PhaseTrace.start();
                dominators = DominatorTree.compute(graph);
                PhaseTrace.end("dominator tree", started);
            }
            return dominators;
        }
    }

    /**
     * The dominator tree grouped by class, as MAT's "group by class": the top-level dominators, or
     * with an object, what it immediately dominates.
     *
     * <pre>{@code
     * heap.dominatorsByClass()                 // which classes hold the heap at the top
     * }</pre>
     */
    public DominatorGroups dominatorsByClass() {
        return DominatorGroups.topLevel(dominators());
    }

    /** What {@code object} immediately dominates, grouped by class. */
    public DominatorGroups dominatorsByClass(HeapObject object) {
        return DominatorGroups.childrenOf(dominators(), object.index());
    }

    /** What {@code object} references: each field, element or static with its target; prints as a table. */
    public References outbound(HeapObject object) {
        return References.outbound(graph, object.index());
    }

    /** What references {@code object} (its referrers, each with the field that holds it); prints as a table. */
    public References inbound(HeapObject object) {
        return References.inbound(graph, object.index());
    }

    /** Shortest paths from the GC roots over strong references (computed once); {@link #pathFromRoot} uses them. */
    public ShortestPaths shortestPaths() {
        synchronized (pathsLock) {
            if (shortestPaths == null) {
                long started = PhaseTrace.start();
                shortestPaths = ShortestPaths.compute(graph);
                PhaseTrace.end("shortest paths", started);
            }
            return shortestPaths;
        }
    }

    /**
     * Leak suspects above {@value LeakSuspects#DEFAULT_THRESHOLD_PERCENT}% of the reachable heap
     * (computed once): single objects and classes, each with where its memory accumulates and the
     * shortest path from a GC root. Prints as a report.
     *
     * <pre>{@code
     * heap.suspects()                                   // the report
     * heap.suspects().get(0).accumulationPoint()        // where the memory of the first piles up
     * }</pre>
     */
    public LeakSuspects suspects() {
        DominatorTree tree = dominators();
        ShortestPaths paths = shortestPaths();
        synchronized (suspectsLock) {
            if (suspects == null) {
                long started = PhaseTrace.start();
                suspects = LeakSuspects.find(tree, paths, LeakSuspects.DEFAULT_THRESHOLD_PERCENT);
                PhaseTrace.end("leak suspects", started);
            }
            return suspects;
        }
    }

    /** Leak suspects retaining more than {@code thresholdPercent} percent of the reachable heap (e.g. {@code 5}). */
    public LeakSuspects suspects(double thresholdPercent) {
        return LeakSuspects.find(dominators(), shortestPaths(), thresholdPercent);
    }

    /**
     * The dominator tree cut to what a treemap can draw (computed once): the largest retained sets as
     * nested cells, as the HTML report draws them.
     *
     * <pre>{@code
     * heap.treemap().children().get(0)     // the largest top-level dominator's cell
     * }</pre>
     */
    public TreemapNode treemap() {
        DominatorTree tree = dominators();
        synchronized (treemapLock) {
            if (treemap == null) {
                long started = PhaseTrace.start();
                treemap = TreemapNode.of(tree, TreemapNode.DEFAULT_BUDGET, TreemapNode.DEFAULT_MIN_PERCENT);
                PhaseTrace.end("treemap", started);
            }
            return treemap;
        }
    }

    /**
     * The whole analysis as one report (computed once): summary, leak suspects with their paths, the
     * {@value #REPORT_TOP} classes and objects that retain the most, the dominator tree's treemap, and
     * the process memory when heaplens captured the dump. Prints as text; also JSON and one
     * self-contained HTML page.
     *
     * <pre>{@code
     * heap.report().writeHtml(Path.of("report.html"))   // open it in a browser, offline
     * heap.report().toJson()
     * }</pre>
     */
    public HeapReport report() {
        synchronized (reportLock) {
            if (report == null) {
                report = report(REPORT_TOP, LeakSuspects.DEFAULT_THRESHOLD_PERCENT);
            }
            return report;
        }
    }

    /**
     * The report with the {@code top} largest classes and objects and the suspects above {@code
     * thresholdPercent} percent. The shortest paths, the waste and the shallow histogram are computed
     * on a second thread while this one computes the dominator tree: they need only the graph, and a
     * cold run on two cores finishes sooner (the tree and what follows from it take longer). Likewise
     * the treemap beside the leak suspects: both need only the tree.
     */
    public HeapReport report(int top, double thresholdPercent) {
        alongside(() -> {
            shortestPaths();
            waste();
            histogram();
        }, this::histogramWithRetained);
        LeakSuspects[] found = new LeakSuspects[1];
        alongside(this::treemap, () -> found[0] = thresholdPercent == LeakSuspects.DEFAULT_THRESHOLD_PERCENT
                ? suspects() : suspects(thresholdPercent));
        long started = PhaseTrace.start();
        HeapReport report = HeapReport.of(toString(), path(), graph, histogramWithRetained(), dominators(), treemap(), found[0], waste(), top,
                snapshot == null ? null : snapshot.jvm(), snapshot == null ? null : snapshot.memory(), complete(), warnings());
        PhaseTrace.end("report model", started);
        return report;
    }

    /**
     * The shortest path from a GC root to {@code object}, over strong references, each object with
     * its retained size.
     *
     * <pre>{@code
     * heap.pathFromRoot(heap.instancesOf("com.acme.Session").get(0))
     * }</pre>
     *
     * @throws NoSuchElementException saying why, when no strong path leads there (reachable only
     *                                through weak/soft/phantom/final referents, or unreachable)
     */
    public GcRootPath pathFromRoot(HeapObject object) {
        if (object.graph() != graph) {
            throw new IllegalArgumentException(object.label() + " is from another heap");
        }
        return pathFromRoot(object.index());
    }

    /**
     * {@link #pathFromRoot(HeapObject)} of the object at a dense index ({@code 0..objectCount()-1}).
     * For an object id (VM address) pass a {@code long}: {@code heap.pathFromRoot(0x7f0011a8L)}.
     */
    public GcRootPath pathFromRoot(int index) {
        if (index < 0 || index >= graph.objectCount()) {
            throw new IllegalArgumentException("no object at index " + index + " (the heap has " + graph.objectCount()
                    + "); for an object id, pass a long: pathFromRoot(0x" + Integer.toHexString(index) + "L)");
        }
        ShortestPaths paths = shortestPaths();
        return paths.pathTo(index, dominators())
                .orElseThrow(() -> new NoSuchElementException(paths.explain(index, dominators()).strip()));
    }

    /** {@link #pathFromRoot(HeapObject)} of the object with this id (VM address), e.g. {@code 0x7f0011a8L}. */
    public GcRootPath pathFromRoot(long id) {
        return pathFromRoot(object(id));
    }

    /**
     * The shortest paths of every instance of the named class(es), merged into one tree by field:
     * who holds them, how many through each branch, and how much they retain.
     *
     * <pre>{@code
     * heap.mergedPaths("com.acme.Session")
     * }</pre>
     *
     * @throws IllegalArgumentException if no class has that name
     */
    public MergedPaths mergedPaths(String className) {
        if (classes(className).isEmpty()) {
            throw new IllegalArgumentException("no class named " + className + " in " + file.path());
        }
        return MergedPaths.of(shortestPaths(), instanceIndices(className), dominators());
    }

    /** Number of objects. */
    public int objectCount() {
        return graph.objectCount();
    }

    /** The object with this id (VM address), if the dump has it. */
    public Optional<HeapObject> findObject(long id) {
        int index = graph.indexOf(id);
        return index < 0 ? Optional.empty() : Optional.of(HeapObject.of(graph, index));
    }

    /** The object with this id; throws if the dump has none. */
    public HeapObject object(long id) {
        return findObject(id).orElseThrow(() -> new IllegalArgumentException("no object with id 0x" + Long.toHexString(id)));
    }

    /** The object at a dense index. */
    public HeapObject objectAt(int index) {
        return HeapObject.of(graph, index);
    }

    /** The class of this Java name ({@code java.util.HashMap$Node}, {@code int[]}), the first if several loaders define it; null if none. */
    public HeapClass findClass(String name) {
        int c = graph.classes().find(name);
        return c < 0 ? null : new HeapClass(graph, c);
    }

    /** Every class of this name, one per defining loader. */
    public List<HeapClass> classes(String name) {
        IntList found = graph.classes().byName(name);
        List<HeapClass> out = new ArrayList<>(found.size());
        found.forEach(c -> out.add(new HeapClass(graph, c)));
        return out;
    }

    /** Dense indices of every instance of the named class(es), subclasses excluded. */
    public RoaringBitmap instanceIndices(String className) {
        RoaringBitmap all = new RoaringBitmap();
        for (HeapClass c : classes(className)) {
            all.or(c.instances());
        }
        return all;
    }

    /** Views of every instance of the named class(es), subclasses excluded. */
    public List<HeapObject> instancesOf(String className) {
        List<HeapObject> out = new ArrayList<>();
        instanceIndices(className).forEach((int i) -> out.add(HeapObject.of(graph, i)));
        return out;
    }

    /** Whether the whole dump was read (always true unless opened leniently). */
    public boolean complete() {
        return graph.readResult().complete() && file.decompressionProblem() == null;
    }

    /**
     * What the reader noticed: an unusable snapshot sidecar, skipped records, dangling references, and
     * in lenient mode what was lost.
     */
    public List<String> warnings() {
        if (openWarnings.isEmpty()) {
            return graph.warnings();
        }
        List<String> all = new ArrayList<>(openWarnings);
        all.addAll(graph.warnings());
        return all;
    }

    /**
     * Runs {@code background} on a thread of its own while {@code foreground} runs on this one, and
     * returns when both are done; an exception from either is thrown here, as it was thrown.
     */
    private static void alongside(Runnable background, Runnable foreground) {
        Parallel.run("heaplens-analysis", 2, part -> (part == 0 ? foreground : background).run());
    }

    /** A short summary: file, objects, classes, roots, bytes. */
    @Override
    public String toString() {
        Histogram h = histogram();
        return String.format("%s: %,d objects, %,d classes with instances, %,d GC roots, %,d bytes shallow; layout %s (%s)%s",
                file.path(), graph.objectCount(), h.classCount(), graph.roots().size(), h.totalBytes(), graph.layout(), layoutSource,
                complete() ? "" : " (INCOMPLETE: " + String.join("; ", graph.warnings()) + ")");
    }

    /** Releases the mapped file (and a decompressed copy of a gzip dump). */
    @Override
    public void close() {
        file.close();
    }
}

package dev.heaplens.diff;

import dev.heaplens.Heap;
import dev.heaplens.HeapOptions;
import dev.heaplens.analysis.DominatorTree;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.text.TextTable;
import it.unimi.dsi.fastutil.ints.IntArrays;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a diff needs of one dump, detached from it: objects, shallow and retained bytes per class
 * (classes keyed by name and loader, {@link ClassKey}) and per {@link RetentionPath}. A summary is
 * small (a few arrays per class and per path), so a series of dumps is summarised one dump at a
 * time and never held open together.
 *
 * <pre>{@code
 * HeapSummary before = HeapSummary.of(Path.of("before.hprof"));
 * HeapSummary after = HeapSummary.of(Path.of("after.hprof"));
 * System.out.println(HeapDiff.of(before, after));
 * }</pre>
 *
 * <p><b>How paths are formed.</b> The dominator tree ({@link Heap#dominators()}: MAT's convention,
 * thread locals held by their thread) is folded by path. Each reachable object's path is its
 * immediate dominator's path plus one step, how the dominator holds it:
 * <ul>
 * <li>a class object starts a path of its own ({@code class Foo}), whatever dominates it: its statics
 *     are what most leaks hang from, and classes live as long as their loader;</li>
 * <li>an object only the virtual super-root dominates starts a path at its GC root: a live thread
 *     ({@code thread "main"}) or the kind of root ({@code GC root: JNI global});</li>
 * <li>otherwise the step is the first field of the dominator that references it ({@code .table}),
 *     {@code static Foo.BAR} from a class, {@code [*]} for any element of an array, a thread's
 *     {@code local variable}, a class's {@code <classloader>}-like link, or {@code *} when the
 *     dominator holds it only through several objects of its own;</li>
 * <li>an object of the same class as its dominator stays on its dominator's path: the links of a
 *     chain ({@code HashMap$Node.next}, {@code ConcurrentHashMap} bins, {@code TreeMap$Entry.left})
 *     fold into the path of the first, so a map of 10,000 entries is one path, not 10,000 deep.</li>
 * </ul>
 * Each path counts the objects whose path it is and their shallow bytes; its retained bytes are
 * those of every object on it or on a longer path below it: what its objects retain together,
 * minus classes, which are paths of their own. The paths thus partition the reachable heap: the
 * retained bytes of the path starts add up to {@link #reachableBytes()}.
 *
 * <p>Why the dominator tree and not the shortest-path tree: retained bytes then add up exactly (a
 * path's objects own disjoint subtrees), and an object held from two places is named by what holds
 * both, not by whichever the search happened to reach first.
 */
public final class HeapSummary {
    /** Rows {@link #toString()} prints. */
    public static final int DEFAULT_ROWS = 20;

    private final Path source;
    private final int objectCount;
    private final int reachableCount;
    private final long reachableBytes;
    private final long totalBytes;
    private final PathTable table;
    private final long[] pathCount;
    private final long[] pathShallow;
    private final long[] pathRetained;
    private final long[] classCount;
    private final long[] classShallow;
    private final long[] classRetained;

    private HeapSummary(Path source, ObjectGraph graph, DominatorTree tree, PathTable table, PathAggregator paths,
                        long[] classCount, long[] classShallow, long[] classRetained) {
        this.source = source;
        this.objectCount = graph.objectCount();
        this.reachableCount = tree.reachableCount();
        this.reachableBytes = tree.reachableBytes();
        long total = 0;
        for (long b : classShallow) {
            total += b;
        }
        this.totalBytes = total;
        this.table = table;
        this.pathCount = paths.count.toLongArray();
        this.pathShallow = paths.shallow.toLongArray();
        this.pathRetained = pathShallow.clone();
        // children have larger ids than their parents: one backwards pass sums every subtree
        for (int node = pathRetained.length - 1; node >= 0; node--) {
            int parent = table.parent(node);
            if (parent >= 0) {
                pathRetained[parent] += pathRetained[node];
            }
        }
        this.classCount = classCount;
        this.classShallow = classShallow;
        this.classRetained = classRetained;
    }

    /** Summarises an opened heap (computing its dominator tree if it was not yet). */
    public static HeapSummary of(Heap heap) {
        return of(heap.path(), heap.graph(), heap.dominators());
    }

    /** Opens a dump (plain or gzip), summarises it and closes it. */
    public static HeapSummary of(Path dump) {
        return of(dump, HeapOptions.defaults());
    }

    /** Opens a dump with options (e.g. lenient), summarises it and closes it. */
    public static HeapSummary of(Path dump, HeapOptions options) {
        try (Heap heap = Heap.open(dump, options)) {
            return of(heap);
        }
    }

    /** Summarises a graph with its dominator tree; {@code source} names the dump (may be null). */
    public static HeapSummary of(Path source, ObjectGraph graph, DominatorTree tree) {
        if (tree.graph() != graph) {
            throw new IllegalArgumentException("the dominator tree is of another graph");
        }
        ClassKey[] keys = ClassKey.of(graph);
        PathTable table = new PathTable();
        for (ClassKey key : keys) {
            table.classId(key);
        }
        PathAggregator paths = PathAggregator.run(graph, tree, keys, table);
        int classes = table.classCount();
        long[] count = new long[classes];
        long[] shallow = new long[classes];
        long[] retained = new long[classes];
        long[] retainedByIndex = tree.classRetainedSizes();
        int[] idOf = new int[keys.length];
        for (int c = 0; c < keys.length; c++) {
            idOf[c] = table.findClass(keys[c]);
            // two classes of one key (rare: a loader not in the dump) are one row
            retained[idOf[c]] += retainedByIndex[c];
        }
        for (int obj = 0, n = graph.objectCount(); obj < n; obj++) {
            int id = idOf[graph.classOf(obj)];
            count[id]++;
            shallow[id] += graph.shallowSize(obj);
        }
        return new HeapSummary(source, graph, tree, table, paths, count, shallow, retained);
    }

    /** The dump summarised, if known. */
    public Path source() {
        return source;
    }

    /** Objects in the dump. */
    public int objectCount() {
        return objectCount;
    }

    /** Objects a GC root reaches: those on some path. */
    public int reachableCount() {
        return reachableCount;
    }

    /** Shallow bytes of the reachable objects: the retained bytes of all path starts together. */
    public long reachableBytes() {
        return reachableBytes;
    }

    /** Shallow bytes of every object in the dump. */
    public long totalBytes() {
        return totalBytes;
    }

    /** Number of distinct paths. */
    public int pathCount() {
        return pathCount.length;
    }

    /** Every path, parents before their children. */
    public List<RetentionPath> paths() {
        List<RetentionPath> out = new ArrayList<>(pathCount.length);
        for (int node = 0; node < pathCount.length; node++) {
            out.add(table.path(node));
        }
        return out;
    }

    /** Objects whose path is {@code path}; 0 if the dump has no such path. */
    public long count(RetentionPath path) {
        int node = table.find(path);
        return node < 0 ? 0 : pathCount[node];
    }

    /** Shallow bytes of the objects whose path is {@code path}. */
    public long shallowBytes(RetentionPath path) {
        int node = table.find(path);
        return node < 0 ? 0 : pathShallow[node];
    }

    /** Bytes the objects on {@code path} and on the longer paths below it hold. */
    public long retainedBytes(RetentionPath path) {
        int node = table.find(path);
        return node < 0 ? 0 : pathRetained[node];
    }

    /** Instances of a class (class objects count under {@code java.lang.Class}); 0 if the dump lacks it. */
    public long instanceCount(ClassKey key) {
        int id = table.findClass(key);
        return id < 0 ? 0 : classCount[id];
    }

    // ---- for Alignment ------------------------------------------------------------------------------

    PathTable table() {
        return table;
    }

    long pathCount(int node) {
        return pathCount[node];
    }

    long pathShallow(int node) {
        return pathShallow[node];
    }

    long pathRetained(int node) {
        return pathRetained[node];
    }

    long classCount(int id) {
        return classCount[id];
    }

    long classShallow(int id) {
        return classShallow[id];
    }

    long classRetained(int id) {
        return classRetained[id];
    }

    /** A header line, then the paths holding the most shallow bytes themselves. */
    @Override
    public String toString() {
        int[] order = new int[pathCount.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        IntArrays.quickSort(order, (a, b) -> Long.compare(pathShallow[b], pathShallow[a]));
        TextTable t = new TextTable("count", "shallow bytes", "retained bytes", "path").alignRight(0, 1, 2);
        int rows = Math.min(DEFAULT_ROWS, order.length);
        for (int i = 0; i < rows; i++) {
            int node = order[i];
            t.row(TextTable.number(pathCount[node]), TextTable.bytes(pathShallow[node]), TextTable.bytes(pathRetained[node]),
                    table.path(node));
        }
        if (rows < order.length) {
            t.footer("… " + TextTable.number(order.length - rows) + " more paths");
        }
        return (source == null ? "heap" : source.toString()) + ": " + TextTable.number(objectCount) + " objects, "
                + TextTable.number(reachableCount) + " reachable (" + TextTable.humanBytes(reachableBytes) + ") on "
                + TextTable.number(pathCount.length) + " paths\n" + t;
    }
}

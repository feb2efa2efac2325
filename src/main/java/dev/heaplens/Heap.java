package dev.heaplens;

import dev.heaplens.analysis.Histogram;
import dev.heaplens.graph.GraphBuilder;
import dev.heaplens.graph.HeapClass;
import dev.heaplens.graph.HeapObject;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.hprof.HprofFile;
import it.unimi.dsi.fastutil.ints.IntList;
import org.roaringbitmap.RoaringBitmap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The front door: an opened heap dump, ready to analyse.
 *
 * <pre>{@code
 * try (Heap heap = Heap.open(Path.of("app.hprof"))) {
 *     System.out.println(heap.histogram().top(20));      // prints a table
 *     HeapClass sessions = heap.findClass("com.acme.Session");
 *     heap.instancesOf("com.acme.Session").forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>The dump is memory-mapped read-only and never written; close the heap to release it.
 */
public final class Heap implements AutoCloseable {
    private final HprofFile file;
    private final ObjectGraph graph;
    private Histogram histogram;

    private Heap(HprofFile file, ObjectGraph graph) {
        this.file = file;
        this.graph = graph;
    }

    /** Opens a dump (plain or gzip) with default options: strict, VM layout inferred. */
    public static Heap open(Path dump) {
        return open(dump, HeapOptions.defaults());
    }

    /**
     * Opens a dump.
     *
     * @throws dev.heaplens.hprof.HprofFormatException if the dump is malformed or truncated (and
     *                                                 not {@linkplain HeapOptions#lenient() lenient})
     */
    public static Heap open(Path dump, HeapOptions options) {
        HprofFile file = HprofFile.open(dump, options.chunkBits(), options.lenient());
        try {
            ObjectGraph graph = new GraphBuilder(file).lenient(options.lenient()).layout(options.layout())
                    .threads(options.threads()).build();
            return new Heap(file, graph);
        } catch (RuntimeException | Error e) {
            file.close();
            throw e;
        }
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
    public synchronized Histogram histogram() {
        if (histogram == null) {
            histogram = Histogram.of(graph);
        }
        return histogram;
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

    /** What the reader noticed: skipped records, dangling references, and in lenient mode what was lost. */
    public List<String> warnings() {
        return graph.warnings();
    }

    /** A short summary: file, objects, classes, roots, bytes. */
    @Override
    public String toString() {
        Histogram h = histogram();
        return String.format("%s: %,d objects, %,d classes with instances, %,d GC roots, %,d bytes shallow; layout %s%s",
                file.path(), graph.objectCount(), h.classCount(), graph.roots().size(), h.totalBytes(), graph.layout(),
                complete() ? "" : " (INCOMPLETE: " + String.join("; ", warnings()) + ")");
    }

    /** Releases the mapped file (and a decompressed copy of a gzip dump). */
    @Override
    public void close() {
        file.close();
    }
}

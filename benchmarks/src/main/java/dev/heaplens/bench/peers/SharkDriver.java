package dev.heaplens.bench.peers;

import shark.CloseableHeapGraph;
import shark.HeapObject.HeapInstance;
import shark.HeapObject.HeapObjectArray;
import shark.HeapObject.HeapPrimitiveArray;
import shark.HprofHeapGraph;
import shark.HprofIndex;
import shark.internal.ObjectDominators;

import java.io.File;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The work of {@code heaplens analyze} done by Square's Shark 2.14 (LeakCanary's analyser), in one
 * process: open and index the dump, a class histogram, and the dominator tree with the retained size
 * of every object.
 *
 * <ol>
 *   <li><b>Open</b>: {@code HprofHeapGraph.openHeapGraph(file)} (shark-graph) with Shark's default
 *       indexed root kinds: Shark's in-memory index of every object (id, class, position).</li>
 *   <li><b>Histogram</b>: {@code graph.instances}, {@code objectArrays}, {@code primitiveArrays},
 *       counted and summed per class with Shark's sizes ({@code HeapInstance.byteSize}: the field
 *       bytes of the class dump, no header; arrays: {@code readByteSize()}, elements only; class
 *       objects are not in the histogram, as in heaplens' count of instances by class).</li>
 *   <li><b>Retained sizes of everything</b>: {@code shark.internal.ObjectDominators.renderDominatorTree},
 *       Shark's only public entry to a whole-heap dominator tree: {@code PathFinder} walks the whole graph breadth-first from the GC roots with
 *       {@code computeRetainedHeapSize = true}, keeping an approximate dominator per object
 *       (the lowest common ancestor of its parents met so far, {@code shark.internal.DominatorTree}),
 *       then {@code buildFullDominatorTree} makes a node with retained size and count for every
 *       reachable object. Rendering is asked for root dominators of over 1 MB only, so printing costs
 *       nothing next to the tree.</li>
 * </ol>
 *
 * <p>Prints one {@code RESULT} line the comparison parses: objects (classes + instances + arrays of
 * Shark's index), classes with instances, total shallow bytes in Shark's model, and the largest
 * retained size of a root dominator (Shark's sizes; a {@code String} counts its {@code value} array).
 *
 * <pre>
 * java -Xmx8g -cp benchmarks.jar dev.heaplens.bench.peers.SharkDriver DUMP.hprof
 * </pre>
 */
public final class SharkDriver {

    /** A depth-0 line of the rendered tree: {@code "class #index Retained: N bytes (M self) …"}. */
    private static final Pattern RETAINED = Pattern.compile("^(\\S.*?) #\\d+ Retained: (\\d+) bytes");

    private SharkDriver() {
    }

    public static void main(String[] args) throws Exception {
        File file = new File(args[0]);
        long start = System.nanoTime();
        try (CloseableHeapGraph graph = HprofHeapGraph.Companion.openHeapGraph(file, null,
                HprofIndex.Companion.defaultIndexedGcRootTags())) {
            long opened = System.nanoTime();

            Map<Object, long[]> histogram = new HashMap<>(); // class id (or primitive type) -> {count, bytes}
            long shallow = 0;
            for (Iterator<HeapInstance> it = graph.getInstances().iterator(); it.hasNext(); ) {
                HeapInstance i = it.next();
                shallow += add(histogram, i.getInstanceClassId(), i.getByteSize());
            }
            for (Iterator<HeapObjectArray> it = graph.getObjectArrays().iterator(); it.hasNext(); ) {
                HeapObjectArray a = it.next();
                shallow += add(histogram, a.getArrayClassId(), a.readByteSize());
            }
            for (Iterator<HeapPrimitiveArray> it = graph.getPrimitiveArrays().iterator(); it.hasNext(); ) {
                HeapPrimitiveArray a = it.next();
                shallow += add(histogram, a.getPrimitiveType(), a.readByteSize());
            }
            long histogrammed = System.nanoTime();

            String tree = new ObjectDominators().renderDominatorTree(graph, List.of(), 1 << 20, null, false);
            long dominated = System.nanoTime();
            long largest = -1;
            String largestClass = "?";
            for (String line : tree.split("\n")) {
                Matcher m = RETAINED.matcher(line);
                if (m.find() && Long.parseLong(m.group(2)) > largest) {
                    largest = Long.parseLong(m.group(2));
                    largestClass = m.group(1);
                }
            }
            String total = tree.lines().findFirst().orElse("");
            long objects = (long) graph.getClassCount() + graph.getInstanceCount() + graph.getObjectArrayCount()
                    + graph.getPrimitiveArrayCount();
            System.out.printf("RESULT tool=shark objects=%d classesWithInstances=%d shallow=%d largestRetained=%d"
                            + " largestClass=%s openMs=%d histogramMs=%d retainedMs=%d | %s%n",
                    objects, histogram.size(), shallow, largest, largestClass.replace(' ', '_'),
                    ms(start, opened), ms(opened, histogrammed), ms(histogrammed, dominated), total);
        }
    }

    private static int add(Map<Object, long[]> histogram, Object key, int bytes) {
        long[] row = histogram.computeIfAbsent(key, k -> new long[2]);
        row[0]++;
        row[1] += bytes;
        return bytes;
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }
}

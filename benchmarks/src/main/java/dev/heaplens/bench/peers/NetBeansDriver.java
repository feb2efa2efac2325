package dev.heaplens.bench.peers;

import org.netbeans.lib.profiler.heap.Heap;
import org.netbeans.lib.profiler.heap.HeapFactory;
import org.netbeans.lib.profiler.heap.Instance;
import org.netbeans.lib.profiler.heap.JavaClass;

import java.io.File;
import java.util.List;

/**
 * The work of {@code heaplens analyze} done by NetBeans' profiler heap library
 * ({@code org-netbeans-lib-profiler} RELEASE250, the engine of VisualVM's heap walker), in one
 * process: open and index the dump, a class histogram, and the retained size of every object.
 *
 * <ol>
 *   <li><b>Open</b>: {@code HeapFactory.createHeap(file)}: NetBeans' first pass over the dump and
 *       its index of every object (written to temporary files, and to {@code DUMP.nbcache} beside the
 *       dump when the directory is writable; the comparison deletes both before every run so each
 *       run is cold).</li>
 *   <li><b>Histogram</b>: {@code heap.getAllClasses()}, each class's {@code getInstancesCount()}
 *       and {@code getAllInstancesSize()} (instances and arrays; NetBeans' size model: a header of two
 *       identifiers, references as wide as an identifier, arrays 8 bytes more, no alignment).</li>
 *   <li><b>Retained sizes of everything</b>: {@code heap.getBiggestObjectsByRetainedSize(10)}:
 *       its first call computes the dominator tree and every instance's retained size (NetBeans'
 *       {@code computeRetainedSize}), then picks the ten largest. The largest's
 *       {@code getRetainedSize()} is printed.</li>
 * </ol>
 *
 * <pre>
 * java -Xmx8g -cp benchmarks.jar dev.heaplens.bench.peers.NetBeansDriver DUMP.hprof
 * </pre>
 */
public final class NetBeansDriver {

    private NetBeansDriver() {
    }

    public static void main(String[] args) throws Exception {
        File file = new File(args[0]);
        long start = System.nanoTime();
        Heap heap = HeapFactory.createHeap(file);
        long opened = System.nanoTime();

        long objects = 0;
        long shallow = 0;
        int withInstances = 0;
        List<?> classes = heap.getAllClasses();
        for (Object o : classes) {
            JavaClass c = (JavaClass) o;
            int count = c.getInstancesCount();
            objects += count;
            shallow += c.getAllInstancesSize();
            if (count > 0) {
                withInstances++;
            }
        }
        long histogrammed = System.nanoTime();

        List<?> biggest = heap.getBiggestObjectsByRetainedSize(10);
        long dominated = System.nanoTime();
        Instance largest = (Instance) biggest.get(0);
        System.out.printf("RESULT tool=netbeans objects=%d classesWithInstances=%d shallow=%d largestRetained=%d"
                        + " largestClass=%s openMs=%d histogramMs=%d retainedMs=%d | classes %d (objects: instances and"
                        + " arrays, %d class objects not counted)%n",
                objects, withInstances, shallow, largest.getRetainedSize(), largest.getJavaClass().getName(),
                ms(start, opened), ms(opened, histogrammed), ms(histogrammed, dominated), classes.size(), classes.size());
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }
}

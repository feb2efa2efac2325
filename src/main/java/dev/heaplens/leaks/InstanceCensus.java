package dev.heaplens.leaks;

import dev.heaplens.analysis.ShortestPaths.Reachability;
import dev.heaplens.graph.ClassTable;
import dev.heaplens.graph.HeapClass;
import dev.heaplens.graph.HeapInstance;
import dev.heaplens.graph.HeapObject;
import dev.heaplens.graph.ObjectGraph;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntArrays;

import java.util.ArrayList;
import java.util.List;

/**
 * The instances of one class, subclasses included, in a live dump of this JVM, split into those the
 * garbage collector cannot reclaim (strongly reachable) and those held only through referents of
 * soft, weak, phantom or final references (which it can).
 *
 * @param className         the class's Java name
 * @param strong            dense indices of the strongly reachable instances, in dump order
 * @param referentsOnly     how many instances are held only through referents
 * @param strongShallowBytes the shallow bytes of the strongly reachable instances
 */
record InstanceCensus(String className, IntArrayList strong, int referentsOnly, long strongShallowBytes) {

    /** Counts the instances of the class {@code probe} points at. */
    static InstanceCensus of(StrongPaths paths, TypeProbe probe) {
        ObjectGraph graph = paths.heap().graph();
        ClassTable classes = graph.classes();
        int c = classOf(paths, probe);
        boolean[] counted = new boolean[classes.size()];
        for (int k = 0; k < counted.length; k++) {
            counted[k] = classes.isSubclassOf(k, c);
        }
        IntArrayList strong = new IntArrayList();
        int referentsOnly = 0;
        long bytes = 0;
        for (int obj = 0, n = graph.objectCount(); obj < n; obj++) {
            if (counted[graph.classOf(obj)] && !graph.isClassObject(obj)) {
                if (paths.stronglyReachable(obj)) {
                    strong.add(obj);
                    bytes += graph.shallowSize(obj);
                } else if (paths.reachability(obj) == Reachability.REFERENTS_ONLY) {
                    referentsOnly++;
                }
            }
        }
        return new InstanceCensus(probe.type.getName(), strong, referentsOnly, bytes);
    }

    /** The class-table index of the class the probe in the dump points at. */
    private static int classOf(StrongPaths paths, TypeProbe probe) {
        for (HeapObject o : paths.heap().instancesOf(TypeProbe.class.getName())) {
            HeapInstance p = (HeapInstance) o;
            if ((long) p.get("key") == probe.key) {
                if (p.get("type") instanceof HeapClass c) {
                    return c.classIndex();
                }
                break;
            }
        }
        throw new IllegalStateException("the heap dump " + paths.heap().path() + " lacks the class object of "
                + probe.type.getName());
    }

    /** Number of strongly reachable instances. */
    int count() {
        return strong.size();
    }

    /** Traces of up to {@code n} strongly reachable instances, those retaining most first (ties in dump order). */
    List<LeakTrace> traces(StrongPaths paths, int n) {
        if (strong.size() > n) {
            paths.rankByRetainedSize();
        }
        long[] sizes = new long[strong.size()];
        int[] order = new int[strong.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = paths.retainedSize(strong.getInt(i));
            order[i] = i;
        }
        IntArrays.mergeSort(order, (a, b) -> Long.compare(sizes[b], sizes[a])); // stable: ties keep dump order
        List<LeakTrace> traces = new ArrayList<>(Math.min(n, order.length));
        for (int i = 0; i < Math.min(n, order.length); i++) {
            int k = order[i];
            traces.add(paths.trace(strong.getInt(k), "instance " + (i + 1) + " of " + strong.size() + " of " + className, sizes[k]));
        }
        return traces;
    }
}

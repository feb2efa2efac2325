package dev.heaplens.testing;

import dev.heaplens.Heap;
import dev.heaplens.analysis.Histogram;
import dev.heaplens.analysis.HistogramRow;
import dev.heaplens.graph.ClassNames;
import dev.heaplens.graph.HeapObject;
import dev.heaplens.graph.HeapObjectArray;
import dev.heaplens.graph.ObjectGraph;
import org.roaringbitmap.RoaringBitmap;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * heaplens' histogram of a dump against {@code jcmd GC.class_histogram} of the same quiescent JVM,
 * class by class (summed over loaders), count and bytes: the exactness oracle of DESIGN.md.
 *
 * <p>One difference is expected and measured rather than excused: with class data sharing on, the
 * JVM counts the archived {@code java.lang.Class} mirrors of shared classes it never loaded, which
 * HotSpot's dumper leaves out ({@link #missingMirrors()} counts them). With {@code -Xshare:off} there
 * are none and every class must match.
 *
 * @param jvm            the JVM's histogram by JVM class name
 * @param heaplens       heaplens' rows by JVM class name
 * @param mismatches     classes whose count or bytes differ: "heaplens vs jvm"
 * @param missingMirrors distinct ids the dump references but lacks (the unloaded archived mirrors)
 * @param javaFeature    the JDK release heaplens' layout used
 */
public record HistogramComparison(Map<String, JcmdHistogram.Entry> jvm, Map<String, HistogramRow> heaplens,
                                  Map<String, String> mismatches, long missingMirrors, int javaFeature) {

    /** A dump action of a test: jcmd, or a heaplens capture. */
    public interface DumpAction {
        void dump() throws Exception;
    }

    /**
     * Runs {@code dump} between two {@code GC.class_histogram}s of {@code child} until both agree (up
     * to three tries), and returns that histogram: the state the dump saw.
     */
    public static Map<String, JcmdHistogram.Entry> aroundDump(ChildJvm child, DumpAction dump) throws Exception {
        Map<String, JcmdHistogram.Entry> before = null;
        Map<String, JcmdHistogram.Entry> after = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            before = JcmdHistogram.parse(child.jcmd("GC.class_histogram"));
            dump.dump();
            after = JcmdHistogram.parse(child.jcmd("GC.class_histogram"));
            if (before.equals(after)) {
                break;
            }
        }
        assertEquals(before, after, "the child was not quiescent across the dump");
        return before;
    }

    /** Compares the opened dump's histogram to the JVM's. */
    public static HistogramComparison of(Heap heap, Map<String, JcmdHistogram.Entry> jvm) {
        return of(heap, jvm, heap.histogram());
    }

    /**
     * Compares the histogram of the dump's objects but {@code excluded} to the JVM's: for a dump taken
     * through JMX, the objects of the dump request in flight ({@link DumpRequestObjects}).
     */
    public static HistogramComparison of(Heap heap, Map<String, JcmdHistogram.Entry> jvm, RoaringBitmap excluded) {
        return of(heap, jvm, Histogram.of(heap.graph(), i -> !excluded.contains(i)));
    }

    private static HistogramComparison of(Heap heap, Map<String, JcmdHistogram.Entry> jvm, Histogram histogram) {
        Map<String, HistogramRow> ours = new TreeMap<>();
        for (HistogramRow r : histogram.rows()) {
            ours.merge(ClassNames.toJvmHistogramName(r.className()), r,
                    (a, b) -> new HistogramRow(a.className(), a.classIndex(), a.count() + b.count(), a.shallowBytes() + b.shallowBytes()));
        }
        Map<String, String> mismatches = new TreeMap<>();
        SortedSet<String> names = new TreeSet<>(jvm.keySet());
        names.addAll(ours.keySet());
        for (String name : names) {
            JcmdHistogram.Entry j = jvm.getOrDefault(name, new JcmdHistogram.Entry(0, 0));
            HistogramRow h = ours.get(name);
            long count = h == null ? 0 : h.count();
            long bytes = h == null ? 0 : h.shallowBytes();
            if (count != j.count() || bytes != j.bytes()) {
                mismatches.put(name, count + " objects / " + bytes + " bytes vs " + j.count() + " / " + j.bytes());
            }
        }
        return new HistogramComparison(jvm, ours, mismatches, missingMirrors(heap.graph()), heap.graph().layout().javaFeature());
    }

    /** Asserts the one documented CDS difference at most: {@code java.lang.Class} short by exactly the missing mirrors. */
    public void assertExactButForArchivedMirrors(String context) {
        Map<String, String> rest = new TreeMap<>(mismatches);
        if (missingMirrors > 0) {
            JcmdHistogram.Entry j = jvm.get("java.lang.Class");
            HistogramRow h = heaplens.get("java.lang.Class");
            assertEquals(j.count(), h.count() + missingMirrors,
                    "java.lang.Class: the JVM counts every mirror; the dump lacks exactly the unloaded archived ones");
            rest.remove("java.lang.Class");
        }
        assertEquals(Map.of(), rest, "classes whose count or bytes differ from jcmd GC.class_histogram (heaplens vs jvm), "
                + context);
    }

    /** Distinct ids referenced from the dump's object arrays but not in it: with CDS, the unloaded archived mirrors. */
    static long missingMirrors(ObjectGraph graph) {
        Set<Long> missing = new HashSet<>();
        for (int obj = 0; obj < graph.objectCount(); obj++) {
            if (HeapObject.of(graph, obj) instanceof HeapObjectArray array) {
                for (int i = 0; i < array.length(); i++) {
                    long id = array.elementId(i);
                    if (id != 0 && graph.indexOf(id) < 0) {
                        missing.add(id);
                    }
                }
            }
        }
        return missing.size();
    }
}

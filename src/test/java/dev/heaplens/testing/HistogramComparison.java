package dev.heaplens.testing;

import dev.heaplens.Heap;
import dev.heaplens.analysis.Histogram;
import dev.heaplens.analysis.HistogramRow;
import dev.heaplens.graph.ClassNames;
import dev.heaplens.graph.HeapObject;
import dev.heaplens.graph.HeapObjectArray;
import dev.heaplens.graph.ObjectGraph;

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
 * are none and every class must match. The JVM's filler arrays (JDK 21+) count as the {@code int[]}
 * the dumper writes them as ({@link #withFillersAsIntArrays}).
 *
 * @param jvm            the JVM's histogram by JVM class name
 * @param heaplens       heaplens' rows by JVM class name
 * @param mismatches     classes whose count or bytes differ: "heaplens vs jvm"
 * @param missingMirrors distinct ids the dump references but lacks (the unloaded archived mirrors)
 * @param javaFeature    the JDK release heaplens' layout used
 */
public record HistogramComparison(Map<String, JcmdHistogram.Entry> jvm, Map<String, HistogramRow> heaplens,
                                  Map<String, String> mismatches, long missingMirrors, int javaFeature) {

    /** How {@code GC.class_histogram} names the collector's filler arrays (JDK 21+). */
    static final String FILLER_ARRAY = "[Ljdk.internal.vm.FillerElement;";

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
        if (!before.equals(after)) {
            Map<String, String> changed = new TreeMap<>();
            SortedSet<String> names = new TreeSet<>(before.keySet());
            names.addAll(after.keySet());
            for (String name : names) {
                if (!java.util.Objects.equals(before.get(name), after.get(name))) {
                    changed.put(name, before.get(name) + " -> " + after.get(name));
                }
            }
            throw new AssertionError("the child was not quiescent across the dump: " + changed);
        }
        return before;
    }

    /**
     * Takes {@code GC.class_histogram}s of {@code child} until two in a row agree (up to five): the
     * first full collections of a fresh JVM still run its cleaners and unload its spent hidden classes.
     */
    public static void settle(ChildJvm child) throws Exception {
        Map<String, JcmdHistogram.Entry> last = JcmdHistogram.parse(child.jcmd("GC.class_histogram"));
        for (int i = 0; i < 5; i++) {
            Map<String, JcmdHistogram.Entry> next = JcmdHistogram.parse(child.jcmd("GC.class_histogram"));
            if (next.equals(last)) {
                return;
            }
            last = next;
        }
        throw new AssertionError("the child's heap did not settle after 6 full collections");
    }

    /** Compares the opened dump's histogram to the JVM's. */
    public static HistogramComparison of(Heap heap, Map<String, JcmdHistogram.Entry> jvm) {
        return of(heap, jvm, heap.histogram());
    }

    private static HistogramComparison of(Heap heap, Map<String, JcmdHistogram.Entry> jvmRows, Histogram histogram) {
        Map<String, JcmdHistogram.Entry> jvm = withFillersAsIntArrays(jvmRows);
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

    /**
     * The JVM's rows with its filler arrays counted as {@code int[]}: since JDK 21 the collector fills
     * dead heap space with {@code jdk.internal.vm.FillerElement[]} objects, which the histogram names so
     * and HotSpot's heap dumper writes as {@code int[]} of the same size (a naming difference, not a
     * size one: counts and bytes carry over exactly).
     */
    static Map<String, JcmdHistogram.Entry> withFillersAsIntArrays(Map<String, JcmdHistogram.Entry> jvm) {
        JcmdHistogram.Entry fillers = jvm.get(FILLER_ARRAY);
        if (fillers == null) {
            return jvm;
        }
        Map<String, JcmdHistogram.Entry> out = new TreeMap<>(jvm);
        out.remove(FILLER_ARRAY);
        JcmdHistogram.Entry ints = out.getOrDefault("[I", new JcmdHistogram.Entry(0, 0));
        out.put("[I", new JcmdHistogram.Entry(ints.count() + fillers.count(), ints.bytes() + fillers.bytes()));
        return out;
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

package dev.heaplens.analysis;

import dev.heaplens.graph.ClassKind;
import dev.heaplens.graph.ClassTable;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.hprof.HprofWindow;
import dev.heaplens.text.TextTable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Instances of the primitive wrappers ({@code Integer}, {@code Long}, {@code Short}, {@code Byte},
 * {@code Character}, {@code Boolean}, {@code Float}, {@code Double}): how many, how many distinct
 * values, and what sharing equal values would save.
 *
 * <p><b>Wasted bytes</b> (the one figure this analysis gives): for each class, (count − distinct
 * values) × the shallow size of one box, i.e. the boxes a canonicalising cache such as
 * {@code Integer.valueOf}'s would make unnecessary if every equal value shared one instance. Values
 * are compared by their bits ({@code 0.0} and {@code -0.0} are distinct, as {@code Double.equals}
 * has them). Replacing boxes by primitive fields would save more (the box and the reference, less
 * the primitive), but how much depends on the holders' layouts, which this does not model.
 *
 * <pre>{@code
 * BoxedPrimitives boxes = BoxedPrimitives.of(graph);
 * System.out.println(boxes);
 * long duplicateIntegers = boxes.row("java.lang.Integer").duplicates();
 * }</pre>
 */
public final class BoxedPrimitives {
    /** The wrapper classes, in the order rows with equal waste are listed. */
    static final List<String> CLASSES = List.of("java.lang.Integer", "java.lang.Long", "java.lang.Double", "java.lang.Float",
            "java.lang.Short", "java.lang.Character", "java.lang.Byte", "java.lang.Boolean");

    /**
     * One wrapper class.
     *
     * @param className    e.g. {@code java.lang.Integer}
     * @param count        number of instances
     * @param shallowBytes their shallow bytes
     * @param distinct     number of distinct values among them
     * @param duplicates   {@code count - distinct}: boxes another box of the same value could replace
     * @param wastedBytes  the duplicates' shallow bytes
     */
    public record Row(String className, long count, long shallowBytes, long distinct, long duplicates, long wastedBytes) {
    }

    private final List<Row> rows;
    private final long heapBytes;

    private BoxedPrimitives(List<Row> rows, long heapBytes) {
        this.rows = List.copyOf(rows);
        this.heapBytes = heapBytes;
    }

    /** Reads the {@code value} of every box: one pass to count, one to read, one sort per class. */
    public static BoxedPrimitives of(ObjectGraph graph) {
        return of(graph, Waste.heapBytes(graph));
    }


    static BoxedPrimitives of(ObjectGraph graph, long heapBytes) {
        ClassTable classes = graph.classes();
        int[] boxOf = new int[classes.size()];
        Arrays.fill(boxOf, -1);
        FieldSlot[] value = new FieldSlot[classes.size()];
        for (int b = 0; b < CLASSES.size(); b++) {
            for (int c : classes.byName(CLASSES.get(b))) {
                FieldSlot slot = FieldSlot.find(graph, c, "value");
                if (classes.kind(c) == ClassKind.INSTANCE && slot != null && slot.type().primitiveSize() > 0) {
                    boxOf[c] = b;
                    value[c] = slot;
                }
            }
        }
        int n = graph.objectCount();
        int[] counts = new int[CLASSES.size()];
        for (int obj = 0; obj < n; obj++) {
            int b = boxOf[graph.classOf(obj)];
            if (b >= 0) {
                counts[b]++;
            }
        }
        long[][] values = new long[CLASSES.size()][];
        for (int b = 0; b < values.length; b++) {
            values[b] = new long[counts[b]];
        }
        int[] filled = new int[CLASSES.size()];
        long[] bytes = new long[CLASSES.size()];
        // the boxes' values, read in address order through a window: none of the dump's pages they lie
        // in stays resident (through the mapping, h2-small's boxes held 80-120 MB of it at the peak)
        HprofWindow window = graph.file().window(HprofWindow.DEFAULT_CAPACITY);
        for (int obj = 0; obj < n; obj++) {
            int c = graph.classOf(obj);
            int b = boxOf[c];
            if (b >= 0) {
                values[b][filled[b]++] = value[c].raw(obj, window);
                bytes[b] += graph.shallowSize(obj);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int b = 0; b < values.length; b++) {
            long[] v = values[b];
            if (v.length == 0) {
                continue;
            }
            Arrays.sort(v);
            long distinct = 1;
            for (int i = 1; i < v.length; i++) {
                if (v[i] != v[i - 1]) {
                    distinct++;
                }
            }
            long duplicates = v.length - distinct;
            // every box of one class has the class's instance size, so the mean is that size exactly
            rows.add(new Row(CLASSES.get(b), v.length, bytes[b], distinct, duplicates, duplicates * (bytes[b] / v.length)));
        }
        rows.sort(Comparator.comparingLong(Row::wastedBytes).reversed()
                .thenComparing(r -> CLASSES.indexOf(r.className())));
        return new BoxedPrimitives(rows, heapBytes);
    }

    /** One row per wrapper class with instances, most wasted bytes first. */
    public List<Row> rows() {
        return rows;
    }

    /** The row of a wrapper class by Java name, or null if it has no instances. */
    public Row row(String className) {
        return rows.stream().filter(r -> r.className().equals(className)).findFirst().orElse(null);
    }

    /** Number of boxes. */
    public long count() {
        return rows.stream().mapToLong(Row::count).sum();
    }

    /** Number of boxes whose value another box also holds, over all classes. */
    public long duplicates() {
        return rows.stream().mapToLong(Row::duplicates).sum();
    }

    /** Bytes sharing equal values would save, over all classes. */
    public long wastedBytes() {
        return rows.stream().mapToLong(Row::wastedBytes).sum();
    }

    /** Shallow bytes of the whole heap, for percentages. */
    public long heapBytes() {
        return heapBytes;
    }

    /** One line: {@code Boxed primitives: 50,000 boxes, 40,000 of them duplicates of an equal value, waste 640,000 bytes (625.0 KB, 2.1% of the heap), most java.lang.Integer}. */
    public String summary() {
        if (rows.isEmpty()) {
            return "Boxed primitives: none";
        }
        return "Boxed primitives: " + TextTable.number(count()) + " boxes, " + TextTable.number(duplicates())
                + " of them duplicates of an equal value, waste " + Waste.share(wastedBytes(), heapBytes)
                + (rows.get(0).wastedBytes() > 0 ? ", most " + rows.get(0).className() : "");
    }

    /** The summary, then a table of the wrapper classes. */
    @Override
    public String toString() {
        if (rows.isEmpty()) {
            return summary() + "\n";
        }
        TextTable t = new TextTable("wasted bytes", "count", "shallow bytes", "distinct", "duplicates", "class")
                .alignRight(0, 1, 2, 3, 4);
        for (Row r : rows) {
            t.row(TextTable.bytes(r.wastedBytes()), TextTable.number(r.count()), TextTable.bytes(r.shallowBytes()),
                    TextTable.number(r.distinct()), TextTable.number(r.duplicates()), r.className());
        }
        t.footer("total: " + TextTable.number(count()) + " boxes, " + TextTable.number(duplicates()) + " duplicates waste "
                + TextTable.bytes(wastedBytes()) + " bytes (" + TextTable.humanBytes(wastedBytes()) + ") if equal values shared one box");
        return summary() + "\n" + t;
    }
}

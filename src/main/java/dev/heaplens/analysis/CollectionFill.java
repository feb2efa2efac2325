package dev.heaplens.analysis;

import dev.heaplens.graph.ClassKind;
import dev.heaplens.graph.ClassTable;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.graph.VmLayout;
import dev.heaplens.hprof.BasicType;
import dev.heaplens.text.TextTable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How full the JDK's array-backed collections are: per collection class, how many are empty, how
 * many sparse, their average fill, and the bytes of backing array a right-sized collection would not
 * need.
 *
 * <p>The classes (exact names, whichever loader): {@code HashMap}, {@code LinkedHashMap},
 * {@code HashSet} and {@code LinkedHashSet} (through their backing map, which is then counted in the
 * set's row and not again in the map's), {@code Hashtable}, {@code WeakHashMap},
 * {@code IdentityHashMap}, {@code ConcurrentHashMap}, {@code ArrayList}, {@code Vector} and
 * {@code ArrayDeque}. Subclasses (e.g. {@code Properties}, {@code Stack}) are not counted. The size
 * is read as {@link CollectionSize} reads it; the capacity is the length of the backing array
 * ({@code table}, {@code elementData}, {@code elements}), halved for {@code IdentityHashMap}, whose
 * table holds a key and a value per slot.
 *
 * <p><b>Rules</b>, in the graph's shallow size model:
 * <ul>
 * <li><b>empty</b>: size 0 (with or without a backing array);</li>
 * <li><b>sparse</b>: not empty, capacity above {@value #MIN_SPARSE_CAPACITY} (the default capacities
 *     of {@code HashMap}, {@code ArrayList} and {@code ArrayDeque} are not a fault), and size below
 *     {@value #SPARSE_FILL} of the capacity;</li>
 * <li><b>average fill</b>: the mean of size ÷ capacity over the instances with a backing array;</li>
 * <li><b>wasted bytes</b> of an instance: an empty one's whole backing array (a collection can
 *     allocate it on first use, as {@code new HashMap<>()} and {@code new ArrayList<>()} do); a
 *     non-empty one's backing array minus the array it would need right-sized, never below 0. Right-sized
 *     is: for the power-of-two hash tables ({@code HashMap} and its sets, {@code WeakHashMap},
 *     {@code ConcurrentHashMap}) the smallest power of two holding the size at load factor 0.75; for
 *     {@code Hashtable} ⌈size ÷ 0.75⌉; for {@code IdentityHashMap} what {@code new IdentityHashMap<>(size)}
 *     allocates; for {@code ArrayList} and {@code Vector} the size ({@code trimToSize()}); for
 *     {@code ArrayDeque} the size plus its one free slot. A backing array of length 0 (the JDK's shared
 *     empty array) wastes nothing.</li>
 * </ul>
 *
 * <pre>{@code
 * CollectionFill fill = CollectionFill.of(graph);
 * System.out.println(fill);                            // one row per collection class, most waste first
 * long emptyMaps = fill.row("java.util.HashMap").empty();
 * }</pre>
 */
public final class CollectionFill {
    /** Fill below which a collection is sparse. */
    public static final double SPARSE_FILL = 0.25;
    /** Capacity a collection must exceed to count as sparse. */
    public static final int MIN_SPARSE_CAPACITY = 16;

    /**
     * One collection class.
     *
     * @param className    e.g. {@code java.util.HashMap}
     * @param instances    number of instances
     * @param empty        instances of size 0
     * @param sparse       non-empty instances filled below {@link #SPARSE_FILL} of a capacity above {@link #MIN_SPARSE_CAPACITY}
     * @param averageFill  mean size ÷ capacity over the instances with a backing array (0 when none has one)
     * @param arrayBytes   shallow bytes of their backing arrays
     * @param wastedBytes  backing-array bytes a right-sized collection would not need (see the class comment)
     */
    public record Row(String className, long instances, long empty, long sparse, double averageFill, long arrayBytes,
                      long wastedBytes) {
    }

    /** How the right size of a backing array follows from the size. */
    private enum Shape {
        /** Power-of-two hash table at load factor 0.75. */
        POWER_OF_TWO_TABLE,
        /** {@code Hashtable}: any length, load factor 0.75. */
        HASHTABLE,
        /** {@code IdentityHashMap}: two slots per entry, a power-of-two capacity at load factor 2/3. */
        IDENTITY_TABLE,
        /** A list: one slot per element. */
        LIST,
        /** {@code ArrayDeque}: one slot per element and one free. */
        DEQUE
    }

    /** A collection class: where its size and backing array are, and for sets the field of their map. */
    private record Kind(String className, Shape shape, String sizeField, String arrayField, String mapField) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("java.util.HashMap", Shape.POWER_OF_TWO_TABLE, "size", "table", null),
            new Kind("java.util.LinkedHashMap", Shape.POWER_OF_TWO_TABLE, "size", "table", null),
            new Kind("java.util.HashSet", Shape.POWER_OF_TWO_TABLE, "size", "table", "map"),
            new Kind("java.util.LinkedHashSet", Shape.POWER_OF_TWO_TABLE, "size", "table", "map"),
            new Kind("java.util.Hashtable", Shape.HASHTABLE, "count", "table", null),
            new Kind("java.util.WeakHashMap", Shape.POWER_OF_TWO_TABLE, "size", "table", null),
            new Kind("java.util.IdentityHashMap", Shape.IDENTITY_TABLE, "size", "table", null),
            // its size is the base count plus the counter cells: CollectionSize adds them
            new Kind("java.util.concurrent.ConcurrentHashMap", Shape.POWER_OF_TWO_TABLE, null, "table", null),
            new Kind("java.util.ArrayList", Shape.LIST, "size", "elementData", null),
            new Kind("java.util.Vector", Shape.LIST, "elementCount", "elementData", null),
            // its size is the non-null slots: CollectionSize counts them
            new Kind("java.util.ArrayDeque", Shape.DEQUE, null, "elements", null));

    private final List<Row> rows;
    private final long heapBytes;

    private CollectionFill(List<Row> rows, long heapBytes) {
        this.rows = List.copyOf(rows);
        this.heapBytes = heapBytes;
    }

    /** Reads every collection of the classes above, in two passes over the graph's classes array. */
    public static CollectionFill of(ObjectGraph graph) {
        return of(graph, Waste.heapBytes(graph));
    }

    static CollectionFill of(ObjectGraph graph, long heapBytes) {
        ClassTable classes = graph.classes();
        int[] kindOf = new int[classes.size()];
        Arrays.fill(kindOf, -1);
        for (int k = 0; k < KINDS.size(); k++) {
            for (int c : classes.byName(KINDS.get(k).className())) {
                if (classes.kind(c) == ClassKind.INSTANCE) {
                    kindOf[c] = k;
                }
            }
        }
        Tally[] tallies = new Tally[KINDS.size()];
        for (int k = 0; k < tallies.length; k++) {
            tallies[k] = new Tally();
        }
        Slots slots = new Slots(graph, kindOf);
        int n = graph.objectCount();
        // pass 1: the sets, marking their maps so that pass 2 does not count them again
        long[] ownedMaps = new long[(n + 63) >>> 6];
        for (int obj = 0; obj < n; obj++) {
            int k = kindOf[graph.classOf(obj)];
            if (k >= 0 && KINDS.get(k).mapField() != null) {
                FieldSlot mapField = slots.of(graph.classOf(obj)).map();
                int map = mapField == null ? -1 : mapField.target(obj);
                int mapKind = map < 0 ? -1 : kindOf[graph.classOf(map)];
                if (mapKind < 0 || KINDS.get(mapKind).mapField() != null) {
                    continue;
                }
                ownedMaps[map >>> 6] |= 1L << map;
                count(graph, slots, tallies[k], KINDS.get(mapKind), map);
            }
        }
        // pass 2: every other collection
        for (int obj = 0; obj < n; obj++) {
            int k = kindOf[graph.classOf(obj)];
            if (k >= 0 && KINDS.get(k).mapField() == null && (ownedMaps[obj >>> 6] & (1L << obj)) == 0) {
                count(graph, slots, tallies[k], KINDS.get(k), obj);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int k = 0; k < tallies.length; k++) {
            Tally t = tallies[k];
            if (t.instances > 0) {
                rows.add(new Row(KINDS.get(k).className(), t.instances, t.empty, t.sparse,
                        t.withArray == 0 ? 0 : t.fillSum / t.withArray, t.arrayBytes, t.wasted));
            }
        }
        rows.sort(Comparator.comparingLong(Row::wastedBytes).reversed().thenComparing(Comparator.comparingLong(Row::instances).reversed())
                .thenComparing(Row::className));
        return new CollectionFill(rows, heapBytes);
    }

    /** Adds collection {@code obj}, a {@code kind} (for a set: its map, of the map's kind), to {@code t}. */
    private static void count(ObjectGraph graph, Slots slots, Tally t, Kind kind, int obj) {
        int c = graph.classOf(obj);
        long size;
        if (kind.sizeField() != null) {
            FieldSlot sizeField = slots.of(c).size();
            if (sizeField == null || sizeField.type() != BasicType.INT) {
                return;
            }
            size = sizeField.raw(obj);
        } else {
            CollectionSize s = CollectionSize.of(graph, obj);
            if (s == null) {
                return;
            }
            size = s.count();
        }
        FieldSlot arrayField = slots.of(c).array();
        int array = arrayField == null ? -1 : arrayField.target(obj);
        if (array >= 0 && graph.classes().kind(graph.classOf(array)) != ClassKind.OBJECT_ARRAY) {
            array = -1;
        }
        t.instances++;
        if (size <= 0) {
            t.empty++;
        }
        if (array < 0) {
            return;
        }
        int length = ArrayRecord.length(graph, array);
        long arrayBytes = graph.shallowSize(array);
        t.arrayBytes += arrayBytes;
        if (length <= 0) {
            return;
        }
        long capacity = kind.shape() == Shape.IDENTITY_TABLE ? Math.max(1, length / 2) : length;
        t.withArray++;
        t.fillSum += (double) Math.max(size, 0) / capacity;
        if (size > 0 && capacity > MIN_SPARSE_CAPACITY && size < SPARSE_FILL * capacity) {
            t.sparse++;
        }
        VmLayout layout = graph.layout();
        long needed = size <= 0 ? 0 : layout.arraySize(BasicType.OBJECT, rightLength(kind.shape(), size));
        t.wasted += Math.max(0, arrayBytes - needed);
    }

    /** Length of the backing array a collection of {@code size} elements would need, by the rules of the class comment. */
    private static long rightLength(Shape shape, long size) {
        return switch (shape) {
            case POWER_OF_TWO_TABLE -> powerOfTwoAtLeast((long) Math.ceil(size / 0.75));
            case HASHTABLE -> (long) Math.ceil(size / 0.75);
            // IdentityHashMap.capacity(expectedMaxSize): at least 4, else the highest one bit of 3 × size; two slots each
            case IDENTITY_TABLE -> 2 * (size <= 2 ? 4 : Long.highestOneBit(3 * size));
            case LIST -> size;
            case DEQUE -> size + 1;
        };
    }

    private static long powerOfTwoAtLeast(long n) {
        return n <= 1 ? 1 : Long.highestOneBit(n - 1) << 1;
    }

    /** Per collection class: instances, their count of each kind, fill and bytes. */
    private static final class Tally {
        long instances;
        long empty;
        long sparse;
        long withArray;
        double fillSum;
        long arrayBytes;
        long wasted;
    }

    /** The fields of one collection class, looked up once: its size, its backing array, and for a set its map. */
    private record ClassSlots(FieldSlot size, FieldSlot array, FieldSlot map) {
    }

    /** {@link ClassSlots} by class index, made on first use. */
    private static final class Slots {
        private final ObjectGraph graph;
        private final int[] kindOf;
        private final ClassSlots[] byClass;

        Slots(ObjectGraph graph, int[] kindOf) {
            this.graph = graph;
            this.kindOf = kindOf;
            this.byClass = new ClassSlots[kindOf.length];
        }

        /** The slots of {@code c}, which must be a collection class ({@code kindOf[c] >= 0}). */
        ClassSlots of(int c) {
            ClassSlots s = byClass[c];
            if (s == null) {
                Kind k = KINDS.get(kindOf[c]);
                s = new ClassSlots(k.sizeField() == null ? null : FieldSlot.find(graph, c, k.sizeField()),
                        FieldSlot.find(graph, c, k.arrayField()), k.mapField() == null ? null : FieldSlot.find(graph, c, k.mapField()));
                byClass[c] = s;
            }
            return s;
        }
    }

    /** One row per collection class that has instances, most wasted bytes first. */
    public List<Row> rows() {
        return rows;
    }

    /** The row of a collection class by Java name, or null if it has no instances. */
    public Row row(String className) {
        return rows.stream().filter(r -> r.className().equals(className)).findFirst().orElse(null);
    }

    /** Number of collections read. */
    public long instances() {
        return rows.stream().mapToLong(Row::instances).sum();
    }

    /** Number of empty collections. */
    public long empty() {
        return rows.stream().mapToLong(Row::empty).sum();
    }

    /** Number of sparse collections. */
    public long sparse() {
        return rows.stream().mapToLong(Row::sparse).sum();
    }

    /** Backing-array bytes right-sized collections would not need, over all rows. */
    public long wastedBytes() {
        return rows.stream().mapToLong(Row::wastedBytes).sum();
    }

    /** Shallow bytes of the whole heap, for percentages. */
    public long heapBytes() {
        return heapBytes;
    }

    /**
     * One line: {@code Collections: 1,000 of 5,000 empty, 200 sparse; their backing arrays waste 80,000 bytes
     * (78.1 KB, 0.5% of the heap), most in java.util.HashMap (1,000 empty)}.
     */
    public String summary() {
        if (rows.isEmpty()) {
            return "Collections: none of the array-backed JDK collections";
        }
        Row top = rows.get(0);
        return "Collections: " + TextTable.number(empty()) + " of " + TextTable.number(instances()) + " empty, "
                + TextTable.number(sparse()) + " sparse; their backing arrays waste " + Waste.share(wastedBytes(), heapBytes)
                + (top.wastedBytes() > 0 ? ", most in " + top.className() + " (" + TextTable.number(top.empty()) + " empty, "
                + TextTable.number(top.sparse()) + " sparse)" : "");
    }

    /** The summary, then a table of the collection classes. */
    @Override
    public String toString() {
        if (rows.isEmpty()) {
            return summary() + "\n";
        }
        TextTable t = new TextTable("wasted bytes", "instances", "empty", "sparse", "avg fill", "array bytes", "class")
                .alignRight(0, 1, 2, 3, 4, 5);
        for (Row r : rows) {
            t.row(TextTable.bytes(r.wastedBytes()), TextTable.number(r.instances()), TextTable.number(r.empty()),
                    TextTable.number(r.sparse()), String.format(Locale.ROOT, "%.0f%%", 100 * r.averageFill()),
                    TextTable.bytes(r.arrayBytes()), r.className());
        }
        t.footer("total: " + TextTable.number(instances()) + " collections, " + TextTable.number(empty()) + " empty, "
                + TextTable.number(sparse()) + " sparse (below " + Math.round(100 * SPARSE_FILL) + "% of a capacity above "
                + MIN_SPARSE_CAPACITY + "), waste " + TextTable.bytes(wastedBytes()) + " bytes (" + TextTable.humanBytes(wastedBytes()) + ")");
        return summary() + "\n" + t;
    }
}

package dev.heaplens.analysis;

import dev.heaplens.graph.ClassKind;
import dev.heaplens.graph.ClassTable;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.hprof.BasicType;
import dev.heaplens.hprof.HprofWindow;
import dev.heaplens.text.TextTable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Primitive arrays whose elements are all zero, or mostly: buffers allocated ahead of need and
 * never (or barely) written.
 *
 * <p>An element is zero when all its bits are ({@code 0}, {@code false}, {@code '\0'}, {@code 0.0};
 * not {@code -0.0}), as a new array holds. Arrays of length 0 are not counted (nothing to save, and
 * usually one shared instance). <b>Mostly zero</b>: not all zero, and at least
 * {@value #MOSTLY_ZERO_PERCENT}% of the elements zero.
 *
 * <p><b>Saved bytes</b>, in the graph's shallow size model: an all-zero array's whole shallow size
 * (it could be allocated when first written), plus a mostly-zero array's zero elements (element width
 * × zero elements: what a sparse representation would save, before its own index overhead, so an
 * upper bound).
 *
 * <p>Contents are read from the mapped dump eight bytes at a time, zero elements counted a word at
 * a time, and an array is left as soon as it has too many non-zero elements to be mostly zero; the
 * cost is about one read of the primitive arrays' bytes.
 *
 * <pre>{@code
 * ZeroArrays zeros = ZeroArrays.of(graph);
 * System.out.println(zeros);
 * long idleBuffers = zeros.row("byte[]").allZero();
 * }</pre>
 */
public final class ZeroArrays {
    /** Share of zero elements from which a not-all-zero array counts as mostly zero. */
    public static final int MOSTLY_ZERO_PERCENT = 90;

    /**
     * One primitive array type.
     *
     * @param arrayType      e.g. {@code byte[]}
     * @param arrays         number of arrays of that type with at least one element
     * @param shallowBytes   their shallow bytes
     * @param allZero        arrays whose elements are all zero
     * @param allZeroBytes   the all-zero arrays' shallow bytes
     * @param mostlyZero     arrays not all zero with at least {@value #MOSTLY_ZERO_PERCENT}% zero elements
     * @param mostlyZeroBytes the mostly-zero arrays' zero elements, in bytes
     * @param savedBytes     {@code allZeroBytes + mostlyZeroBytes}
     */
    public record Row(String arrayType, long arrays, long shallowBytes, long allZero, long allZeroBytes, long mostlyZero,
                      long mostlyZeroBytes, long savedBytes) {
    }

    private final List<Row> rows;
    private final long heapBytes;

    private ZeroArrays(List<Row> rows, long heapBytes) {
        this.rows = List.copyOf(rows);
        this.heapBytes = heapBytes;
    }

    /** Reads every primitive array of the graph. */
    public static ZeroArrays of(ObjectGraph graph) {
        return of(graph, Waste.heapBytes(graph));
    }

    static ZeroArrays of(ObjectGraph graph, long heapBytes) {
        ClassTable classes = graph.classes();
        BasicType[] typeOf = new BasicType[classes.size()];
        for (int c = 0; c < classes.size(); c++) {
            if (classes.kind(c) == ClassKind.PRIMITIVE_ARRAY) {
                typeOf[c] = classes.elementType(c);
            }
        }
        int types = BasicType.values().length;
        long[] arrays = new long[types];
        long[] bytes = new long[types];
        long[] allZero = new long[types];
        long[] allZeroBytes = new long[types];
        long[] mostly = new long[types];
        long[] mostlyBytes = new long[types];
        // every primitive array's bytes, read once: copied through a window, so none of the dump's pages
        // stay resident (objects come in address order, which is close to the dump's order)
        HprofWindow window = graph.file().window(HprofWindow.DEFAULT_CAPACITY);
        long fileSize = graph.file().size();
        for (int obj = 0, n = graph.objectCount(); obj < n; obj++) {
            BasicType type = typeOf[graph.classOf(obj)];
            if (type == null) {
                continue;
            }
            int length = ArrayRecord.length(graph, obj, window);
            int width = type.primitiveSize();
            long start = ArrayRecord.primitiveElements(graph, obj);
            if (length <= 0 || start + (long) length * width > fileSize) {
                continue;
            }
            int t = type.ordinal();
            long size = graph.shallowSize(obj);
            arrays[t]++;
            bytes[t] += size;
            // at least 90% zero: at most length - ceil(0.9 × length) non-zero elements
            long allowed = length - (MOSTLY_ZERO_PERCENT * (long) length + 99) / 100;
            long nonZero = nonZeroElements(window, start, length, width, allowed);
            if (nonZero == 0) {
                allZero[t]++;
                allZeroBytes[t] += size;
            } else if (nonZero <= allowed) {
                mostly[t]++;
                mostlyBytes[t] += (length - nonZero) * width;
            }
        }
        List<Row> rows = new ArrayList<>();
        for (BasicType type : BasicType.values()) {
            int t = type.ordinal();
            if (arrays[t] > 0) {
                rows.add(new Row(type.javaName() + "[]", arrays[t], bytes[t], allZero[t], allZeroBytes[t], mostly[t], mostlyBytes[t],
                        allZeroBytes[t] + mostlyBytes[t]));
            }
        }
        rows.sort(Comparator.comparingLong(Row::savedBytes).reversed().thenComparing(Comparator.comparingLong(Row::shallowBytes).reversed())
                .thenComparing(Row::arrayType));
        return new ZeroArrays(rows, heapBytes);
    }

    /** Lanes' low bits and high bits for elements of 1, 2 and 4 bytes, by width. */
    private static final long[] LOW = {0, 0x7F7F_7F7F_7F7F_7F7FL, 0x7FFF_7FFF_7FFF_7FFFL, 0, 0x7FFF_FFFF_7FFF_FFFFL};
    private static final long[] HIGH = {0, 0x8080_8080_8080_8080L, 0x8000_8000_8000_8000L, 0, 0x8000_0000_8000_0000L};

    /**
     * Non-zero elements among {@code length} elements of {@code width} bytes at {@code start}; once
     * more than {@code allowed} are found, some count above {@code allowed} (the array cannot be
     * mostly zero, the exact figure does not matter).
     */
    static long nonZeroElements(HprofWindow window, long start, int length, int width, long allowed) {
        long end = start + (long) length * width;
        long nonZero = 0;
        long p = start;
        if (width == 8) {
            for (; p < end && nonZero <= allowed; p += 8) {
                if (window.i8(p) != 0) {
                    nonZero++;
                }
            }
            return nonZero;
        }
        long low = LOW[width];
        long high = HIGH[width];
        // words start at the first element, so every lane is one whole element
        for (; p + 8 <= end && nonZero <= allowed; p += 8) {
            long x = window.i8(p);
            if (x != 0) {
                // a lane's high bit is set iff the lane is non-zero: its low bits carry into it, or it was set already
                nonZero += Long.bitCount((((x & low) + low) | x) & high);
            }
        }
        for (; p < end && nonZero <= allowed; p += width) {
            long x = switch (width) {
                case 1 -> window.u1(p);
                case 2 -> window.u1(p) | window.u1(p + 1);
                default -> window.i4(p);
            };
            if (x != 0) {
                nonZero++;
            }
        }
        return nonZero;
    }

    /** One row per primitive array type with non-empty arrays, most saved bytes first. */
    public List<Row> rows() {
        return rows;
    }

    /** The row of an array type ({@code "byte[]"}), or null if there is no such array. */
    public Row row(String arrayType) {
        return rows.stream().filter(r -> r.arrayType().equals(arrayType)).findFirst().orElse(null);
    }

    /** Number of all-zero arrays. */
    public long allZero() {
        return rows.stream().mapToLong(Row::allZero).sum();
    }

    /** Number of mostly-zero arrays. */
    public long mostlyZero() {
        return rows.stream().mapToLong(Row::mostlyZero).sum();
    }

    /** Bytes lazy allocation of the all-zero arrays and sparse forms of the mostly-zero ones would save. */
    public long savedBytes() {
        return rows.stream().mapToLong(Row::savedBytes).sum();
    }

    /** Shallow bytes of the whole heap, for percentages. */
    public long heapBytes() {
        return heapBytes;
    }

    /** One line: {@code Zero arrays: 300 all zero, 20 mostly zero, could save 1,048,576 bytes (1.0 MB, 3.4% of the heap), most in byte[]}. */
    public String summary() {
        if (rows.isEmpty()) {
            return "Zero arrays: no primitive arrays";
        }
        return "Zero arrays: " + TextTable.number(allZero()) + " all zero, " + TextTable.number(mostlyZero()) + " mostly zero, could save "
                + Waste.share(savedBytes(), heapBytes) + (rows.get(0).savedBytes() > 0 ? ", most in " + rows.get(0).arrayType() : "");
    }

    /** The summary, then a table of the array types. */
    @Override
    public String toString() {
        if (rows.isEmpty()) {
            return summary() + "\n";
        }
        TextTable t = new TextTable("saved bytes", "arrays", "shallow bytes", "all zero", "all-zero bytes", "mostly zero",
                "zero-element bytes", "type").alignRight(0, 1, 2, 3, 4, 5, 6);
        for (Row r : rows) {
            t.row(TextTable.bytes(r.savedBytes()), TextTable.number(r.arrays()), TextTable.bytes(r.shallowBytes()),
                    TextTable.number(r.allZero()), TextTable.bytes(r.allZeroBytes()), TextTable.number(r.mostlyZero()),
                    TextTable.bytes(r.mostlyZeroBytes()), r.arrayType());
        }
        t.footer("total: " + TextTable.number(allZero()) + " all-zero and " + TextTable.number(mostlyZero()) + " mostly-zero (≥ "
                + MOSTLY_ZERO_PERCENT + "%) arrays could save " + TextTable.bytes(savedBytes()) + " bytes (" + TextTable.humanBytes(savedBytes()) + ")");
        return summary() + "\n" + t;
    }
}

package dev.heaplens.analysis;

import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.hprof.HprofFile;
import dev.heaplens.text.TextTable;

import java.util.Locale;

/**
 * Memory that is simply wasted, found four ways, each with the bytes a fix would save in the graph's
 * shallow size model: {@linkplain DuplicateStrings duplicate strings} (interning),
 * {@linkplain CollectionFill empty and sparse collections} (right-sizing), {@linkplain BoxedPrimitives
 * boxed primitives} (sharing equal values) and {@linkplain ZeroArrays zero arrays} (allocating lazily).
 *
 * <p>{@link #totalSavableBytes()} adds the four figures. They hardly overlap (strings and their
 * arrays, object arrays of collections, boxes, primitive arrays), with one exception: the backing
 * array of a duplicated string of {@code '\0'}s is also an all-zero array.
 *
 * <pre>{@code
 * Waste waste = Waste.of(graph);                       // or heap.waste()
 * System.out.println(waste);                           // four one-line summaries, each with its table
 * waste.duplicateStrings().groups().get(0).holders();  // who holds the copies of the worst value
 * }</pre>
 *
 * @param duplicateStrings strings with equal values
 * @param collections      empty and sparse collections
 * @param boxedPrimitives  boxes of equal values
 * @param zeroArrays       all-zero and mostly-zero primitive arrays
 * @param heapBytes        shallow bytes of the whole heap
 */
public record Waste(DuplicateStrings duplicateStrings, CollectionFill collections, BoxedPrimitives boxedPrimitives,
                    ZeroArrays zeroArrays, long heapBytes) {

    /** All four analyses, listing the {@value DuplicateStrings#DEFAULT_TOP} duplicated values that waste most. */
    public static Waste of(ObjectGraph graph) {
        return of(graph, DuplicateStrings.DEFAULT_TOP);
    }

    /** All four analyses, listing the {@code topStrings} duplicated values that waste most. */
    public static Waste of(ObjectGraph graph, int topStrings) {
        long heapBytes = heapBytes(graph);
        // the four read much of the dump once: through a mapping of their own, trimmed between them and
        // unmapped at the end, so its pages do not stay resident
        HprofFile file = graph.file();
        return file.withOwnPages(() -> {
            DuplicateStrings strings = DuplicateStrings.of(graph, topStrings, heapBytes);
            file.trimOwnPages();
            CollectionFill collections = CollectionFill.of(graph, heapBytes);
            file.trimOwnPages();
            BoxedPrimitives boxed = BoxedPrimitives.of(graph, heapBytes);
            file.trimOwnPages();
            return new Waste(strings, collections, boxed, ZeroArrays.of(graph, heapBytes), heapBytes);
        });
    }

    /** The sum of the four analyses' savings: duplicate strings, collections, boxes and zero arrays. */
    public long totalSavableBytes() {
        return duplicateStrings.wastedBytes() + collections.wastedBytes() + boxedPrimitives.wastedBytes() + zeroArrays.savedBytes();
    }

    /** The four one-line summaries, one a line, then the total. */
    public String summary() {
        return duplicateStrings.summary() + "\n" + collections.summary() + "\n" + boxedPrimitives.summary() + "\n"
                + zeroArrays.summary() + "\n" + totalLine();
    }

    private String totalLine() {
        return "In all, fixing these would save " + share(totalSavableBytes(), heapBytes) + ".";
    }

    /** Each analysis's summary line and table, then the total. */
    @Override
    public String toString() {
        return duplicateStrings + "\n" + collections + "\n" + boxedPrimitives + "\n" + zeroArrays + "\n" + totalLine() + "\n";
    }

    /** Shallow bytes of every object of the graph (the histogram's total). */
    static long heapBytes(ObjectGraph graph) {
        long bytes = 0;
        for (int obj = 0, n = graph.objectCount(); obj < n; obj++) {
            bytes += graph.shallowSize(obj);
        }
        return bytes;
    }

    /** {@code 1,258,291 bytes (1.2 MB, 4.0% of the heap)}; below a kilobyte {@code 264 bytes (0.5% of the heap)}. */
    static String share(long bytes, long heapBytes) {
        String percent = heapBytes <= 0 ? "" : String.format(Locale.ROOT, "%.1f%% of the heap", 100.0 * bytes / heapBytes);
        String human = Math.abs(bytes) < 1024 ? "" : TextTable.humanBytes(bytes);
        String both = human.isEmpty() || percent.isEmpty() ? human + percent : human + ", " + percent;
        return TextTable.bytes(bytes) + " bytes" + (both.isEmpty() ? "" : " (" + both + ")");
    }
}

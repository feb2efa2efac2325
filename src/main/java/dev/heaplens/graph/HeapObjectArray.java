package dev.heaplens.graph;

import dev.heaplens.text.TextTable;

/**
 * An array of references (OBJ ARRAY DUMP); elements are read from the file on demand.
 *
 * <pre>{@code
 * HeapObjectArray table = (HeapObjectArray) map.get("table");
 * for (int i = 0; i < table.length(); i++) if (table.get(i) != null) ...
 * }</pre>
 */
public record HeapObjectArray(ObjectGraph graph, int index) implements HeapObject {

    /** Number of elements. */
    public int length() {
        return graph.file().buffer().i4(graph.recordOffset(index) + 1 + graph.file().idSize() + 4);
    }

    /** Object id of element {@code i}, 0 for null. */
    public long elementId(int i) {
        if (i < 0 || i >= length()) {
            throw new IndexOutOfBoundsException("index " + i + " of an array of length " + length());
        }
        int id = graph.file().idSize();
        return graph.file().buffer().id(graph.recordOffset(index) + 1 + 2L * id + 8 + (long) i * id, id);
    }

    /** Element {@code i}: a {@link HeapObject}, or {@code null}. */
    public Object get(int i) {
        return HeapInstance.resolve(graph, elementId(i));
    }

    @Override
    public String toString() {
        TextTable t = new TextTable("index", "value").alignRight(0);
        int n = length();
        for (int i = 0; i < Math.min(n, 50); i++) {
            Object v = get(i);
            t.row(i, v instanceof HeapObject o ? o.label() : String.valueOf(v));
        }
        if (n > 50) {
            t.footer("… " + (n - 50) + " more elements");
        }
        return label() + ", length " + n + "\n" + t;
    }
}

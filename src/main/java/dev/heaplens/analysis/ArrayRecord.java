package dev.heaplens.analysis;

import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.hprof.HprofWindow;

/**
 * Where an array's length and elements are in its record (OBJ ARRAY DUMP or PRIM ARRAY DUMP), for
 * the loops that read many arrays without making a view of each.
 */
final class ArrayRecord {
    private ArrayRecord() {
    }

    /** Number of elements of the array {@code obj} (either kind: both records hold it at the same place). */
    static int length(ObjectGraph graph, int obj) {
        return graph.file().buffer().i4(graph.recordOffset(obj) + 1 + graph.file().idSize() + 4);
    }

    /** {@link #length(ObjectGraph, int)} read through a window, for walks over many arrays that keep no page resident. */
    static int length(ObjectGraph graph, int obj, HprofWindow window) {
        long record = graph.recordOffset(obj);
        window.record(record);
        return window.i4(record + 1 + graph.file().idSize() + 4);
    }

    /** Offset in the dump of the first element of the primitive array {@code obj}. */
    static long primitiveElements(ObjectGraph graph, int obj) {
        return graph.recordOffset(obj) + 1 + graph.file().idSize() + 9;
    }
}

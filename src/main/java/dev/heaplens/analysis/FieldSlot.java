package dev.heaplens.analysis;

import dev.heaplens.graph.ClassKind;
import dev.heaplens.graph.FieldInfo;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.graph.Values;
import dev.heaplens.hprof.BasicType;
import dev.heaplens.hprof.HprofBuffer;
import dev.heaplens.hprof.HprofWindow;

/**
 * One instance field of one class, looked up by name once and then read raw from the records of
 * many instances: the waste analyses read a field or two of millions of objects, where a
 * {@link dev.heaplens.graph.HeapInstance} view would list the class's fields again for every read.
 *
 * <pre>{@code
 * FieldSlot size = FieldSlot.find(graph, hashMapClass, "size");
 * int entries = (int) size.raw(obj);
 * }</pre>
 */
final class FieldSlot {
    private final ObjectGraph graph;
    private final HprofBuffer buf;
    private final int idSize;
    private final String name;
    private final BasicType type;
    private final int offset;
    private final int end;

    private FieldSlot(ObjectGraph graph, FieldInfo field) {
        this.graph = graph;
        this.buf = graph.file().buffer();
        this.idSize = graph.file().idSize();
        this.name = field.name();
        this.type = field.type();
        this.offset = field.dumpOffset();
        this.end = offset + type.sizeInDump(idSize);
    }

    /** The field {@code name} of instances of class {@code c} (the most derived one), or null if there is none. */
    static FieldSlot find(ObjectGraph graph, int c, String name) {
        if (c < 0 || graph.classes().kind(c) != ClassKind.INSTANCE) {
            return null;
        }
        for (FieldInfo f : graph.classes().allFields(c)) {
            if (f.name().equals(name)) {
                return new FieldSlot(graph, f);
            }
        }
        return null;
    }

    /** Every reference field of instances of class {@code c}, in dump order (the class's own first). */
    static FieldSlot[] references(ObjectGraph graph, int c) {
        return graph.classes().allFields(c).stream().filter(f -> f.type() == BasicType.OBJECT)
                .map(f -> new FieldSlot(graph, f)).toArray(FieldSlot[]::new);
    }

    /** The field's name. */
    String name() {
        return name;
    }

    /** The field's type. */
    BasicType type() {
        return type;
    }

    /**
     * Raw bits of the field in instance {@code obj} (an id for references, sign-extended for ints);
     * 0 when the record holds too little field data (a damaged dump read leniently).
     */
    long raw(int obj) {
        long data = graph.recordOffset(obj) + 1 + 2L * idSize + 8;
        if (end > buf.u4(data - 4)) {
            return 0;
        }
        return Values.raw(buf, data + offset, type, idSize);
    }

    /** {@link #raw(int)} read through a window instead of the mapping, for a walk over many instances in address order. */
    long raw(int obj, HprofWindow window) {
        long record = graph.recordOffset(obj);
        window.record(record);
        long data = record + 1 + 2L * idSize + 8;
        if (end > window.u4(data - 4)) {
            return 0;
        }
        long at = data + offset;
        return switch (type) {
            case OBJECT -> window.id(at, idSize);
            case BOOLEAN, BYTE -> (byte) window.u1(at);
            case CHAR -> window.u1(at) << 8 | window.u1(at + 1);
            case SHORT -> (short) (window.u1(at) << 8 | window.u1(at + 1));
            case INT, FLOAT -> window.i4(at);
            case LONG, DOUBLE -> window.i8(at);
        };
    }

    /** The object a reference field of {@code obj} points at, or -1 for null, a dangling id or a primitive field. */
    int target(int obj) {
        if (type != BasicType.OBJECT) {
            return -1;
        }
        // the out-edges already hold the resolved target, unless a null or dangling field shifted them
        int t = graph.referenceFieldTarget(obj, offset);
        if (t != ObjectGraph.NOT_IN_EDGES) {
            return t;
        }
        long id = raw(obj);
        return id == 0 ? -1 : graph.indexOf(id);
    }
}

package dev.heaplens.graph;

/**
 * A view of one object of the dump, made on demand from its dense index: nothing per object is kept
 * in memory, and field values are read from the file when asked for.
 *
 * <pre>{@code
 * HeapObject o = HeapObject.of(graph, graph.indexOf(0x7f0011a8L));
 * if (o instanceof HeapInstance i) System.out.println(i.get("name"));
 * }</pre>
 */
public sealed interface HeapObject permits HeapInstance, HeapClass, HeapObjectArray, HeapPrimitiveArray {

    /** The view for object {@code index} of {@code graph}. */
    static HeapObject of(ObjectGraph graph, int index) {
        if (index < 0 || index >= graph.objectCount()) {
            throw new IllegalArgumentException("no object at index " + index + " (the graph has " + graph.objectCount() + ")");
        }
        if (graph.isClassObject(index)) {
            return new HeapClass(graph, graph.classes().indexOfId(graph.id(index)));
        }
        return switch (graph.classes().kind(graph.classOf(index))) {
            case INSTANCE -> new HeapInstance(graph, index);
            case OBJECT_ARRAY -> new HeapObjectArray(graph, index);
            case PRIMITIVE_ARRAY -> new HeapPrimitiveArray(graph, index);
        };
    }

    /** The graph this view reads from. */
    ObjectGraph graph();

    /** Dense index in the graph. */
    int index();

    /** Object id (the VM address at dump time). */
    default long id() {
        return graph().id(index());
    }

    /** Class-table index of the object's class ({@code java.lang.Class} for a class object). */
    default int classIndex() {
        return graph().classOf(index());
    }

    /** Java name of the object's class. */
    default String className() {
        return graph().classes().name(classIndex());
    }

    /** VM shallow size in bytes. */
    default long shallowSize() {
        return graph().shallowSize(index());
    }

    /** A one-line label: {@code java.util.HashMap@0x7f0011a8 (48 bytes)}. */
    default String label() {
        return className() + "@0x" + Long.toHexString(id()) + " (" + shallowSize() + " bytes)";
    }
}

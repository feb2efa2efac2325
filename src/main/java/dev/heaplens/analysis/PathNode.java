package dev.heaplens.analysis;

import dev.heaplens.text.TextTable;

/**
 * One object on a path from a GC root, with what a reader needs to recognise it: its class, id and
 * sizes. A plain value, detached from the graph, so paths can be kept, compared and printed.
 *
 * <pre>{@code
 * PathNode leaked = path.target();
 * System.out.println(leaked);     // com.acme.Session@0x7f0011c8 (32 bytes, retained 1.2 MB)
 * int index = leaked.index();     // back into the graph
 * }</pre>
 *
 * @param index         dense object index in the graph
 * @param id            object id (the VM address at dump time)
 * @param className     Java name of the object's class; for a class object, the class it mirrors
 * @param classObject   whether the object is a {@code java.lang.Class} mirror
 * @param shallowSize   its own bytes
 * @param retainedSize  bytes it keeps alive, itself included; -1 when no dominator tree was given
 */
public record PathNode(int index, long id, String className, boolean classObject, long shallowSize, long retainedSize) {

    /** Whether a retained size is known. */
    public boolean hasRetainedSize() {
        return retainedSize >= 0;
    }

    /** {@code java.util.HashMap@0x7f0011a8} or {@code class com.acme.Registry@0x7f001000}, without sizes. */
    public String name() {
        return (classObject ? "class " : "") + className + "@0x" + Long.toHexString(id);
    }

    /** {@code java.util.HashMap@0x7f0011a8 (48 bytes)}, with {@code , retained 1.2 MB} when known. */
    @Override
    public String toString() {
        String retained = hasRetainedSize() ? ", retained " + TextTable.humanBytes(retainedSize) : "";
        return name() + " (" + TextTable.bytes(shallowSize) + " bytes" + retained + ")";
    }
}

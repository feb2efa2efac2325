package dev.heaplens.graph;

import dev.heaplens.hprof.BasicType;
import dev.heaplens.hprof.HprofBuffer;
import dev.heaplens.text.TextTable;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An ordinary object (INSTANCE DUMP). Fields, inherited ones included, are read from the file on
 * demand; {@link #asString()} decodes {@code java.lang.String} values, compact (JDK 9+, with their
 * coder) or {@code char[]}-based (JDK 8).
 *
 * <pre>{@code
 * HeapInstance session = ...;
 * Object user = session.get("user");          // a HeapObject, a boxed primitive, or null
 * String name = ((HeapInstance) user).get("name") instanceof HeapInstance s ? s.asString() : null;
 * }</pre>
 */
public record HeapInstance(ObjectGraph graph, int index) implements HeapObject {

    /** All instance fields with their values, the class's own first, then inherited ones. */
    public Map<FieldInfo, Object> fields() {
        Map<FieldInfo, Object> values = new LinkedHashMap<>();
        for (FieldInfo f : graph.classes().allFields(classIndex())) {
            values.put(f, read(f));
        }
        return values;
    }

    /**
     * The value of the field {@code name} (the most derived one if a superclass declares the same
     * name): a {@link HeapObject}, {@code null} for a null reference, or a boxed primitive.
     *
     * @throws IllegalArgumentException if the class has no such field
     */
    public Object get(String name) {
        for (FieldInfo f : graph.classes().allFields(classIndex())) {
            if (f.name().equals(name)) {
                return read(f);
            }
        }
        throw new IllegalArgumentException(className() + " has no field '" + name + "'");
    }

    /** Whether the class or a superclass declares a field of this name. */
    public boolean hasField(String name) {
        return graph.classes().allFields(classIndex()).stream().anyMatch(f -> f.name().equals(name));
    }

    /** Raw bits of a field value (an object id for references). */
    public long raw(FieldInfo f) {
        return Values.raw(graph.file().buffer(), dataOffset() + f.dumpOffset(), f.type(), graph.file().idSize());
    }

    private Object read(FieldInfo f) {
        long raw = raw(f);
        if (f.type() == BasicType.OBJECT) {
            return resolve(graph, raw);
        }
        return Values.box(f.type(), raw);
    }

    static Object resolve(ObjectGraph graph, long id) {
        if (id == 0) {
            return null;
        }
        int target = graph.indexOf(id);
        return target < 0 ? new Dangling(id) : HeapObject.of(graph, target);
    }

    private long dataOffset() {
        return graph.recordOffset(index) + 1 + 2L * graph.file().idSize() + 8;
    }

    /** Whether this is a {@code java.lang.String}. */
    public boolean isString() {
        return className().equals("java.lang.String");
    }

    /**
     * The text of a {@code java.lang.String}; {@code null} if this is not a string or its value
     * array is missing from the dump.
     */
    public String asString() {
        if (!isString() || !hasField("value")) {
            return null;
        }
        Object value = get("value");
        if (!(value instanceof HeapPrimitiveArray array)) {
            return null;
        }
        HprofBuffer buf = graph.file().buffer();
        if (array.elementType() == BasicType.BYTE) {
            byte[] bytes = buf.bytes(array.elementsOffset(), array.length());
            int coder = hasField("coder") ? ((Byte) get("coder")) : 0;
            // UTF16 strings hold chars in the VM's native order: little-endian on x86-64 and aarch64
            return coder == 0 ? new String(bytes, StandardCharsets.ISO_8859_1) : new String(bytes, StandardCharsets.UTF_16LE);
        }
        if (array.elementType() == BasicType.CHAR) {
            int offset = hasField("offset") ? (Integer) get("offset") : 0;
            int count = hasField("count") ? (Integer) get("count") : array.length();
            char[] chars = new char[Math.max(0, Math.min(count, array.length() - offset))];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) buf.u2(array.elementsOffset() + 2L * (offset + i));
            }
            return new String(chars);
        }
        return null;
    }

    @Override
    public String toString() {
        TextTable t = new TextTable("field", "type", "value");
        for (Map.Entry<FieldInfo, Object> e : fields().entrySet()) {
            Object v = e.getValue();
            String shown = v instanceof HeapInstance s && s.isString() ? '"' + abbreviate(s.asString()) + '"' + " " + s.label()
                    : v instanceof HeapObject o ? o.label() : String.valueOf(v);
            t.row(e.getKey().name(), e.getKey().type().javaName(), shown);
        }
        String text = isString() ? " = \"" + abbreviate(asString()) + "\"" : "";
        return label() + text + "\n" + t;
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** A reference whose target is not in the dump. */
    public record Dangling(long id) {
        @Override
        public String toString() {
            return "<missing object 0x" + Long.toHexString(id) + ">";
        }
    }
}

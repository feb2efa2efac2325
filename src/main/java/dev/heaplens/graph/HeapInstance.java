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
    private static final Object NO_SUCH_FIELD = new Object();

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
     * name): a {@link HeapObject}, {@code null} for a null reference, or a boxed primitive; also
     * {@code null} when the record holds no data for the field (a damaged dump read leniently).
     *
     * @throws IllegalArgumentException if the class has no such field
     */
    public Object get(String name) {
        Object value = getOrDefault(name, NO_SUCH_FIELD);
        if (value == NO_SUCH_FIELD) {
            throw new IllegalArgumentException(className() + " has no field '" + name + "'");
        }
        return value;
    }

    /**
     * The value of the field {@code name} as {@link #get(String)} reads it, or {@code absent} if the
     * class has no such field: for JDK fields that another JDK, or a damaged dump that lost a field's
     * name, may not have.
     *
     * <pre>{@code
     * map.getOrDefault("baseCount", null) instanceof Long count ? count : -1
     * }</pre>
     */
    public Object getOrDefault(String name, Object absent) {
        for (FieldInfo f : graph.classes().allFields(classIndex())) {
            if (f.name().equals(name)) {
                return read(f);
            }
        }
        return absent;
    }

    /** Whether the class or a superclass declares a field of this name. */
    public boolean hasField(String name) {
        return graph.classes().allFields(classIndex()).stream().anyMatch(f -> f.name().equals(name));
    }

    /**
     * Raw bits of a field value (an object id for references); 0 for a field the record holds no
     * data for (a damaged dump read leniently, whose instance has less field data than its class
     * declares).
     */
    public long raw(FieldInfo f) {
        long data = dataOffset();
        return holds(data, f) ? Values.raw(graph.file().buffer(), data + f.dumpOffset(), f.type(), graph.file().idSize()) : 0;
    }

    /** Whether the record's field data, at {@code data}, reaches to the end of {@code f}: never read the next record as a field. */
    private boolean holds(long data, FieldInfo f) {
        int idSize = graph.file().idSize();
        return f.dumpOffset() + f.type().sizeInDump(idSize) <= graph.file().buffer().u4(data - 4);
    }

    private Object read(FieldInfo f) {
        long data = dataOffset();
        if (!holds(data, f)) {
            return null;
        }
        long raw = Values.raw(graph.file().buffer(), data + f.dumpOffset(), f.type(), graph.file().idSize());
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
        if (!isString() || !(getOrDefault("value", null) instanceof HeapPrimitiveArray array)) {
            return null;
        }
        HprofBuffer buf = graph.file().buffer();
        if (array.elementType() == BasicType.BYTE) {
            // a damaged dump may declare the field with another type, or hold too little field data
            Object coder = getOrDefault("coder", (byte) 0);
            if (!(coder instanceof Byte c)) {
                return null;
            }
            byte[] bytes = buf.bytes(array.elementsOffset(), array.length());
            // UTF16 strings hold chars in the VM's native order: little-endian on x86-64 and aarch64
            return c == 0 ? new String(bytes, StandardCharsets.ISO_8859_1) : new String(bytes, StandardCharsets.UTF_16LE);
        }
        if (array.elementType() == BasicType.CHAR) {
            Object offsetField = getOrDefault("offset", 0);
            Object countField = getOrDefault("count", array.length());
            if (!(offsetField instanceof Integer offset) || !(countField instanceof Integer count) || offset < 0 || offset > array.length()) {
                return null;
            }
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

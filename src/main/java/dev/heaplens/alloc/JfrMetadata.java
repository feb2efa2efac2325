package dev.heaplens.alloc;

import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The types of one chunk, from its metadata event: each type's id, name and fields in the order
 * their values are written, and how each value is written (inline, as an array, or as a key into a
 * constant pool). With it any value in the chunk can be skipped or read.
 *
 * <p>The metadata event: size, type id 0, start time, duration, metadata id, a table of strings,
 * then a tree of elements (name, attributes, children) whose {@code metadata} element holds a
 * {@code class} element per type, each with {@code field} children and their {@code annotation}s.
 */
final class JfrMetadata {
    /** How a value of a type is laid out. */
    static final int KIND_STRUCT = 0;
    static final int KIND_BOOLEAN = 1;
    static final int KIND_BYTE = 2;
    static final int KIND_SHORT = 3;
    static final int KIND_CHAR = 4;
    static final int KIND_INT = 5;
    static final int KIND_LONG = 6;
    static final int KIND_FLOAT = 7;
    static final int KIND_DOUBLE = 8;
    static final int KIND_STRING = 9;

    /** A time unit of a field: ticks of the chunk's clock, or a fixed unit in nanoseconds per step. */
    static final long TICKS = -1;

    /** One type of the chunk. */
    static final class Type {
        final long id;
        final String name;
        final String superType;
        final int kind;
        Field[] fields = new Field[0];

        Type(long id, String name, String superType) {
            this.id = id;
            this.name = name;
            this.superType = superType;
            this.kind = kindOf(name);
        }

        boolean isEvent() {
            return "jdk.jfr.Event".equals(superType);
        }

        /** The index of a field by name, or -1. */
        int field(String fieldName) {
            for (int i = 0; i < fields.length; i++) {
                if (fields[i].name.equals(fieldName)) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** One field of a type. */
    static final class Field {
        final String name;
        final long typeId;
        final boolean array;
        final boolean constantPool;
        /** Set once the types are all known. */
        Type type;
        /** Nanoseconds per unit of a time field, {@link #TICKS} for ticks, 0 when not a time. */
        long nanosPerUnit;
        /** Whether the time is a point in time (a timestamp) rather than a span. */
        boolean timestamp;

        Field(String name, long typeId, boolean array, boolean constantPool) {
            this.name = name;
            this.typeId = typeId;
            this.array = array;
            this.constantPool = constantPool;
        }
    }

    private final Long2ObjectOpenHashMap<Type> types = new Long2ObjectOpenHashMap<>();
    private final Map<String, Type> byName = new HashMap<>();

    private JfrMetadata() {
    }

    /** The type with this id, or {@code null}. */
    Type type(long id) {
        return types.get(id);
    }

    /** The type with this name, or {@code null}. */
    Type type(String name) {
        return byName.get(name);
    }

    Iterable<Type> types() {
        return types.values();
    }

    /** Parses the metadata event that starts at the input's position. */
    static JfrMetadata read(JfrInput in) {
        int start = in.pos;
        in.readInt(); // size
        long typeId = in.readLong();
        if (typeId != 0) {
            throw in.damage("expected the metadata event (type 0) but found type " + typeId);
        }
        in.readLong(); // start time
        in.readLong(); // duration
        in.readLong(); // metadata id
        int stringCount = in.checkedCount(in.readInt());
        String[] strings = new String[stringCount];
        for (int i = 0; i < stringCount; i++) {
            strings[i] = in.readString();
        }
        Element root = Element.read(in, strings, 0);
        JfrMetadata m = new JfrMetadata();
        Element metadata = root.child("metadata");
        if (metadata == null) {
            in.pos = start;
            throw in.damage("the metadata event has no metadata element");
        }
        for (Element c : metadata.children) {
            if (c.name.equals("class")) {
                Type t = new Type(c.longAttribute("id", in), c.requiredAttribute("name", in), c.attributes.get("superType"));
                m.types.put(t.id, t);
                m.byName.put(t.name, t);
            }
        }
        for (Element c : metadata.children) {
            if (c.name.equals("class")) {
                m.defineFields(m.types.get(c.longAttribute("id", in)), c, in);
            }
        }
        return m;
    }

    private void defineFields(Type t, Element classElement, JfrInput in) {
        List<Field> fields = new ArrayList<>();
        for (Element f : classElement.children) {
            if (!f.name.equals("field")) {
                continue;
            }
            Field field = new Field(f.requiredAttribute("name", in), f.longAttribute("class", in),
                    "1".equals(f.attributes.get("dimension")), f.attributes.containsKey("constantPool"));
            field.type = types.get(field.typeId);
            if (field.type == null) {
                throw in.damage("field " + t.name + "." + field.name + " has undefined type " + field.typeId);
            }
            for (Element a : f.children) {
                if (a.name.equals("annotation")) {
                    timeUnit(field, types.get(a.longAttribute("class", in)), a.attributes.get("value"));
                }
            }
            fields.add(field);
        }
        t.fields = fields.toArray(new Field[0]);
    }

    private static void timeUnit(Field field, Type annotation, String value) {
        if (annotation == null || value == null) {
            return;
        }
        boolean stamp = annotation.name.equals("jdk.jfr.Timestamp");
        if (!stamp && !annotation.name.equals("jdk.jfr.Timespan")) {
            return;
        }
        field.timestamp = stamp;
        field.nanosPerUnit = switch (value) {
            case "TICKS" -> TICKS;
            case "NANOSECONDS" -> 1;
            case "MICROSECONDS" -> 1_000;
            case "MILLISECONDS", "MILLISECONDS_SINCE_EPOCH" -> 1_000_000;
            case "SECONDS" -> 1_000_000_000;
            default -> 0;
        };
    }

    private static int kindOf(String name) {
        return switch (name) {
            case "boolean" -> KIND_BOOLEAN;
            case "byte" -> KIND_BYTE;
            case "short" -> KIND_SHORT;
            case "char" -> KIND_CHAR;
            case "int" -> KIND_INT;
            case "long" -> KIND_LONG;
            case "float" -> KIND_FLOAT;
            case "double" -> KIND_DOUBLE;
            case "java.lang.String" -> KIND_STRING;
            default -> KIND_STRUCT;
        };
    }

    /** Skips one value of a field (a pool key, an array, or an inline value). */
    static void skip(JfrInput in, Field f) {
        skipField(in, f, 0);
    }

    private static void skipField(JfrInput in, Field f, int depth) {
        int n = f.array ? in.checkedCount(in.readInt()) : 1;
        for (int i = 0; i < n; i++) {
            if (f.constantPool) {
                in.readLong();
            } else {
                skipValue(in, f.type, depth);
            }
        }
    }

    /** Skips one inline value of a type. */
    static void skipValue(JfrInput in, Type t, int depth) {
        switch (t.kind) {
            case KIND_BOOLEAN, KIND_BYTE -> in.pos++;
            case KIND_SHORT, KIND_CHAR -> in.readShort();
            case KIND_INT -> in.readInt();
            case KIND_LONG -> in.readLong();
            case KIND_FLOAT -> in.pos += 4;
            case KIND_DOUBLE -> in.pos += 8;
            case KIND_STRING -> in.skipString();
            default -> {
                if (depth > 64) {
                    throw in.damage("type " + t.name + " nests itself inline");
                }
                for (Field f : t.fields) {
                    skipField(in, f, depth + 1);
                }
            }
        }
    }

    /** One element of the metadata tree. */
    private static final class Element {
        final String name;
        final Map<String, String> attributes = new HashMap<>();
        final List<Element> children = new ArrayList<>();

        private Element(String name) {
            this.name = name;
        }

        static Element read(JfrInput in, String[] strings, int depth) {
            if (depth > 32) {
                throw in.damage("the metadata tree nests deeper than 32 elements");
            }
            Element e = new Element(string(in, strings));
            int attributes = in.checkedCount(in.readInt());
            for (int i = 0; i < attributes; i++) {
                e.attributes.put(string(in, strings), string(in, strings));
            }
            int children = in.checkedCount(in.readInt());
            for (int i = 0; i < children; i++) {
                e.children.add(read(in, strings, depth + 1));
            }
            return e;
        }

        private static String string(JfrInput in, String[] strings) {
            int i = in.readInt();
            if (i < 0 || i >= strings.length) {
                throw in.damage("metadata string index " + i + " outside its table of " + strings.length);
            }
            return strings[i];
        }

        Element child(String childName) {
            for (Element c : children) {
                if (c.name.equals(childName)) {
                    return c;
                }
            }
            return null;
        }

        /** An attribute the element must have, or the damage it is that it has none. */
        String requiredAttribute(String key, JfrInput in) {
            String v = attributes.get(key);
            if (v == null) {
                throw in.damage("metadata element " + name + " has no " + key);
            }
            return v;
        }

        long longAttribute(String key, JfrInput in) {
            String v = attributes.get(key);
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw in.damage("metadata element " + name + " has " + key + "=" + v);
            }
        }
    }
}

package dev.heaplens.hprof;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * Builds small, exact HotSpot-style heap dumps for tests: say which classes, objects, roots and
 * threads the heap holds, and get a file that reads like one {@code jcmd GC.heap_dump} wrote.
 *
 * <pre>{@code
 * import static dev.heaplens.hprof.BasicType.*;
 * import static dev.heaplens.hprof.HprofWriter.*;
 *
 * Path dump = HprofWriter.create(8)
 *         .classDump("Cache", fields("map", OBJECT, "size", INT))
 *         .instance(1, "Cache", ref(2), value(1))
 *         .objectArray(2, "java.lang.Object[]", ref(3), ref(0))
 *         .primitiveArray(3, INT, new int[] {1, 2})
 *         .stickyClassRoot("Cache")
 *         .write(tempDir);
 * }</pre>
 *
 * <p>What it takes care of, so a test need not:
 * <ul>
 * <li>UTF8 names (in the VM's internal form, {@code java/lang/String}, {@code [I}), LOAD CLASS
 *     records, and every superclass chain ending at {@code java.lang.Object};</li>
 * <li>JDK classes declared on first use with HotSpot-like fields: {@code java.lang.Object},
 *     {@code Class}, {@code String} (JDK 9+ {@code value}/{@code coder}, or JDK 8 {@code char[]}
 *     after {@link #jdk8Strings()}), {@code StringUTF16}, {@code Thread}, and the
 *     {@code java.lang.ref} references; array classes ({@code "int[]"}, {@code "Foo[]"}) likewise;</li>
 * <li>instance field values checked against the fields, count and types, in dump order: the
 *     class's own fields first, then its superclass's, up to {@code java.lang.Object};</li>
 * <li>threads: START THREAD, STACK FRAME and STACK TRACE records, ROOT THREAD OBJECT and one
 *     ROOT JAVA FRAME per local;</li>
 * <li>ids: chosen by the test or handed out by {@link #nextObjectId()}; class, name and handle ids
 *     are assigned deterministically from ranges far from small test ids (above 2^32 with 8-byte
 *     ids, so a reader that truncates ids to {@code int} fails), and 4-byte ids are checked to fit.</li>
 * </ul>
 *
 * <p>The file holds, in HotSpot's order: header, UTF8, LOAD CLASS, HotSpot's empty stack trace
 * (serial 1, which every object names as its allocation site) and the threads' frames and traces,
 * START THREAD, any {@link #records(RecordStep)}, then HEAP DUMP SEGMENTs (split every 1 MiB like
 * HotSpot, or per {@link #segmentSize(long)}) holding class dumps, thread roots, other roots,
 * objects and any {@link #heapRecords(RecordStep)}, and HEAP DUMP END. Nothing is written until
 * one of the {@code write} methods runs; a fixture can be written more than once.
 * {@link HprofRecordWriter} is the level below, for files this class will not make.
 */
public final class HprofWriter {

    /** HotSpot's stack trace serial for "unknown allocation site", the one trace every object names. */
    private static final int STACK_TRACE_ID = 1;

    /**
     * A field or element value: its type and raw bits, as the dump stores them (an id for
     * references, {@code Float.floatToRawIntBits} for floats, …). Made by {@link #ref(long)} and the
     * {@code value(…)} overloads: {@code ref(2)}, {@code value(42)}, {@code value(7L)},
     * {@code value(true)}, {@code value((byte) 1)}.
     */
    public record Value(BasicType type, long bits) {
        /** Checks that a type is given. */
        public Value {
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String toString() {
            return switch (type) {
                case OBJECT -> "ref(0x" + Long.toHexString(bits) + ")";
                case BOOLEAN -> "boolean " + (bits != 0);
                case CHAR -> "char '" + (char) bits + "'";
                case FLOAT -> "float " + Float.intBitsToFloat((int) bits);
                case DOUBLE -> "double " + Double.longBitsToDouble(bits);
                case BYTE -> "byte " + (byte) bits;
                case SHORT -> "short " + (short) bits;
                case INT -> "int " + (int) bits;
                case LONG -> "long " + bits;
            };
        }
    }

    /** An instance field as declared: name and type. Example: {@code field("map", OBJECT)}. */
    public record Field(String name, BasicType type) {
        /** Checks that both parts are given. */
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * A stack frame of a {@link #thread(long, String, Frame...) thread}, and the objects its locals
     * hold (each becomes a ROOT JAVA FRAME). Line: positive, or -1 unknown, -2 compiled, -3 native.
     *
     * <pre>{@code
     * frame("com.acme.Main", "main", 12).signature("([Ljava/lang/String;)V").locals(1, 2)
     * }</pre>
     */
    public record Frame(String className, String methodName, String signature, String sourceFile, int line,
                        List<Long> locals) {
        /** Copies the list of locals. */
        public Frame {
            locals = List.copyOf(locals);
        }

        /** This frame with locals holding the given objects. Example: {@code frame(...).locals(1, 2)}. */
        public Frame locals(long... objectIds) {
            return new Frame(className, methodName, signature, sourceFile, line,
                    Arrays.stream(objectIds).boxed().toList());
        }

        /** This frame with another method descriptor (the default is {@code ()V}). */
        public Frame signature(String descriptor) {
            return new Frame(className, methodName, descriptor, sourceFile, line, locals);
        }

        /** This frame with another source file name (the default is the top-level class's simple name + {@code .java}). */
        public Frame sourceFile(String fileName) {
            return new Frame(className, methodName, signature, fileName, line, locals);
        }
    }

    /**
     * Extra records written through the record level at a fixed place in the file, e.g. a HEAP
     * SUMMARY or a broken sub-record: {@code .records(w -> w.heapSummary(64, 2, 64, 2))}.
     */
    @FunctionalInterface
    public interface RecordStep {
        /** Writes records to {@code records}. */
        void write(HprofRecordWriter records) throws IOException;
    }

    private static final class ClassDecl {
        final String name;
        final String vmName;
        final long id;
        final int serial;
        final ClassDecl superclass;
        final List<Field> fields;
        final List<StaticValue> statics = new ArrayList<>();
        long loaderId;

        ClassDecl(String name, long id, int serial, ClassDecl superclass, List<Field> fields) {
            this.name = name;
            this.vmName = vmName(name);
            this.id = id;
            this.serial = serial;
            this.superclass = superclass;
            this.fields = List.copyOf(fields);
        }

        boolean isArray() {
            return name.endsWith("[]");
        }

        /** All instance fields in the order an INSTANCE DUMP holds their values. */
        List<Field> dumpOrderFields() {
            List<Field> all = new ArrayList<>();
            for (ClassDecl c = this; c != null; c = c.superclass) {
                all.addAll(c.fields);
            }
            return all;
        }
    }

    private record StaticValue(String name, Value value) {
    }

    private record ThreadDecl(long objectId, int serial, String name, List<Frame> frames) {
    }

    private record KnownClass(String superName, List<Field> fields, List<StaticValue> statics) {
    }

    /** JDK classes declared on first use; java.lang.String is chosen by {@link #jdk8Strings()}. */
    private static final Map<String, KnownClass> KNOWN = Map.of(
            "java.lang.Object", new KnownClass(null, List.of(), List.of()),
            // JDK 17's Class fields; HotSpot dumps every class as a CLASS DUMP, never as an instance
            "java.lang.Class", new KnownClass("java.lang.Object", fields(
                    "cachedConstructor", BasicType.OBJECT, "name", BasicType.OBJECT, "module", BasicType.OBJECT,
                    "classLoader", BasicType.OBJECT, "classData", BasicType.OBJECT, "packageName", BasicType.OBJECT,
                    "componentType", BasicType.OBJECT, "reflectionData", BasicType.OBJECT,
                    "classRedefinedCount", BasicType.INT, "genericInfo", BasicType.OBJECT,
                    "enumConstants", BasicType.OBJECT, "enumConstantDirectory", BasicType.OBJECT,
                    "annotationData", BasicType.OBJECT, "annotationType", BasicType.OBJECT,
                    "classValueMap", BasicType.OBJECT), List.of()),
            // UTF-16 strings hold their chars in the VM's byte order; these shifts say little-endian
            "java.lang.StringUTF16", new KnownClass("java.lang.Object", List.of(), List.of(
                    new StaticValue("HI_BYTE_SHIFT", value(0)), new StaticValue("LO_BYTE_SHIFT", value(8)))),
            // a subset of JDK 17's Thread: what analyses read (name, ids, thread locals)
            "java.lang.Thread", new KnownClass("java.lang.Object", fields(
                    "name", BasicType.OBJECT, "priority", BasicType.INT, "daemon", BasicType.BOOLEAN,
                    "tid", BasicType.LONG, "threadStatus", BasicType.INT, "group", BasicType.OBJECT,
                    "contextClassLoader", BasicType.OBJECT, "target", BasicType.OBJECT,
                    "threadLocals", BasicType.OBJECT, "inheritableThreadLocals", BasicType.OBJECT), List.of()),
            "java.lang.ref.Reference", new KnownClass("java.lang.Object", fields(
                    "referent", BasicType.OBJECT, "queue", BasicType.OBJECT, "next", BasicType.OBJECT,
                    "discovered", BasicType.OBJECT), List.of()),
            "java.lang.ref.SoftReference", new KnownClass("java.lang.ref.Reference",
                    fields("timestamp", BasicType.LONG), List.of()),
            "java.lang.ref.WeakReference", new KnownClass("java.lang.ref.Reference", List.of(), List.of()),
            "java.lang.ref.PhantomReference", new KnownClass("java.lang.ref.Reference", List.of(), List.of()),
            "java.lang.ref.FinalReference", new KnownClass("java.lang.ref.Reference", List.of(), List.of()));

    private final int idSize;
    private long millis;
    private long segmentBytes = HprofRecordWriter.HOTSPOT_SEGMENT_BYTES;
    private boolean singleHeapDumpRecord;
    private boolean jdk8Strings;

    private final Map<String, ClassDecl> classes = new LinkedHashMap<>();
    private final Map<String, Long> symbols = new LinkedHashMap<>();
    private final Set<Long> usedIds = new HashSet<>();
    private final List<ThreadDecl> threads = new ArrayList<>();
    private final Map<Long, Integer> threadSerials = new HashMap<>();
    private final List<RecordStep> roots = new ArrayList<>();
    private final List<RecordStep> objects = new ArrayList<>();
    private final List<RecordStep> extraRecords = new ArrayList<>();
    private final List<RecordStep> extraHeapRecords = new ArrayList<>();
    private long nextObject;
    private long nextSymbol;
    private long nextHandle;

    private HprofWriter(int idSize) {
        this.idSize = idSize;
        // heap-like addresses for objects and classes, symbol-table-like ones for names
        this.nextObject = idSize == 8 ? 0x7_0000_0000L : 0x1000_0000L;
        this.nextSymbol = idSize == 8 ? 0x7f00_0000_0000L : 0x4000_0000L;
        this.nextHandle = idSize == 8 ? 0x7f80_0000_0000L : 0x6000_0000L;
    }

    /** A fixture with identifiers of {@code idSize} bytes (4 or 8). Example: {@code HprofWriter.create(8)}. */
    public static HprofWriter create(int idSize) {
        if (idSize != 4 && idSize != 8) {
            throw new IllegalArgumentException("identifier size must be 4 or 8, not " + idSize);
        }
        return new HprofWriter(idSize);
    }

    // ---- values and declarations for static import ------------------------------------------

    /**
     * Fields from alternating names and types. Example: {@code fields("map", OBJECT, "size", INT)}.
     */
    public static List<Field> fields(Object... namesAndTypes) {
        if (namesAndTypes.length % 2 != 0) {
            throw new IllegalArgumentException("fields(...) takes name, type pairs; got " + namesAndTypes.length + " arguments");
        }
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            if (!(namesAndTypes[i] instanceof String name) || !(namesAndTypes[i + 1] instanceof BasicType type)) {
                throw new IllegalArgumentException("fields(...) argument " + i + " must be a String name followed by a BasicType");
            }
            fields.add(new Field(name, type));
        }
        return List.copyOf(fields);
    }

    /** One field. Example: {@code classDump("Node", List.of(field("next", OBJECT)))}. */
    public static Field field(String name, BasicType type) {
        return new Field(name, type);
    }

    /** A reference to object {@code id}; {@code ref(0)} is null. */
    public static Value ref(long id) {
        return new Value(BasicType.OBJECT, id);
    }

    /** A {@code boolean} value. Example: {@code value(true)}. */
    public static Value value(boolean z) {
        return new Value(BasicType.BOOLEAN, z ? 1 : 0);
    }

    /** A {@code byte} value. Example: {@code value((byte) 1)}. */
    public static Value value(byte b) {
        return new Value(BasicType.BYTE, b & 0xFFL);
    }

    /** A {@code char} value. Example: {@code value('x')}. */
    public static Value value(char c) {
        return new Value(BasicType.CHAR, c);
    }

    /** A {@code short} value. Example: {@code value((short) 7)}. */
    public static Value value(short s) {
        return new Value(BasicType.SHORT, s & 0xFFFFL);
    }

    /** An {@code int} value. Example: {@code value(42)}. */
    public static Value value(int i) {
        return new Value(BasicType.INT, i & 0xFFFF_FFFFL);
    }

    /** A {@code long} value. Example: {@code value(42L)}. */
    public static Value value(long j) {
        return new Value(BasicType.LONG, j);
    }

    /** A {@code float} value, bits kept exactly (NaN payloads included). Example: {@code value(1.5f)}. */
    public static Value value(float f) {
        return new Value(BasicType.FLOAT, Float.floatToRawIntBits(f) & 0xFFFF_FFFFL);
    }

    /** A {@code double} value, bits kept exactly. Example: {@code value(2.5)}. */
    public static Value value(double d) {
        return new Value(BasicType.DOUBLE, Double.doubleToRawLongBits(d));
    }

    /** A stack frame with no locals, descriptor {@code ()V}. Example: {@code frame("com.acme.Main", "run", 42)}. */
    public static Frame frame(String className, String methodName, int line) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        int nested = simple.indexOf('$');
        String source = (nested > 0 ? simple.substring(0, nested) : simple) + ".java";
        return new Frame(className, methodName, "()V", source, line, List.of());
    }

    // ---- options ------------------------------------------------------------------------------

    /** The header's timestamp in epoch milliseconds (default 0). Example: {@code .timestamp(1_700_000_000_000L)}. */
    public HprofWriter timestamp(long epochMillis) {
        this.millis = epochMillis;
        return this;
    }

    /**
     * Splits the heap into HEAP DUMP SEGMENTs whose bodies stay within {@code bytes} (a sub-record
     * never straddles two). The default is HotSpot's 1 MiB. Example: {@code .segmentSize(64)}.
     */
    public HprofWriter segmentSize(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("segment size must be positive, not " + bytes);
        }
        this.segmentBytes = bytes;
        return this;
    }

    /**
     * Writes the layout JDK 8 uses for heaps under 2 GB: a {@code JAVA PROFILE 1.0.1} header and the
     * whole heap in one HEAP DUMP record, with no HEAP DUMP END. Example: {@code create(8).singleHeapDumpRecord()}.
     */
    public HprofWriter singleHeapDumpRecord() {
        this.singleHeapDumpRecord = true;
        return this;
    }

    /**
     * Declares {@code java.lang.String} as JDK 8 did ({@code char[] value}, {@code int hash})
     * instead of JDK 9+'s compact form; call it before the first string. Example: {@code create(8).jdk8Strings()}.
     */
    public HprofWriter jdk8Strings() {
        if (classes.containsKey("java.lang.String")) {
            throw new IllegalStateException("java.lang.String is already declared; call jdk8Strings() before any string");
        }
        this.jdk8Strings = true;
        return this;
    }

    // ---- classes ------------------------------------------------------------------------------

    /** A class with no instance fields, extending {@code java.lang.Object}. Example: {@code .classDump("Marker")}. */
    public HprofWriter classDump(String name) {
        return classDump(name, List.of());
    }

    /** A class extending {@code java.lang.Object}. Example: {@code .classDump("Cache", fields("map", OBJECT))}. */
    public HprofWriter classDump(String name, List<Field> fields) {
        boolean isObject = "java.lang.Object".equals(javaName(name));
        return classDump(name, isObject ? null : "java.lang.Object", fields);
    }

    /**
     * A class with a superclass, which must be declared already or be a JDK class this fixture
     * knows. Example: {@code .classDump("LruCache", "Cache", fields("limit", INT))}.
     */
    public HprofWriter classDump(String name, String superName, List<Field> fields) {
        declareExplicit(null, name, superName, fields);
        return this;
    }

    /**
     * A class whose class object id the test chooses. Names may be Java names
     * ({@code java.util.HashMap$Node}, {@code int[]}) or the VM's ({@code java/util/HashMap$Node}, {@code [I}).
     * Example: {@code .classDump(0x100, "Cache", "java.lang.Object", fields("map", OBJECT))}.
     */
    public HprofWriter classDump(long classId, String name, String superName, List<Field> fields) {
        declareExplicit(classId, name, superName, fields);
        return this;
    }

    /**
     * Adds a static field with its value to a class; the field's type is the value's.
     * Example: {@code .staticField("Cache", "INSTANCE", ref(1))}.
     */
    public HprofWriter staticField(String className, String fieldName, Value value) {
        ClassDecl c = resolve(className, false);
        checkValue(value);
        c.statics.add(new StaticValue(fieldName, value));
        symbol(fieldName);
        return this;
    }

    /** Records the class loader object of a class (0, the boot loader, by default). Example: {@code .classLoader("Plugin", 0x500)}. */
    public HprofWriter classLoader(String className, long loaderObjectId) {
        resolve(className, false).loaderId = checkId(loaderObjectId);
        return this;
    }

    /**
     * The class object id of a class, declaring a JDK or array class on first use.
     * Example: {@code long id = fixture.classIdOf("java.lang.String");}
     */
    public long classIdOf(String className) {
        return resolve(className, false).id;
    }

    /**
     * Hands out an object id no other object of this fixture uses, deterministically: the same
     * calls in the same order give the same ids. Example: {@code long a = fixture.nextObjectId();}
     */
    public long nextObjectId() {
        long id;
        do {
            id = nextObject;
            nextObject += 8;
        } while (usedIds.contains(id));
        return checkId(id);
    }

    // ---- objects ------------------------------------------------------------------------------

    /**
     * An instance with every field value given, in dump order: the class's own fields first, then
     * its superclass's. Example: {@code .instance(1, "LruCache", value(100), ref(2), value(0))}.
     */
    public HprofWriter instance(long id, String className, Value... values) {
        ClassDecl c = resolve(className, false);
        if (c.isArray()) {
            throw new IllegalArgumentException(c.name + " is an array class; use objectArray or primitiveArray");
        }
        List<Field> expected = c.dumpOrderFields();
        if (values.length != expected.size()) {
            throw new IllegalArgumentException(c.name + " instances hold " + expected.size() + " field values "
                    + describe(expected) + ", got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            checkValue(values[i]);
            if (values[i].type() != expected.get(i).type()) {
                throw new IllegalArgumentException("field " + expected.get(i).name() + " of " + c.name + " is "
                        + expected.get(i).type() + ", got " + values[i]);
            }
        }
        claim(id);
        Value[] copy = values.clone();
        objects.add(w -> w.instanceDump(id, STACK_TRACE_ID, c.id, copy));
        return this;
    }

    /**
     * An instance with the named fields set and every other field zero or null. A name matches the
     * first field of that name in dump order, i.e. the most derived class's.
     * Example: {@code .instance(1, "java.lang.Thread", Map.of("tid", value(7L)))}.
     */
    public HprofWriter instance(long id, String className, Map<String, Value> valuesByName) {
        List<Field> expected = resolve(className, false).dumpOrderFields();
        Map<String, Value> left = new HashMap<>(valuesByName);
        Value[] values = new Value[expected.size()];
        for (int i = 0; i < values.length; i++) {
            Field f = expected.get(i);
            Value v = left.remove(f.name());
            values[i] = v != null ? v : new Value(f.type(), 0);
        }
        if (!left.isEmpty()) {
            throw new IllegalArgumentException(javaName(className) + " has no field " + left.keySet()
                    + "; its fields are " + describe(expected));
        }
        return instance(id, className, values);
    }

    /**
     * An array of references; the array class ({@code "Foo[]"} or {@code "[LFoo;"}) is declared on
     * first use. Example: {@code .objectArray(2, "java.lang.Object[]", ref(3), ref(0))}.
     */
    public HprofWriter objectArray(long id, String arrayClassName, Value... elements) {
        ClassDecl c = resolve(arrayClassName, false);
        if (!c.isArray() || primitiveElement(c.name) != null) {
            throw new IllegalArgumentException(c.name + " is not an object array class");
        }
        long[] ids = new long[elements.length];
        for (int i = 0; i < elements.length; i++) {
            if (elements[i].type() != BasicType.OBJECT) {
                throw new IllegalArgumentException("element " + i + " of " + c.name + " must be a ref(...), got " + elements[i]);
            }
            ids[i] = checkId(elements[i].bits());
        }
        claim(id);
        objects.add(w -> w.objectArrayDump(id, STACK_TRACE_ID, c.id, ids));
        return this;
    }

    /**
     * A primitive array from a Java array of the matching type; its class ({@code int[]}, …) is
     * declared on first use. Example: {@code .primitiveArray(3, INT, new int[] {1, 2})}.
     */
    public HprofWriter primitiveArray(long id, BasicType type, Object javaArray) {
        byte[] bytes = HprofRecordWriter.encodeArray(type, javaArray);
        int length = java.lang.reflect.Array.getLength(javaArray);
        resolve(type.javaName() + "[]", false);
        claim(id);
        objects.add(w -> w.primitiveArrayDump(id, STACK_TRACE_ID, type, length, bytes));
        return this;
    }

    /**
     * A {@code java.lang.String} and its value array (id from {@link #nextObjectId()}). JDK 9+ form:
     * Latin-1 bytes with {@code coder} 0 when every char fits, else UTF-16 in little-endian order
     * (as on x86) with {@code coder} 1; after {@link #jdk8Strings()}, a {@code char[]}. The hash is
     * 0, not yet computed, as in most real dumps. Example: {@code .string(5, "hello")}.
     */
    public HprofWriter string(long id, String text) {
        resolve("java.lang.String", false);
        long arrayId = nextObjectId();
        if (jdk8Strings) {
            primitiveArray(arrayId, BasicType.CHAR, text.toCharArray());
            return instance(id, "java.lang.String", Map.of("value", ref(arrayId)));
        }
        boolean latin1 = text.chars().allMatch(ch -> ch <= 0xFF);
        byte[] bytes = new byte[latin1 ? text.length() : text.length() * 2];
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (latin1) {
                bytes[i] = (byte) ch;
            } else {
                bytes[2 * i] = (byte) ch;
                bytes[2 * i + 1] = (byte) (ch >> 8);
            }
        }
        if (!latin1) {
            resolve("java.lang.StringUTF16", false);
        }
        primitiveArray(arrayId, BasicType.BYTE, bytes);
        return instance(id, "java.lang.String", Map.of("value", ref(arrayId), "coder", value((byte) (latin1 ? 0 : 1))));
    }

    // ---- roots --------------------------------------------------------------------------------

    /** ROOT UNKNOWN. Example: {@code .unknownRoot(1)}. */
    public HprofWriter unknownRoot(long objectId) {
        long id = checkId(objectId);
        roots.add(w -> w.rootUnknown(id));
        return this;
    }

    /** ROOT JNI GLOBAL with a handle id assigned deterministically. Example: {@code .jniGlobalRoot(1)}. */
    public HprofWriter jniGlobalRoot(long objectId) {
        long handle = nextHandle;
        nextHandle += 8;
        return jniGlobalRoot(objectId, handle);
    }

    /** ROOT JNI GLOBAL with the JNI handle's own id. Example: {@code .jniGlobalRoot(1, 0x7f0010)}. */
    public HprofWriter jniGlobalRoot(long objectId, long globalRefId) {
        long id = checkId(objectId);
        long ref = checkId(globalRefId);
        roots.add(w -> w.rootJniGlobal(id, ref));
        return this;
    }

    /** ROOT JNI LOCAL of a thread declared with {@link #thread}, at frame depth {@code frame}. Example: {@code .jniLocalRoot(1, 100, 0)}. */
    public HprofWriter jniLocalRoot(long objectId, long threadObjectId, int frame) {
        long id = checkId(objectId);
        int serial = threadSerial(threadObjectId);
        roots.add(w -> w.rootJniLocal(id, serial, frame));
        return this;
    }

    /**
     * ROOT JAVA FRAME of a thread declared with {@link #thread} (whose frames' locals already make
     * these roots; this adds one by hand). Example: {@code .javaFrameRoot(1, 100, 0)}.
     */
    public HprofWriter javaFrameRoot(long objectId, long threadObjectId, int frame) {
        long id = checkId(objectId);
        int serial = threadSerial(threadObjectId);
        roots.add(w -> w.rootJavaFrame(id, serial, frame));
        return this;
    }

    /** ROOT NATIVE STACK of a thread declared with {@link #thread}. Example: {@code .nativeStackRoot(1, 100)}. */
    public HprofWriter nativeStackRoot(long objectId, long threadObjectId) {
        long id = checkId(objectId);
        int serial = threadSerial(threadObjectId);
        roots.add(w -> w.rootNativeStack(id, serial));
        return this;
    }

    /** ROOT STICKY CLASS: a class the VM never unloads. Example: {@code .stickyClassRoot("Cache")}. */
    public HprofWriter stickyClassRoot(String className) {
        resolve("java.lang.Class", false); // a class object is now referenced as an object
        long id = resolve(className, false).id;
        roots.add(w -> w.rootStickyClass(id));
        return this;
    }

    /** ROOT THREAD BLOCK of a thread declared with {@link #thread}. Example: {@code .threadBlockRoot(1, 100)}. */
    public HprofWriter threadBlockRoot(long objectId, long threadObjectId) {
        long id = checkId(objectId);
        int serial = threadSerial(threadObjectId);
        roots.add(w -> w.rootThreadBlock(id, serial));
        return this;
    }

    /** ROOT MONITOR USED: an object whose monitor is held. Example: {@code .monitorUsedRoot(1)}. */
    public HprofWriter monitorUsedRoot(long objectId) {
        long id = checkId(objectId);
        roots.add(w -> w.rootMonitorUsed(id));
        return this;
    }

    /**
     * A live thread with its stack, top frame first: START THREAD (which HotSpot itself does not
     * write), STACK FRAME and STACK TRACE records (trace serial = thread serial + 1, as HotSpot
     * numbers them), ROOT THREAD OBJECT, and a ROOT JAVA FRAME per local of each frame. Thread
     * serials count from 1 in declaration order. Unless an object with {@code threadObjectId} is
     * declared already (e.g. an instance of a Thread subclass), a {@code java.lang.Thread} is
     * created with its name as a String. Frame classes not declared yet are declared without fields.
     *
     * <pre>{@code
     * .thread(100, "main", frame("com.acme.Main", "main", 12).locals(1), frame("java.lang.Thread", "run", 840))
     * }</pre>
     */
    public HprofWriter thread(long threadObjectId, String name, Frame... frames) {
        if (threadSerials.containsKey(threadObjectId)) {
            throw new IllegalArgumentException("thread 0x" + Long.toHexString(threadObjectId) + " is already declared");
        }
        int serial = threads.size() + 1;
        if (!usedIds.contains(threadObjectId)) {
            long nameId = nextObjectId();
            string(nameId, name);
            instance(threadObjectId, "java.lang.Thread",
                    Map.of("name", ref(nameId), "tid", value((long) serial), "priority", value(5)));
        }
        for (Frame f : frames) {
            resolve(f.className(), true);
            symbol(f.methodName());
            symbol(f.signature());
            symbol(f.sourceFile());
            f.locals().forEach(this::checkId);
        }
        symbol(name);
        symbol("main");
        symbol("system");
        threads.add(new ThreadDecl(threadObjectId, serial, name, List.of(frames)));
        threadSerials.put(threadObjectId, serial);
        return this;
    }

    // ---- escape hatches -------------------------------------------------------------------------

    /**
     * Top-level records written after the stack traces and before the heap dump.
     * Example: {@code .records(w -> w.heapSummary(64, 2, 64, 2).rawRecord(0x42, new byte[] {1}))}.
     */
    public HprofWriter records(RecordStep step) {
        extraRecords.add(Objects.requireNonNull(step));
        return this;
    }

    /**
     * Sub-records (or raw bytes) written at the end of the heap dump, after every object.
     * Example: {@code .heapRecords(w -> w.rootUnknown(0x999))}.
     */
    public HprofWriter heapRecords(RecordStep step) {
        extraHeapRecords.add(Objects.requireNonNull(step));
        return this;
    }

    // ---- output -------------------------------------------------------------------------------

    /** Writes the dump to a new {@code .hprof} file in {@code directory} and returns it. Example: {@code .write(tempDir)}. */
    public Path write(Path directory) throws IOException {
        return writeTo(Files.createTempFile(directory, "heaplens-", ".hprof"));
    }

    /** Writes the dump to {@code file} (created or replaced) and returns it. Example: {@code .writeTo(tempDir.resolve("a.hprof"))}. */
    public Path writeTo(Path file) throws IOException {
        try (HprofRecordWriter w = HprofRecordWriter.headerless(
                new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), idSize)) {
            emit(w);
        }
        return file;
    }

    /**
     * Writes the dump gzip-compressed, like {@code jcmd GC.heap_dump -gz=1}: into {@code target}, or
     * into a new {@code .hprof.gz} file when {@code target} is a directory. Example: {@code .writeGzip(tempDir)}.
     */
    public Path writeGzip(Path target) throws IOException {
        Path file = Files.isDirectory(target) ? Files.createTempFile(target, "heaplens-", ".hprof.gz") : target;
        OutputStream gzip = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), 1 << 16);
        try (HprofRecordWriter w = HprofRecordWriter.headerless(gzip, idSize)) {
            emit(w);
        }
        return file;
    }

    /** Writes the dump to {@code out}, which stays open. Example: {@code fixture.writeTo(socketStream)}. */
    public void writeTo(OutputStream out) throws IOException {
        OutputStream keepOpen = new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
        try (HprofRecordWriter w = HprofRecordWriter.headerless(keepOpen, idSize)) {
            emit(w);
        }
    }

    /** The dump's bytes, e.g. to cut short in a truncation test: {@code Arrays.copyOf(fixture.toBytes(), 100)}. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            writeTo(bytes);
        } catch (IOException e) {
            throw new AssertionError("a byte array stream does not fail", e);
        }
        return bytes.toByteArray();
    }

    private void emit(HprofRecordWriter w) throws IOException {
        w.header(singleHeapDumpRecord ? HprofRecordWriter.FORMAT_1_0_1 : HprofRecordWriter.FORMAT_1_0_2, millis);
        for (Map.Entry<String, Long> s : symbols.entrySet()) {
            w.utf8(s.getValue(), s.getKey());
        }
        for (ClassDecl c : classes.values()) {
            w.loadClass(c.serial, c.id, STACK_TRACE_ID, symbols.get(c.vmName));
        }
        w.stackTrace(STACK_TRACE_ID, 0);
        long frameId = 1;
        for (ThreadDecl t : threads) {
            long[] frameIds = new long[t.frames().size()];
            for (int i = 0; i < frameIds.length; i++) {
                Frame f = t.frames().get(i);
                frameIds[i] = frameId++;
                w.stackFrame(frameIds[i], symbols.get(f.methodName()), symbols.get(f.signature()),
                        symbols.get(f.sourceFile()), classes.get(javaName(f.className())).serial, f.line());
            }
            w.stackTrace(t.serial() + STACK_TRACE_ID, t.serial(), frameIds);
        }
        for (ThreadDecl t : threads) {
            w.startThread(t.serial(), t.objectId(), t.serial() + STACK_TRACE_ID, symbols.get(t.name()),
                    symbols.get("main"), symbols.get("system"));
        }
        for (RecordStep step : extraRecords) {
            step.write(w);
        }

        if (singleHeapDumpRecord) {
            w.beginHeapDump();
        } else {
            w.maxSegmentBytes(segmentBytes).beginHeapDumpSegment();
        }
        for (ClassDecl c : classes.values()) {
            List<HprofRecordWriter.StaticField> statics = c.statics.stream()
                    .map(s -> new HprofRecordWriter.StaticField(symbols.get(s.name()), s.value())).toList();
            List<HprofRecordWriter.FieldDescriptor> own = c.fields.stream()
                    .map(f -> new HprofRecordWriter.FieldDescriptor(symbols.get(f.name()), f.type())).toList();
            int instanceSize = c.dumpOrderFields().stream().mapToInt(f -> f.type().sizeInDump(idSize)).sum();
            w.classDump(c.id, STACK_TRACE_ID, c.superclass == null ? 0 : c.superclass.id, c.loaderId, 0, 0,
                    instanceSize, List.of(), statics, own);
        }
        for (ThreadDecl t : threads) {
            w.rootThreadObject(t.objectId(), t.serial(), t.serial() + STACK_TRACE_ID);
            for (int depth = 0; depth < t.frames().size(); depth++) {
                for (long local : t.frames().get(depth).locals()) {
                    w.rootJavaFrame(local, t.serial(), depth);
                }
            }
        }
        for (RecordStep root : roots) {
            root.write(w);
        }
        for (RecordStep object : objects) {
            object.write(w);
        }
        for (RecordStep step : extraHeapRecords) {
            step.write(w);
        }
        w.endHeapDump();
        if (!singleHeapDumpRecord) {
            w.heapDumpEnd();
        }
    }

    // ---- class table ----------------------------------------------------------------------------

    /** The declared class, declaring a JDK class, array class or (if {@code orEmpty}) field-less class on first use. */
    private ClassDecl resolve(String name, boolean orEmpty) {
        String n = javaName(name);
        ClassDecl c = classes.get(n);
        if (c != null) {
            return c;
        }
        if (n.endsWith("[]")) {
            return declare(nextObjectId(), n, resolve("java.lang.Object", false), List.of());
        }
        if (n.equals("java.lang.String")) {
            List<Field> stringFields = jdk8Strings
                    ? fields("value", BasicType.OBJECT, "hash", BasicType.INT)
                    : fields("value", BasicType.OBJECT, "coder", BasicType.BYTE, "hash", BasicType.INT,
                    "hashIsZero", BasicType.BOOLEAN);
            return declare(nextObjectId(), n, resolve("java.lang.Object", false), stringFields);
        }
        KnownClass known = KNOWN.get(n);
        if (known != null) {
            ClassDecl superclass = known.superName() == null ? null : resolve(known.superName(), false);
            ClassDecl decl = declare(nextObjectId(), n, superclass, known.fields());
            known.statics().forEach(s -> staticField(n, s.name(), s.value()));
            return decl;
        }
        if (orEmpty) {
            return declare(nextObjectId(), n, resolve("java.lang.Object", false), List.of());
        }
        throw new IllegalArgumentException("class " + n + " is not declared; call classDump(\"" + n + "\", ...) first");
    }

    /** A class the test declares; its id is the given one, or the next free one after its superclass's. */
    private void declareExplicit(Long classId, String name, String superName, List<Field> fields) {
        String n = javaName(name);
        if (classes.containsKey(n)) {
            throw new IllegalArgumentException("class " + n + " is already declared"
                    + (KNOWN.containsKey(n) || n.endsWith("[]") ? " (declared on first use; declare it before using it)" : ""));
        }
        ClassDecl superclass = superName == null ? null : resolve(superName, false);
        declare(classId != null ? classId : nextObjectId(), n, superclass, fields);
    }

    private ClassDecl declare(long classId, String name, ClassDecl superclass, List<Field> fields) {
        if (name.endsWith("[]") && !fields.isEmpty()) {
            throw new IllegalArgumentException("array class " + name + " cannot have instance fields");
        }
        claim(classId);
        ClassDecl c = new ClassDecl(name, classId, classes.size() + 1, superclass, fields);
        classes.put(name, c);
        symbol(c.vmName);
        fields.forEach(f -> symbol(f.name()));
        return c;
    }

    private void claim(long id) {
        checkId(id);
        if (id == 0) {
            throw new IllegalArgumentException("id 0 means null; objects and classes need a non-zero id");
        }
        if (!usedIds.add(id)) {
            throw new IllegalArgumentException("id 0x" + Long.toHexString(id) + " is already used by another object or class");
        }
    }

    private void symbol(String text) {
        if (!symbols.containsKey(text)) {
            symbols.put(text, nextSymbol);
            nextSymbol += 8;
        }
    }

    private long checkId(long id) {
        return HprofRecordWriter.checkId(idSize, id);
    }

    private void checkValue(Value v) {
        if (v.type() == BasicType.OBJECT) {
            checkId(v.bits());
        }
    }

    private int threadSerial(long threadObjectId) {
        Integer serial = threadSerials.get(threadObjectId);
        if (serial == null) {
            throw new IllegalArgumentException("thread 0x" + Long.toHexString(threadObjectId)
                    + " is not declared; call thread(...) first");
        }
        return serial;
    }

    private static String describe(List<Field> fields) {
        StringBuilder sb = new StringBuilder("[");
        for (Field f : fields) {
            sb.append(sb.length() > 1 ? ", " : "").append(f.name()).append(' ').append(f.type());
        }
        return sb.append(']').toString();
    }

    // ---- names ----------------------------------------------------------------------------------

    /** {@code java.lang.String}, {@code int[][]}, {@code Foo[]} from a Java or VM name. */
    static String javaName(String name) {
        if (!name.startsWith("[")) {
            return name.replace('/', '.');
        }
        int dims = 0;
        while (name.charAt(dims) == '[') {
            dims++;
        }
        String element = name.substring(dims);
        String base = switch (element.charAt(0)) {
            case 'L' -> element.substring(1, element.length() - 1).replace('/', '.');
            case 'Z' -> "boolean";
            case 'C' -> "char";
            case 'F' -> "float";
            case 'D' -> "double";
            case 'B' -> "byte";
            case 'S' -> "short";
            case 'I' -> "int";
            case 'J' -> "long";
            default -> throw new IllegalArgumentException("not a VM class name: " + name);
        };
        return base + "[]".repeat(dims);
    }

    /** The VM's internal name: {@code java/lang/String}, {@code [I}, {@code [Ljava/lang/Object;}. */
    static String vmName(String javaName) {
        int dims = 0;
        String base = javaName;
        while (base.endsWith("[]")) {
            base = base.substring(0, base.length() - 2);
            dims++;
        }
        if (dims == 0) {
            return base.replace('.', '/');
        }
        BasicType primitive = primitiveElement(base + "[]");
        String element = primitive != null ? String.valueOf(primitive.descriptorChar()) : "L" + base.replace('.', '/') + ";";
        return "[".repeat(dims) + element;
    }

    /** The element type of a one-dimensional primitive array class name like {@code int[]}, else null. */
    private static BasicType primitiveElement(String arrayName) {
        for (BasicType t : BasicType.values()) {
            if (t != BasicType.OBJECT && arrayName.equals(t.javaName() + "[]")) {
                return t;
            }
        }
        return null;
    }
}

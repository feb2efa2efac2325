package dev.heaplens.alloc;

import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one chunk of a JFR recording straight into allocation cells: its metadata says how each
 * event is laid out, its constant pools are indexed (key → position, nothing decoded), then every
 * event is stepped over by its size, and only allocation, GC and JVM events are decoded. A class,
 * stack trace or method is decoded from its pool once per chunk, when an event first refers to it.
 *
 * <p>Chunks are self-contained, so a recording's chunks are read in parallel and their folds merged
 * in file order ({@link RecordingReader}).
 */
final class JfrChunkReader {
    /** Bytes of a chunk header: magic, version, size, pool and metadata offsets, times, flags. */
    static final int HEADER_BYTES = 68;

    /** What an event type is to this reader. */
    private static final int OTHER = 0;
    private static final int KIND_SAMPLE = 1;
    private static final int KIND_IN_NEW_TLAB = 2;
    private static final int KIND_OUTSIDE_TLAB = 3;
    private static final int KIND_GC = 4;
    private static final int KIND_HEAP = 5;
    private static final int KIND_JVM = 6;

    /** Slots of the decoded fields. */
    private static final int START = 0;
    private static final int DURATION = 1;
    private static final int STACK = 2;
    private static final int CLASS = 3;
    private static final int WEIGHT = 4;
    private static final int SIZE = 5;
    private static final int TLAB = 6;
    private static final int GC_ID = 7;
    private static final int NAME = 8;
    private static final int CAUSE = 9;
    private static final int PAUSES = 10;
    private static final int LONGEST = 11;
    private static final int WHEN = 12;
    private static final int HEAP_USED = 13;
    private static final int PID = 14;
    private static final int SLOTS = 15;
    private static final Map<String, Integer> SLOT_OF_FIELD = Map.ofEntries(
            Map.entry("startTime", START), Map.entry("duration", DURATION), Map.entry("stackTrace", STACK),
            Map.entry("objectClass", CLASS), Map.entry("weight", WEIGHT), Map.entry("allocationSize", SIZE),
            Map.entry("tlabSize", TLAB), Map.entry("gcId", GC_ID), Map.entry("name", NAME), Map.entry("cause", CAUSE),
            Map.entry("sumOfPauses", PAUSES), Map.entry("longestPause", LONGEST), Map.entry("when", WHEN),
            Map.entry("heapUsed", HEAP_USED), Map.entry("pid", PID));

    /** How one event type is read: its fields up to the last one needed, each with its slot or -1. */
    private static final class EventPlan {
        final String name;
        final int kind;
        final JfrMetadata.Field[] fields;
        final int[] slots;
        final int lastField;
        long count;

        EventPlan(JfrMetadata.Type type, int kind) {
            this.name = type.name;
            this.kind = kind;
            this.fields = type.fields;
            this.slots = new int[fields.length];
            int last = -1;
            for (int i = 0; i < fields.length; i++) {
                Integer slot = SLOT_OF_FIELD.get(fields[i].name);
                boolean wanted = slot != null && (slot <= DURATION || kind != OTHER) && (slot != START || i == 0)
                        && (slot != DURATION || i == 1);
                slots[i] = wanted ? slot : -1;
                if (wanted) {
                    last = i;
                }
            }
            this.lastField = last;
        }
    }

    // What a chunk leaves for the merge.
    final List<String> types = new ArrayList<>();
    final StackTable stacks = new StackTable();
    final AllocationCells cells = new AllocationCells();
    final Map<String, Long> eventCounts = new HashMap<>();
    /** Per gcId: collector, cause, start and duration in nanos, sum of pauses and longest pause in nanos. */
    final List<Object[]> collections = new ArrayList<>();
    /** Per heap summary: gcId, 0 before / 1 after, heap used. */
    final List<long[]> heapSummaries = new ArrayList<>();
    long firstNanos = Long.MAX_VALUE;
    long lastNanos = Long.MIN_VALUE;
    long pid = -1;

    private final JfrInput in;
    /** A second cursor, for pool entries decoded while an event is half read. */
    private final JfrInput pool;
    private final JfrMetadata metadata;
    private final ConstantPools pools;
    private final long startNanos;
    private final long startTicks;
    private final double ticksPerNano;
    private final long[] values = new long[SLOTS];
    private final Long2IntOpenHashMap typeOfClass = new Long2IntOpenHashMap();
    private final Long2IntOpenHashMap stackOfKey = new Long2IntOpenHashMap();
    private final Long2IntOpenHashMap methodOfKey = new Long2IntOpenHashMap();
    private final Object2IntOpenHashMap<String> typeIds = new Object2IntOpenHashMap<>();
    private final JfrMetadata.Type classType;
    private final JfrMetadata.Type stackTraceType;
    private final JfrMetadata.Type methodType;
    private final JfrMetadata.Type stringType;

    private JfrChunkReader(byte[] chunk, long fileOffset) {
        JfrInput header = new JfrInput(chunk, fileOffset, false);
        header.pos = 24;
        long metadataOffset = header.readFixedLong();
        header.pos = 16;
        long poolOffset = header.readFixedLong();
        header.pos = 32;
        startNanos = header.readFixedLong();
        header.readFixedLong(); // duration
        startTicks = header.readFixedLong();
        long ticksPerSecond = header.readFixedLong();
        boolean compressed = (header.readFixedInt() & 1) != 0;
        ticksPerNano = ticksPerSecond / 1e9;
        in = new JfrInput(chunk, fileOffset, compressed);
        pool = new JfrInput(chunk, fileOffset, compressed);
        in.pos = position(metadataOffset, "metadata", chunk.length, fileOffset);
        metadata = JfrMetadata.read(in);
        pools = ConstantPools.read(in, metadata, position(poolOffset, "constant pool", chunk.length, fileOffset));
        classType = metadata.type("java.lang.Class");
        stackTraceType = metadata.type("jdk.types.StackTrace");
        methodType = metadata.type("jdk.types.Method");
        stringType = metadata.type("java.lang.String");
        typeOfClass.defaultReturnValue(-1);
        stackOfKey.defaultReturnValue(Integer.MIN_VALUE);
        methodOfKey.defaultReturnValue(-1);
        typeIds.defaultReturnValue(-1);
    }

    private static int position(long offset, String what, int chunkSize, long fileOffset) {
        if (offset < HEADER_BYTES || offset >= chunkSize) {
            throw new JfrInput.JfrDamage("the chunk header puts its " + what + " at " + offset + ", outside the chunk of "
                    + chunkSize + " bytes", fileOffset);
        }
        return (int) offset;
    }

    /** Reads one whole chunk, held in {@code chunk}, that starts at {@code fileOffset} in its file. */
    static JfrChunkReader read(byte[] chunk, long fileOffset) {
        JfrChunkReader r = new JfrChunkReader(chunk, fileOffset);
        r.events();
        return r;
    }

    private void events() {
        Long2ObjectOpenHashMap<EventPlan> plans = new Long2ObjectOpenHashMap<>();
        for (JfrMetadata.Type t : metadata.types()) {
            if (t.isEvent()) {
                plans.put(t.id, new EventPlan(t, kindOf(t.name)));
            }
        }
        JfrInput in = this.in;
        int end = in.bytes.length;
        int pos = HEADER_BYTES;
        while (pos < end) {
            in.pos = pos;
            int size = in.readInt();
            if (size <= 0 || size > end - pos) {
                throw in.damage("an event at " + (in.fileOffset + pos) + " claims " + size + " bytes, past its chunk");
            }
            long typeId = in.readLong();
            if (typeId > 1) {
                EventPlan plan = plans.get(typeId);
                if (plan != null) {
                    plan.count++;
                    event(plan, pos, size);
                }
            }
            pos += size;
        }
        for (EventPlan p : plans.values()) {
            if (p.count > 0) {
                eventCounts.merge(p.name, p.count, Long::sum);
            }
        }
    }

    private void event(EventPlan plan, int eventStart, int size) {
        long[] v = values;
        v[DURATION] = 0;
        JfrMetadata.Field[] fields = plan.fields;
        int[] slots = plan.slots;
        for (int i = 0; i <= plan.lastField; i++) {
            JfrMetadata.Field f = fields[i];
            int slot = slots[i];
            if (slot < 0) {
                JfrMetadata.skip(in, f);
            } else {
                v[slot] = scalar(f);
            }
        }
        if (in.pos > eventStart + size) {
            in.pos = eventStart;
            throw in.damage("the fields of a " + plan.name + " event run past its size of " + size + " bytes");
        }
        long start = time(fields[0], v[START]);
        boolean hasDuration = slots.length > 1 && slots[1] == DURATION;
        long duration = hasDuration ? span(fields[1], v[DURATION]) : 0;
        // the JDK's parser converts the end's ticks, not the start plus the converted span, and its
        // RecordedEvent.getDuration() is the end less the start (a nanosecond apart where ticks are not nanoseconds)
        long endTime = hasDuration && fields[1].nanosPerUnit == JfrMetadata.TICKS && isTicks(fields[0])
                ? time(fields[0], v[START] + v[DURATION]) : start + duration;
        if (start < firstNanos) {
            firstNanos = start;
        }
        if (endTime > lastNanos) {
            lastNanos = endTime;
        }
        switch (plan.kind) {
            case KIND_SAMPLE -> cells.event(type(v[CLASS]), stack(v[STACK]), v[WEIGHT], 0, 0);
            case KIND_IN_NEW_TLAB -> {
                long objectSize = v[SIZE];
                long tlab = v[TLAB];
                cells.event(type(v[CLASS]), stack(v[STACK]), tlab, objectSize > 0 ? Math.max(1, tlab / objectSize) : 0,
                        objectSize);
            }
            case KIND_OUTSIDE_TLAB -> cells.event(type(v[CLASS]), stack(v[STACK]), v[SIZE], 1, v[SIZE]);
            case KIND_GC -> collections.add(new Object[] {v[GC_ID], string(plan, "name", v[NAME]),
                    string(plan, "cause", v[CAUSE]), start, endTime - start, spanOf(plan, "sumOfPauses", v[PAUSES]),
                    spanOf(plan, "longestPause", v[LONGEST])});
            case KIND_HEAP -> heapSummaries.add(new long[] {v[GC_ID],
                    "Before GC".equals(string(plan, "when", v[WHEN])) ? 0 : 1, v[HEAP_USED]});
            case KIND_JVM -> pid = v[PID];
            default -> {
                // only its time and count matter
            }
        }
    }

    /** A field's value as one long: an integer, a pool key, or the position of an inline value. */
    private long scalar(JfrMetadata.Field f) {
        if (f.constantPool) {
            return f.array ? skipped(f) : in.readLong();
        }
        return switch (f.array ? -1 : f.type.kind) {
            case JfrMetadata.KIND_LONG -> in.readLong();
            case JfrMetadata.KIND_INT -> in.readInt();
            case JfrMetadata.KIND_SHORT, JfrMetadata.KIND_CHAR -> in.readShort();
            case JfrMetadata.KIND_BYTE, JfrMetadata.KIND_BOOLEAN -> in.readByte();
            default -> skipped(f);
        };
    }

    /** Skips an inline value, returning where it starts. */
    private long skipped(JfrMetadata.Field f) {
        int at = in.pos;
        JfrMetadata.skip(in, f);
        return at;
    }

    private long time(JfrMetadata.Field f, long value) {
        if (!f.name.equals("startTime")) {
            return startNanos;
        }
        return isTicks(f)
                ? startNanos + (long) ((value - startTicks) / ticksPerNano)
                : value * f.nanosPerUnit;
    }

    private static boolean isTicks(JfrMetadata.Field f) {
        return f.nanosPerUnit == JfrMetadata.TICKS || f.nanosPerUnit == 0;
    }

    private long span(JfrMetadata.Field f, long value) {
        return f.nanosPerUnit == JfrMetadata.TICKS ? (long) (value / ticksPerNano)
                : f.nanosPerUnit == 0 ? value : value * f.nanosPerUnit;
    }

    private long spanOf(EventPlan plan, String field, long value) {
        int i = fieldIndex(plan, field);
        return i < 0 ? 0 : span(plan.fields[i], value);
    }

    private static int fieldIndex(EventPlan plan, String field) {
        for (int i = 0; i < plan.fields.length; i++) {
            if (plan.fields[i].name.equals(field)) {
                return i;
            }
        }
        return -1;
    }

    /** A string-valued field of an event (inline, or a pool entry such as a GC name or cause). */
    private String string(EventPlan plan, String field, long value) {
        int i = fieldIndex(plan, field);
        if (i < 0) {
            return null;
        }
        JfrMetadata.Field f = plan.fields[i];
        if (f.constantPool) {
            return pooledString(f.type, value, 0);
        }
        pool.pos = (int) value;
        return inlineString(f.type, 0);
    }

    /** The string a pool entry stands for: a string, or the first field of a small type (Symbol, GCName, ...). */
    private String pooledString(JfrMetadata.Type t, long key, int depth) {
        int at = pools.position(t.id, key);
        if (at < 0) {
            return null;
        }
        int saved = pool.pos;
        pool.pos = at;
        String s = inlineString(t, depth);
        pool.pos = saved;
        return s;
    }

    private String inlineString(JfrMetadata.Type t, int depth) {
        if (depth > 8) {
            throw pool.damage("type " + t.name + " refers to itself when read as a string");
        }
        if (t.kind == JfrMetadata.KIND_STRING) {
            String s = pool.readString();
            return s == null && pool.poolKey >= 0 && stringType != null ? pooledString(stringType, pool.poolKey, depth + 1) : s;
        }
        if (t.fields.length == 0) {
            return null;
        }
        JfrMetadata.Field first = t.fields[0];
        if (first.array) {
            return null;
        }
        return first.constantPool ? pooledString(first.type, pool.readLong(), depth + 1) : inlineString(first.type, depth + 1);
    }

    /** Moves the pool cursor to a field of the struct it is at, skipping the fields before it; false if none. */
    private boolean seek(JfrMetadata.Type t, String field) {
        for (JfrMetadata.Field f : t.fields) {
            if (f.name.equals(field)) {
                return true;
            }
            JfrMetadata.skip(pool, f);
        }
        return false;
    }

    /** The string a field of the struct at the pool cursor stands for. */
    private String stringField(JfrMetadata.Type t, String field) {
        if (!seek(t, field)) {
            return null;
        }
        JfrMetadata.Field f = t.fields[t.field(field)];
        return f.constantPool ? pooledString(f.type, pool.readLong(), 1) : inlineString(f.type, 1);
    }

    /** A class's name with dots, as the JDK's parser gives it ({@code java.lang.String}), or {@code null}. */
    private String className(long key) {
        if (classType == null) {
            return null;
        }
        int at = pools.position(classType.id, key);
        if (at < 0) {
            return null;
        }
        int saved = pool.pos;
        pool.pos = at;
        String name = stringField(classType, "name");
        pool.pos = saved;
        return name == null ? null : name.replace('/', '.');
    }

    /** The local type id of an allocated class. */
    private int type(long classKey) {
        int t = typeOfClass.get(classKey);
        if (t >= 0) {
            return t;
        }
        String name = className(classKey);
        String javaName = name == null ? "<unknown>" : JfrNames.javaName(name);
        t = typeIds.getInt(javaName);
        if (t < 0) {
            t = types.size();
            typeIds.put(javaName, t);
            types.add(javaName);
        }
        typeOfClass.put(classKey, t);
        return t;
    }

    /** The local stack id of a stack trace key, {@link StackTable#NO_STACK} for none. */
    private int stack(long key) {
        int s = stackOfKey.get(key);
        if (s != Integer.MIN_VALUE) {
            return s;
        }
        int at = stackTraceType == null ? -1 : pools.position(stackTraceType.id, key);
        s = at < 0 ? StackTable.NO_STACK : decodeStack(at);
        stackOfKey.put(key, s);
        return s;
    }

    private int decodeStack(int at) {
        pool.pos = at;
        boolean truncated = false;
        int[] methods = new int[0];
        int[] lines = new int[0];
        for (JfrMetadata.Field f : stackTraceType.fields) {
            if (f.name.equals("truncated") && !f.array && f.type.kind == JfrMetadata.KIND_BOOLEAN) {
                truncated = pool.readBoolean();
            } else if (f.name.equals("frames") && f.array && !f.constantPool) {
                int n = pool.checkedCount(pool.readInt());
                methods = new int[n];
                lines = new int[n];
                for (int i = 0; i < n; i++) {
                    frame(f.type, methods, lines, i);
                }
            } else {
                JfrMetadata.skip(pool, f);
            }
        }
        return stacks.intern(methods, lines, truncated);
    }

    private void frame(JfrMetadata.Type frameType, int[] methods, int[] lines, int i) {
        long methodKey = -1;
        int line = -1;
        for (JfrMetadata.Field f : frameType.fields) {
            if (f.name.equals("method") && f.constantPool && !f.array) {
                methodKey = pool.readLong();
            } else if (f.name.equals("lineNumber") && !f.array && f.type.kind == JfrMetadata.KIND_INT) {
                line = pool.readInt();
            } else {
                JfrMetadata.skip(pool, f);
            }
        }
        methods[i] = method(methodKey);
        lines[i] = line;
    }

    /** The stack table's id of a method: {@code com.acme.Foo.bar}. */
    private int method(long key) {
        int m = methodOfKey.get(key);
        if (m >= 0) {
            return m;
        }
        int at = methodType == null ? -1 : pools.position(methodType.id, key);
        String name;
        if (at < 0) {
            name = "<unknown>";
        } else {
            int saved = pool.pos;
            pool.pos = at;
            String owner = null;
            String method = null;
            for (JfrMetadata.Field f : methodType.fields) {
                if (f.name.equals("type") && f.constantPool && !f.array) {
                    long classKey = pool.readLong();
                    owner = className(classKey);
                } else if (f.name.equals("name") && !f.array) {
                    method = f.constantPool ? pooledString(f.type, pool.readLong(), 1) : inlineString(f.type, 1);
                } else {
                    JfrMetadata.skip(pool, f);
                }
            }
            pool.pos = saved;
            name = (owner == null ? "?" : owner) + "." + method;
        }
        m = stacks.method(name);
        methodOfKey.put(key, m);
        return m;
    }

    private static int kindOf(String eventName) {
        return switch (eventName) {
            case RecordingReader.SAMPLE -> KIND_SAMPLE;
            case RecordingReader.IN_NEW_TLAB -> KIND_IN_NEW_TLAB;
            case RecordingReader.OUTSIDE_TLAB -> KIND_OUTSIDE_TLAB;
            case "jdk.GarbageCollection" -> KIND_GC;
            case "jdk.GCHeapSummary" -> KIND_HEAP;
            case "jdk.JVMInformation" -> KIND_JVM;
            default -> OTHER;
        };
    }
}

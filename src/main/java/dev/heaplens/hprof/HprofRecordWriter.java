package dev.heaplens.hprof;

import dev.heaplens.hprof.HprofWriter.Value;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an HPROF file one record at a time, exactly as told: the record level under
 * {@link HprofWriter}, for tests that need every record kind, odd orders or deliberately broken
 * files, and for tools that copy a dump record by record.
 *
 * <p>Lengths are computed, never guessed: every top-level record gets the length of its body, and a
 * HEAP DUMP or HEAP DUMP SEGMENT is buffered until {@link #endHeapDump()} and then written with its
 * length patched in. Segments split by themselves once their body would pass
 * {@link #maxSegmentBytes(long)} (1 MiB by default, as HotSpot does). Anything the methods cannot
 * express goes through {@link #rawRecord(int, byte[])} or {@link #rawBytes(byte[])}.
 *
 * <pre>{@code
 * try (HprofRecordWriter w = HprofRecordWriter.open(Path.of("tiny.hprof"), 8, 0L)) {
 *     w.utf8(0x100, "java/lang/Object")
 *      .loadClass(1, 0x10, 1, 0x100)
 *      .beginHeapDumpSegment()
 *      .classDump(0x10, 1, 0, 0, 0, 0, 0, List.of(), List.of(), List.of())
 *      .rootStickyClass(0x10)
 *      .endHeapDump()
 *      .heapDumpEnd();
 * }
 * }</pre>
 *
 * <p>Not thread-safe. Identifiers are validated: with 4-byte identifiers an id must lie in
 * {@code 0..0xFFFFFFFF}, since truncating one silently would make a different graph.
 */
public final class HprofRecordWriter implements Closeable {

    /** The header HotSpot writes since JDK 9 (and JDK 8 for heaps above 2 GB). */
    public static final String FORMAT_1_0_2 = "JAVA PROFILE 1.0.2";
    /** The header JDK 8 writes for heaps under 2 GB, which hold one HEAP DUMP record. */
    public static final String FORMAT_1_0_1 = "JAVA PROFILE 1.0.1";
    /** HotSpot's segment size: it starts a new HEAP DUMP SEGMENT when its 1 MiB buffer is full. */
    public static final long HOTSPOT_SEGMENT_BYTES = 1 << 20;

    private static final int UTF8 = 0x01;
    private static final int LOAD_CLASS = 0x02;
    private static final int UNLOAD_CLASS = 0x03;
    private static final int STACK_FRAME = 0x04;
    private static final int STACK_TRACE = 0x05;
    private static final int ALLOC_SITES = 0x06;
    private static final int HEAP_SUMMARY = 0x07;
    private static final int START_THREAD = 0x0A;
    private static final int END_THREAD = 0x0B;
    private static final int HEAP_DUMP = 0x0C;
    private static final int CPU_SAMPLES = 0x0D;
    private static final int CONTROL_SETTINGS = 0x0E;
    private static final int HEAP_DUMP_SEGMENT = 0x1C;
    private static final int HEAP_DUMP_END = 0x2C;

    private static final int ROOT_UNKNOWN = 0xFF;
    private static final int ROOT_JNI_GLOBAL = 0x01;
    private static final int ROOT_JNI_LOCAL = 0x02;
    private static final int ROOT_JAVA_FRAME = 0x03;
    private static final int ROOT_NATIVE_STACK = 0x04;
    private static final int ROOT_STICKY_CLASS = 0x05;
    private static final int ROOT_THREAD_BLOCK = 0x06;
    private static final int ROOT_MONITOR_USED = 0x07;
    private static final int ROOT_THREAD_OBJECT = 0x08;
    private static final int CLASS_DUMP = 0x20;
    private static final int INSTANCE_DUMP = 0x21;
    private static final int OBJ_ARRAY_DUMP = 0x22;
    private static final int PRIM_ARRAY_DUMP = 0x23;

    private static final long U4_MAX = 0xFFFF_FFFFL;
    /** u1 tag, u4 micros, u4 length. */
    private static final int RECORD_HEADER_BYTES = 9;

    /** An instance field as a CLASS DUMP declares it: name (a UTF8 id) and type. */
    public record FieldDescriptor(long nameId, BasicType type) {
    }

    /** A static field with its value, as a CLASS DUMP holds it. */
    public record StaticField(long nameId, Value value) {
    }

    /** A constant-pool entry of a CLASS DUMP (HotSpot always writes none; readers must skip them). */
    public record ConstantPoolEntry(int index, Value value) {
    }

    /**
     * One site of an ALLOC SITES record; {@code arrayType} is 0 for plain objects, else the
     * {@link BasicType#tag()} of the array's elements.
     */
    public record AllocSite(int arrayType, int classSerial, int stackTraceSerial, int liveBytes,
                            int liveInstances, int bytesAllocated, int instancesAllocated) {
    }

    /** One entry of a CPU SAMPLES record: how many samples hit a stack trace. */
    public record CpuSample(int count, int stackTraceSerial) {
    }

    private final OutputStream out;
    private final int idSize;
    private final Body scratch;
    private long position;
    private int micros;
    private long maxSegmentBytes = HOTSPOT_SEGMENT_BYTES;
    /** Body of the open HEAP DUMP / HEAP DUMP SEGMENT, or null when none is open. */
    private Body heap;
    private int heapTag;

    private HprofRecordWriter(OutputStream out, int idSize) {
        if (idSize != 4 && idSize != 8) {
            throw new IllegalArgumentException("identifier size must be 4 or 8, not " + idSize);
        }
        this.out = out;
        this.idSize = idSize;
        this.scratch = new Body();
    }

    /**
     * Starts a dump on {@code out} with the {@link #FORMAT_1_0_2} header; closing the writer closes
     * the stream.
     *
     * <pre>{@code
     * var bytes = new ByteArrayOutputStream();
     * try (var w = HprofRecordWriter.open(bytes, 4, 0L)) { w.utf8(1, "x"); }
     * }</pre>
     */
    public static HprofRecordWriter open(OutputStream out, int idSize, long millis) throws IOException {
        return headerless(out, idSize).header(FORMAT_1_0_2, millis);
    }

    /** Starts a dump in {@code file} (created or truncated). Example: {@code open(Path.of("a.hprof"), 8, 0L)}. */
    public static HprofRecordWriter open(Path file, int idSize, long millis) throws IOException {
        return open(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), idSize, millis);
    }

    /**
     * Starts a gzip-compressed dump in {@code file}, as {@code jcmd <pid> GC.heap_dump -gz=1} makes
     * one (HotSpot writes one gzip member per 1 MiB block; this writes a single member, which every
     * gzip reader handles the same way). Example: {@code openGzip(Path.of("a.hprof.gz"), 8, 0L)}.
     */
    public static HprofRecordWriter openGzip(Path file, int idSize, long millis) throws IOException {
        OutputStream gzip = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), 1 << 16);
        return open(gzip, idSize, millis);
    }

    /**
     * A writer that has written nothing yet, not even the header, for files whose header is the
     * point of the test: follow with {@link #header(String, long)} or {@link #rawBytes(byte[])}.
     *
     * <pre>{@code
     * HprofRecordWriter.headerless(out, 8).header(HprofRecordWriter.FORMAT_1_0_1, 0L);
     * }</pre>
     */
    public static HprofRecordWriter headerless(OutputStream out, int idSize) {
        return new HprofRecordWriter(out, idSize);
    }

    /**
     * Writes a file header: {@code format}, a NUL, the identifier size (u4) and {@code millis} (u8).
     * Example: {@code w.header("JAVA PROFILE 1.0.2", System.currentTimeMillis())}.
     */
    public HprofRecordWriter header(String format, long millis) throws IOException {
        Body b = scratch.reset();
        b.raw(format.getBytes(StandardCharsets.US_ASCII)).u1(0).u4(idSize).u8(millis);
        emit(b);
        return this;
    }

    /** The identifier size given at creation, 4 or 8. */
    public int idSize() {
        return idSize;
    }

    /**
     * Uncompressed bytes written so far, including the buffered body of an open heap dump record:
     * the file offset at which the next record or sub-record starts.
     */
    public long position() {
        return heap == null ? position : position + RECORD_HEADER_BYTES + heap.size;
    }

    /**
     * Sets the microseconds-since-header stamp of the top-level records written from now on
     * (HotSpot always writes 0, the default). Example: {@code w.recordMicros(1500).heapSummary(...)}.
     */
    public HprofRecordWriter recordMicros(int micros) {
        this.micros = micros;
        return this;
    }

    /**
     * Sets the body size past which an open HEAP DUMP SEGMENT is closed and a new one begun, before
     * the sub-record that would cross it; a sub-record larger than the limit gets a segment of its
     * own. {@code Long.MAX_VALUE} never splits. Example: {@code w.maxSegmentBytes(256)}.
     */
    public HprofRecordWriter maxSegmentBytes(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("segment size must be positive, not " + bytes);
        }
        this.maxSegmentBytes = bytes;
        return this;
    }

    // ---- top-level records ------------------------------------------------------------------

    /**
     * UTF8 (0x01): a name, encoded as the VM encodes symbols (modified UTF-8).
     * Example: {@code w.utf8(0x100, "java/lang/String")}.
     */
    public HprofRecordWriter utf8(long id, String text) throws IOException {
        return utf8(id, modifiedUtf8(text));
    }

    /** UTF8 (0x01) with the name's bytes exactly as given, e.g. invalid UTF-8 for a lenient-reader test. */
    public HprofRecordWriter utf8(long id, byte[] bytes) throws IOException {
        return top(UTF8, scratch.reset().id(id).raw(bytes));
    }

    /**
     * LOAD CLASS (0x02): binds a class serial number and class object id to a name (a UTF8 id of
     * the VM's internal name, e.g. {@code java/lang/String} or {@code [I}).
     * Example: {@code w.loadClass(1, 0x10, 1, 0x100)}.
     */
    public HprofRecordWriter loadClass(int classSerial, long classId, int stackTraceSerial, long nameId) throws IOException {
        return top(LOAD_CLASS, scratch.reset().u4(classSerial).id(classId).u4(stackTraceSerial).id(nameId));
    }

    /** UNLOAD CLASS (0x03). Example: {@code w.unloadClass(7)}. */
    public HprofRecordWriter unloadClass(int classSerial) throws IOException {
        return top(UNLOAD_CLASS, scratch.reset().u4(classSerial));
    }

    /**
     * STACK FRAME (0x04). {@code line}: positive, or -1 unknown, -2 compiled, -3 native.
     * Example: {@code w.stackFrame(1, nameId, sigId, fileId, 3, 42)}.
     */
    public HprofRecordWriter stackFrame(long frameId, long methodNameId, long signatureId, long sourceFileId,
                                        int classSerial, int line) throws IOException {
        return top(STACK_FRAME, scratch.reset().id(frameId).id(methodNameId).id(signatureId).id(sourceFileId)
                .u4(classSerial).u4(line));
    }

    /**
     * STACK TRACE (0x05): frame ids listed top (most recent) first.
     * Example: {@code w.stackTrace(2, 1, frameA, frameB)}; HotSpot's dummy trace is {@code stackTrace(1, 0)}.
     */
    public HprofRecordWriter stackTrace(int serial, int threadSerial, long... frameIds) throws IOException {
        Body b = scratch.reset().u4(serial).u4(threadSerial).u4(frameIds.length);
        for (long frameId : frameIds) {
            b.id(frameId);
        }
        return top(STACK_TRACE, b);
    }

    /**
     * ALLOC SITES (0x06), written by the old {@code -agentlib:hprof}, never by HotSpot's dumper.
     * Example: {@code w.allocSites(0, 0.0f, 64, 2, 128, 4, List.of(new AllocSite(0, 3, 1, 64, 2, 128, 4)))}.
     */
    public HprofRecordWriter allocSites(int flags, float cutoffRatio, int totalLiveBytes, int totalLiveInstances,
                                        long totalBytesAllocated, long totalInstancesAllocated,
                                        List<AllocSite> sites) throws IOException {
        Body b = scratch.reset().u2(flags).u4(Float.floatToRawIntBits(cutoffRatio)).u4(totalLiveBytes)
                .u4(totalLiveInstances).u8(totalBytesAllocated).u8(totalInstancesAllocated).u4(sites.size());
        for (AllocSite s : sites) {
            b.u1(s.arrayType()).u4(s.classSerial()).u4(s.stackTraceSerial()).u4(s.liveBytes())
                    .u4(s.liveInstances()).u4(s.bytesAllocated()).u4(s.instancesAllocated());
        }
        return top(ALLOC_SITES, b);
    }

    /** HEAP SUMMARY (0x07). Example: {@code w.heapSummary(4096, 10, 1 << 20, 500)}. */
    public HprofRecordWriter heapSummary(int totalLiveBytes, int totalLiveInstances, long totalBytesAllocated,
                                         long totalInstancesAllocated) throws IOException {
        return top(HEAP_SUMMARY, scratch.reset().u4(totalLiveBytes).u4(totalLiveInstances)
                .u8(totalBytesAllocated).u8(totalInstancesAllocated));
    }

    /**
     * START THREAD (0x0A); the three names are UTF8 ids.
     * Example: {@code w.startThread(1, threadId, 2, mainId, groupId, systemId)}.
     */
    public HprofRecordWriter startThread(int threadSerial, long threadObjectId, int stackTraceSerial, long nameId,
                                         long groupNameId, long parentGroupNameId) throws IOException {
        return top(START_THREAD, scratch.reset().u4(threadSerial).id(threadObjectId).u4(stackTraceSerial)
                .id(nameId).id(groupNameId).id(parentGroupNameId));
    }

    /** END THREAD (0x0B). Example: {@code w.endThread(1)}. */
    public HprofRecordWriter endThread(int threadSerial) throws IOException {
        return top(END_THREAD, scratch.reset().u4(threadSerial));
    }

    /** CPU SAMPLES (0x0D). Example: {@code w.cpuSamples(10, List.of(new CpuSample(10, 2)))}. */
    public HprofRecordWriter cpuSamples(int totalSamples, List<CpuSample> samples) throws IOException {
        Body b = scratch.reset().u4(totalSamples).u4(samples.size());
        for (CpuSample s : samples) {
            b.u4(s.count()).u4(s.stackTraceSerial());
        }
        return top(CPU_SAMPLES, b);
    }

    /** CONTROL SETTINGS (0x0E): flags (1 alloc traces, 2 cpu sampling) and a u2 depth. Example: {@code w.controlSettings(3, 16)}. */
    public HprofRecordWriter controlSettings(int flags, int stackTraceDepth) throws IOException {
        return top(CONTROL_SETTINGS, scratch.reset().u4(flags).u2(stackTraceDepth));
    }

    /** HEAP DUMP END (0x2C), the empty record that closes a run of segments. Example: {@code w.endHeapDump().heapDumpEnd()}. */
    public HprofRecordWriter heapDumpEnd() throws IOException {
        return top(HEAP_DUMP_END, scratch.reset());
    }

    /**
     * A top-level record with any tag and body; the length is the body's.
     * Example: {@code w.rawRecord(0x42, new byte[] {1, 2, 3})} for an unknown tag.
     */
    public HprofRecordWriter rawRecord(int tag, byte[] body) throws IOException {
        return top(tag, scratch.reset().raw(body));
    }

    /**
     * Bytes exactly as given, at the current position: inside an open heap dump record they become
     * part of its body (and its patched length), elsewhere they go straight to the file.
     * Example: {@code w.rawBytes(new byte[] {0x21, 0, 0})} for a sub-record cut short.
     */
    public HprofRecordWriter rawBytes(byte[] bytes) throws IOException {
        if (heap != null) {
            heap.raw(bytes);
        } else {
            emit(scratch.reset().raw(bytes));
        }
        return this;
    }

    // ---- heap dump records ------------------------------------------------------------------

    /**
     * Opens a HEAP DUMP (0x0C) record: one record for the whole heap, as JDK 8 writes small heaps.
     * Example: {@code w.beginHeapDump().rootUnknown(1).endHeapDump()}.
     */
    public HprofRecordWriter beginHeapDump() {
        return beginHeap(HEAP_DUMP);
    }

    /**
     * Opens a HEAP DUMP SEGMENT (0x1C), as HotSpot writes every heap since JDK 9; more segments
     * follow by themselves past {@link #maxSegmentBytes(long)}. Close the run with
     * {@link #endHeapDump()} and then {@link #heapDumpEnd()}.
     */
    public HprofRecordWriter beginHeapDumpSegment() {
        return beginHeap(HEAP_DUMP_SEGMENT);
    }

    /** Writes the open HEAP DUMP or HEAP DUMP SEGMENT with its length patched in. Example: {@code w.endHeapDump()}. */
    public HprofRecordWriter endHeapDump() throws IOException {
        requireHeap("endHeapDump()");
        flushHeap();
        heap = null;
        return this;
    }

    /** ROOT UNKNOWN (0xFF). Example: {@code w.rootUnknown(0x20)}. */
    public HprofRecordWriter rootUnknown(long objectId) throws IOException {
        return sub(scratch.reset().u1(ROOT_UNKNOWN).id(objectId));
    }

    /** ROOT JNI GLOBAL (0x01): the object and the JNI global reference's own id. Example: {@code w.rootJniGlobal(0x20, 0x7f001000)}. */
    public HprofRecordWriter rootJniGlobal(long objectId, long globalRefId) throws IOException {
        return sub(scratch.reset().u1(ROOT_JNI_GLOBAL).id(objectId).id(globalRefId));
    }

    /** ROOT JNI LOCAL (0x02); {@code frame} is the depth in the thread's trace, -1 for an empty stack. Example: {@code w.rootJniLocal(0x20, 1, 0)}. */
    public HprofRecordWriter rootJniLocal(long objectId, int threadSerial, int frame) throws IOException {
        return sub(scratch.reset().u1(ROOT_JNI_LOCAL).id(objectId).u4(threadSerial).u4(frame));
    }

    /** ROOT JAVA FRAME (0x03): a local variable; {@code frame} is the depth, 0 for the top frame. Example: {@code w.rootJavaFrame(0x20, 1, 0)}. */
    public HprofRecordWriter rootJavaFrame(long objectId, int threadSerial, int frame) throws IOException {
        return sub(scratch.reset().u1(ROOT_JAVA_FRAME).id(objectId).u4(threadSerial).u4(frame));
    }

    /** ROOT NATIVE STACK (0x04). Example: {@code w.rootNativeStack(0x20, 1)}. */
    public HprofRecordWriter rootNativeStack(long objectId, int threadSerial) throws IOException {
        return sub(scratch.reset().u1(ROOT_NATIVE_STACK).id(objectId).u4(threadSerial));
    }

    /** ROOT STICKY CLASS (0x05): a class the VM never unloads. Example: {@code w.rootStickyClass(0x10)}. */
    public HprofRecordWriter rootStickyClass(long classId) throws IOException {
        return sub(scratch.reset().u1(ROOT_STICKY_CLASS).id(classId));
    }

    /** ROOT THREAD BLOCK (0x06). Example: {@code w.rootThreadBlock(0x20, 1)}. */
    public HprofRecordWriter rootThreadBlock(long objectId, int threadSerial) throws IOException {
        return sub(scratch.reset().u1(ROOT_THREAD_BLOCK).id(objectId).u4(threadSerial));
    }

    /** ROOT MONITOR USED (0x07). Example: {@code w.rootMonitorUsed(0x20)}. */
    public HprofRecordWriter rootMonitorUsed(long objectId) throws IOException {
        return sub(scratch.reset().u1(ROOT_MONITOR_USED).id(objectId));
    }

    /** ROOT THREAD OBJECT (0x08): a live thread, its serial and its stack trace's serial. Example: {@code w.rootThreadObject(0x30, 1, 2)}. */
    public HprofRecordWriter rootThreadObject(long threadObjectId, int threadSerial, int stackTraceSerial) throws IOException {
        return sub(scratch.reset().u1(ROOT_THREAD_OBJECT).id(threadObjectId).u4(threadSerial).u4(stackTraceSerial));
    }

    /**
     * CLASS DUMP (0x20). {@code instanceSize} is, as HotSpot writes it, the bytes of an instance's
     * field data in the dump (all fields, superclasses' included); {@code instanceFields} are this
     * class's own.
     *
     * <pre>{@code
     * w.classDump(0x18, 1, objectClassId, 0, 0, 0, 8, List.of(),
     *         List.of(new StaticField(countId, value(3))),
     *         List.of(new FieldDescriptor(mapId, BasicType.OBJECT)));
     * }</pre>
     */
    public HprofRecordWriter classDump(long classId, int stackTraceSerial, long superClassId, long classLoaderId,
                                       long signersId, long protectionDomainId, int instanceSize,
                                       List<ConstantPoolEntry> constantPool, List<StaticField> staticFields,
                                       List<FieldDescriptor> instanceFields) throws IOException {
        Body b = scratch.reset().u1(CLASS_DUMP).id(classId).u4(stackTraceSerial).id(superClassId).id(classLoaderId)
                .id(signersId).id(protectionDomainId).id(0).id(0).u4(instanceSize);
        b.u2(constantPool.size());
        for (ConstantPoolEntry e : constantPool) {
            b.u2(e.index()).u1(e.value().type().tag()).value(e.value());
        }
        b.u2(staticFields.size());
        for (StaticField f : staticFields) {
            b.id(f.nameId()).u1(f.value().type().tag()).value(f.value());
        }
        b.u2(instanceFields.size());
        for (FieldDescriptor f : instanceFields) {
            b.id(f.nameId()).u1(f.type().tag());
        }
        return sub(b);
    }

    /**
     * INSTANCE DUMP (0x21) with its field values encoded in the order given, which must be the
     * dump's: the class's own fields, then its superclass's, up to {@code java.lang.Object}.
     * Example: {@code w.instanceDump(0x20, 1, cacheClassId, ref(0x28), value(3))}.
     */
    public HprofRecordWriter instanceDump(long objectId, int stackTraceSerial, long classId, Value... fieldValues)
            throws IOException {
        Body fields = new Body();
        for (Value v : fieldValues) {
            fields.value(v);
        }
        return instanceDump(objectId, stackTraceSerial, classId, fields.toByteArray());
    }

    /** INSTANCE DUMP (0x21) with the field bytes exactly as given. Example: {@code w.instanceDump(0x20, 1, classId, new byte[3])}. */
    public HprofRecordWriter instanceDump(long objectId, int stackTraceSerial, long classId, byte[] fieldData)
            throws IOException {
        return sub(scratch.reset().u1(INSTANCE_DUMP).id(objectId).u4(stackTraceSerial).id(classId)
                .u4(fieldData.length).raw(fieldData));
    }

    /** OBJ ARRAY DUMP (0x22); 0 elements are nulls. Example: {@code w.objectArrayDump(0x40, 1, objectArrayClassId, 0x20, 0)}. */
    public HprofRecordWriter objectArrayDump(long arrayId, int stackTraceSerial, long arrayClassId, long... elementIds)
            throws IOException {
        Body b = scratch.reset().u1(OBJ_ARRAY_DUMP).id(arrayId).u4(stackTraceSerial).u4(elementIds.length).id(arrayClassId);
        for (long e : elementIds) {
            b.id(e);
        }
        return sub(b);
    }

    /**
     * PRIM ARRAY DUMP (0x23) of a Java array whose component type matches {@code elementType}
     * ({@code int[]} for {@link BasicType#INT}, …), written big-endian.
     * Example: {@code w.primitiveArrayDump(0x50, 1, BasicType.INT, new int[] {1, 2})}.
     */
    public HprofRecordWriter primitiveArrayDump(long arrayId, int stackTraceSerial, BasicType elementType,
                                                Object javaArray) throws IOException {
        return primitiveArrayDump(arrayId, stackTraceSerial, elementType, java.lang.reflect.Array.getLength(javaArray),
                encodeArray(elementType, javaArray));
    }

    /**
     * PRIM ARRAY DUMP (0x23) with the element count and bytes exactly as given, so they may disagree.
     * Example: {@code w.primitiveArrayDump(0x50, 1, BasicType.LONG, 1000, new byte[8])}.
     */
    public HprofRecordWriter primitiveArrayDump(long arrayId, int stackTraceSerial, BasicType elementType, int length,
                                                byte[] elementBytes) throws IOException {
        if (elementType == BasicType.OBJECT) {
            throw new IllegalArgumentException("a primitive array cannot hold OBJECT elements; use objectArrayDump");
        }
        return sub(scratch.reset().u1(PRIM_ARRAY_DUMP).id(arrayId).u4(stackTraceSerial).u4(length)
                .u1(elementType.tag()).raw(elementBytes));
    }

    /** Ends an open heap dump record, flushes and closes the stream (finishing gzip). */
    @Override
    public void close() throws IOException {
        try {
            if (heap != null) {
                endHeapDump();
            }
        } finally {
            out.close();
        }
    }

    // ---- encoding -----------------------------------------------------------------------------

    /** The big-endian bytes of a Java primitive array, checked against {@code type}. */
    static byte[] encodeArray(BasicType type, Object javaArray) {
        Class<?> expected = switch (type) {
            case BOOLEAN -> boolean[].class;
            case CHAR -> char[].class;
            case FLOAT -> float[].class;
            case DOUBLE -> double[].class;
            case BYTE -> byte[].class;
            case SHORT -> short[].class;
            case INT -> int[].class;
            case LONG -> long[].class;
            case OBJECT -> throw new IllegalArgumentException("OBJECT is not a primitive element type");
        };
        if (javaArray == null || javaArray.getClass() != expected) {
            throw new IllegalArgumentException(type + " elements need a " + expected.getSimpleName() + ", not "
                    + (javaArray == null ? "null" : javaArray.getClass().getSimpleName()));
        }
        int length = java.lang.reflect.Array.getLength(javaArray);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(length * type.primitiveSize()); // big-endian
        switch (type) {
            case BOOLEAN -> {
                for (boolean z : (boolean[]) javaArray) {
                    buf.put((byte) (z ? 1 : 0));
                }
            }
            case CHAR -> buf.asCharBuffer().put((char[]) javaArray);
            case FLOAT -> {
                for (float f : (float[]) javaArray) {
                    buf.putInt(Float.floatToRawIntBits(f));
                }
            }
            case DOUBLE -> {
                for (double d : (double[]) javaArray) {
                    buf.putLong(Double.doubleToRawLongBits(d));
                }
            }
            case BYTE -> buf.put((byte[]) javaArray);
            case SHORT -> buf.asShortBuffer().put((short[]) javaArray);
            case INT -> buf.asIntBuffer().put((int[]) javaArray);
            case LONG -> buf.asLongBuffer().put((long[]) javaArray);
            case OBJECT -> throw new AssertionError();
        }
        return buf.array();
    }

    /** Modified UTF-8 as the VM stores symbols: NUL as two bytes, surrogates encoded one by one. */
    static byte[] modifiedUtf8(String s) {
        var b = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != 0 && c < 0x80) {
                b.write(c);
            } else if (c < 0x800) {
                b.write(0xC0 | (c >> 6));
                b.write(0x80 | (c & 0x3F));
            } else {
                b.write(0xE0 | (c >> 12));
                b.write(0x80 | ((c >> 6) & 0x3F));
                b.write(0x80 | (c & 0x3F));
            }
        }
        return b.toByteArray();
    }

    /** {@code id}, if it fits in identifiers of {@code idSize} bytes. */
    static long checkId(int idSize, long id) {
        if (idSize == 4 && (id < 0 || id > U4_MAX)) {
            throw new IllegalArgumentException("id 0x" + Long.toHexString(id) + " does not fit in 4-byte identifiers");
        }
        return id;
    }

    // ---- plumbing -----------------------------------------------------------------------------

    private HprofRecordWriter beginHeap(int tag) {
        if (heap != null) {
            throw new IllegalStateException("a heap dump record is already open; call endHeapDump() first");
        }
        heap = new Body();
        heapTag = tag;
        return this;
    }

    private HprofRecordWriter top(int tag, Body body) throws IOException {
        if (heap != null) {
            throw new IllegalStateException(String.format(
                    "top-level record 0x%02X inside an open heap dump record; call endHeapDump() first", tag));
        }
        if (body.size > U4_MAX) {
            throw new IllegalArgumentException("record body of " + body.size + " bytes exceeds the u4 length");
        }
        Body header = new Body().u1(tag).u4(micros).u4(body.size);
        emit(header);
        emit(body);
        return this;
    }

    private HprofRecordWriter sub(Body subRecord) throws IOException {
        requireHeap("heap dump sub-record");
        if (heapTag == HEAP_DUMP_SEGMENT && heap.size > 0 && heap.size + subRecord.size > maxSegmentBytes) {
            flushHeap();
            heap = new Body();
        }
        heap.raw(subRecord.buf, subRecord.size);
        return this;
    }

    private void flushHeap() throws IOException {
        Body body = heap;
        heap = null; // top() refuses to run inside an open heap record
        top(heapTag, body);
    }

    private void requireHeap(String what) {
        if (heap == null) {
            throw new IllegalStateException(what + " needs an open heap dump record; call beginHeapDumpSegment() first");
        }
    }

    private void emit(Body b) throws IOException {
        out.write(b.buf, 0, b.size);
        position += b.size;
    }

    /** A growable big-endian byte buffer; ids are written at this writer's width. */
    private final class Body {
        byte[] buf = new byte[64];
        int size;

        Body reset() {
            size = 0;
            return this;
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                long wanted = Math.max((long) buf.length * 2, (long) size + more);
                if (wanted > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("record body too large to buffer: " + wanted + " bytes");
                }
                buf = Arrays.copyOf(buf, (int) wanted);
            }
        }

        Body u1(int v) {
            ensure(1);
            buf[size++] = (byte) v;
            return this;
        }

        Body u2(int v) {
            return u1(v >>> 8).u1(v);
        }

        Body u4(long v) {
            return u1((int) (v >>> 24)).u1((int) (v >>> 16)).u1((int) (v >>> 8)).u1((int) v);
        }

        Body u8(long v) {
            return u4(v >>> 32).u4(v);
        }

        Body id(long id) {
            checkId(idSize, id);
            return idSize == 8 ? u8(id) : u4(id);
        }

        Body value(Value v) {
            return switch (v.type()) {
                case OBJECT -> id(v.bits());
                case BOOLEAN, BYTE -> u1((int) v.bits());
                case CHAR, SHORT -> u2((int) v.bits());
                case FLOAT, INT -> u4(v.bits());
                case DOUBLE, LONG -> u8(v.bits());
            };
        }

        Body raw(byte[] bytes) {
            return raw(bytes, bytes.length);
        }

        Body raw(byte[] bytes, int length) {
            ensure(length);
            System.arraycopy(bytes, 0, buf, size, length);
            size += length;
            return this;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }
}

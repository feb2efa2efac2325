package dev.heaplens.hprof;

import dev.heaplens.concurrent.Parallel;
import it.unimi.dsi.fastutil.longs.LongArrayList;

import java.util.ArrayList;
import java.util.List;

/**
 * The record pass: walks every record and heap sub-record of a dump once, in file order, checking
 * each length against the bytes that are really there, and reports them to a {@link HprofVisitor}.
 *
 * <p>Strict by default: the first malformed or truncated record raises an
 * {@link HprofFormatException} naming the file, offset and record. In lenient mode the pass stops
 * there instead, having reported every complete record before it, and {@link Result#problem()}
 * says what was lost.
 *
 * <pre>{@code
 * try (HprofFile file = HprofFile.open(path)) {
 *     HprofReader.Result r = new HprofReader(file).accept(new HprofVisitor() {
 *         public void instance(long id, long classId, long rec, long data, int length) { count++; }
 *     });
 * }
 * }</pre>
 */
public final class HprofReader {
    private static final int RECORD_HEADER = 9; // u1 tag, u4 micros, u4 length
    /** The window of a walk that lists the heap dump records: the small records before them in full, then a header each. */
    private static final int HEADER_WINDOW = 64 << 10;

    private final HprofFile file;
    private final HprofBuffer buf;
    private final int idSize;
    private final boolean lenient;
    private boolean sawHeapDump;
    private boolean sawSegment;
    private boolean sawEnd;
    /** Where the walk is: the offset up to which every record was complete. */
    private long position;

    /** A strict reader. */
    public HprofReader(HprofFile file) {
        this(file, false);
    }

    /** A reader; with {@code lenient} it stops at the first bad record instead of throwing. */
    public HprofReader(HprofFile file, boolean lenient) {
        this.file = file;
        this.buf = file.buffer();
        this.idSize = file.idSize();
        this.lenient = lenient;
    }

    /**
     * How a pass ended.
     *
     * @param bytesRead offset up to which every record was complete and reported
     * @param problem   why the pass stopped early (lenient mode only), or {@code null}
     */
    public record Result(long bytesRead, HprofFormatException problem) {
        /** Whether the whole dump was read. */
        public boolean complete() {
            return problem == null;
        }
    }

    /** Reports every record to {@code visitor}. */
    public Result accept(HprofVisitor visitor) {
        try {
            return new Result(walk(visitor, null), null);
        } catch (HprofFormatException e) {
            if (!lenient) {
                throw e;
            }
            return new Result(position, e);
        }
    }

    /**
     * Walks every record from the first to the end of the file, {@link #position} following it, and
     * checks that the dump's heap dump records are all there; returns the end. With {@code heapRecords}
     * the heap dump records' sub-records are not read but listed there.
     */
    private long walk(HprofVisitor visitor, LongArrayList heapRecords) {
        long end = buf.size();
        position = file.firstRecordOffset();
        sawHeapDump = false;
        sawSegment = false;
        sawEnd = false;
        // Record headers are read through a window too: a file mapping's read-ahead may map a large
        // folio (a megabyte or more) on every fault, so reading one header a segment through the map
        // made nearly the whole dump resident (853 of 921 MB); listing only, a small window suffices.
        HprofWindow in = file.window(heapRecords == null ? HprofWindow.DEFAULT_CAPACITY : HEADER_WINDOW);
        while (position < end) {
            position = record(position, end, visitor, heapRecords, in);
        }
        // what is missing at the end of the file is the record named
        if (!sawHeapDump && !sawSegment) {
            throw error(position, RecordTag.HEAP_DUMP_SEGMENT.label(),
                    "the file ends without any HEAP DUMP or HEAP DUMP SEGMENT record: it is empty or truncated");
        }
        if (sawSegment && !sawEnd) {
            throw error(position, RecordTag.HEAP_DUMP_END.label(),
                    "the file ends without the HEAP DUMP END that closes its HEAP DUMP SEGMENT records: it is truncated");
        }
        return position;
    }

    /**
     * Reads the dump as {@link #accept} does, with its heap dump records read by {@code parts.size()}
     * threads at once: HotSpot writes a dump as many segments (one per megabyte or so), so the pass
     * takes about one core's share of the time. Every record that is not a heap sub-record goes to
     * {@code top}, in file order. The heap dump records are split into {@code parts.size()} runs of
     * whole records, in file order, of about equal bytes; each run's sub-records go to its own visitor,
     * in file order, so every record reported to part {@code i} lies before every record reported
     * to part {@code i + 1}. Visitors called from different threads share nothing.
     *
     * <p>Returns how the pass ended, or {@code null} when the dump has a problem anywhere (a
     * truncated, malformed or missing record, strict or lenient alike): the visitors then hold
     * records from both sides of it, so throw them away and call {@link #accept} with new ones, which
     * reports the problem exactly. A dump with one HEAP DUMP record is read by one thread.
     *
     * <pre>{@code
     * List<MyVisitor> parts = List.of(new MyVisitor(), new MyVisitor());
     * HprofReader.Result result = reader.acceptInParallel(top, parts);
     * if (result == null) {
     *     result = reader.accept(fresh);
     * }
     * }</pre>
     */
    public Result acceptInParallel(HprofVisitor top, List<? extends HprofVisitor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no visitor for the heap dump records");
        }
        LongArrayList heapRecords = new LongArrayList(); // record offset, body end: two longs per heap dump record
        long pos;
        try {
            pos = walk(top, heapRecords);
        } catch (HprofFormatException e) {
            return null;
        }
        long heapBytes = 0;
        for (int r = 0; r < heapRecords.size(); r += 2) {
            heapBytes += heapRecords.getLong(r + 1) - heapRecords.getLong(r);
        }
        // run k - 1 ends at the record boundary nearest to k/parts of the heap bytes
        int count = parts.size();
        int[] firstRecord = new int[count + 1];
        long done = 0;
        for (int r = 0, k = 1; r < heapRecords.size(); r += 2) {
            long before = done;
            done += heapRecords.getLong(r + 1) - heapRecords.getLong(r);
            while (k < count && done * count >= heapBytes * k) {
                double target = (double) heapBytes * k / count;
                firstRecord[k++] = target - before < done - target ? r : r + 2;
            }
        }
        for (int k = 1; k < count; k++) {
            firstRecord[k] = Math.max(firstRecord[k], firstRecord[k - 1]);
        }
        firstRecord[count] = heapRecords.size();
        boolean[] failed = new boolean[count];
        Parallel.run("heaplens-records", count,
                part -> failed[part] = !readRun(heapRecords, firstRecord[part], firstRecord[part + 1], parts.get(part)));
        for (boolean f : failed) {
            if (f) {
                return null;
            }
        }
        return new Result(pos, null);
    }

    /**
     * Sub-records of heap dump records {@code [from, to)} (pairs in {@code heapRecords}), stopping at
     * the first problem; whether there was none.
     */
    private boolean readRun(LongArrayList heapRecords, int from, int to, HprofVisitor v) {
        try {
            HprofWindow in = from < to ? file.window(HprofWindow.DEFAULT_CAPACITY) : null;
            for (int r = from; r < to; r += 2) {
                long rec = heapRecords.getLong(r);
                String name = RecordTag.of(in.u1(rec)).label();
                heapDump(rec + RECORD_HEADER, heapRecords.getLong(r + 1), name, v, in);
            }
            return true;
        } catch (HprofFormatException e) {
            return false;
        }
    }

    /**
     * Reads the record at {@code pos}; returns the offset of the next one. A heap dump record's
     * sub-records are read now, or, with {@code heapRecords}, left for later: its offset and the end
     * of its body are added there.
     */
    private long record(long pos, long end, HprofVisitor v, LongArrayList heapRecords, HprofWindow in) {
        if (end - pos < RECORD_HEADER) {
            throw error(pos, "record header", "file ends inside a record header (" + (end - pos) + " of 9 bytes)");
        }
        int tagByte = in.u1(pos);
        long length = in.u4(pos + 5);
        long body = pos + RECORD_HEADER;
        RecordTag tag = RecordTag.of(tagByte);
        String name = tag == null ? String.format("record of tag 0x%02X", tagByte) : tag.label();
        boolean heap = tag == RecordTag.HEAP_DUMP || tag == RecordTag.HEAP_DUMP_SEGMENT;
        long bodyEnd = body + length;
        if (bodyEnd > end) {
            if (!(heap && lenient)) {
                throw error(pos, name, "record claims " + length + " bytes but only " + (end - body) + " remain in the file");
            }
            // lenient: read the sub-records that are complete, then fail at the first cut one
        }
        if (tag == null) {
            v.warning(pos, "skipped " + name + " (" + length + " bytes): not an HPROF tag HotSpot writes");
            return bodyEnd;
        }
        switch (tag) {
            case UTF8 -> {
                need(body, bodyEnd, idSize, pos, name);
                long textLength = length - idSize;
                if (textLength > Integer.MAX_VALUE) {
                    throw error(pos, name, "string of " + textLength + " bytes is too long");
                }
                v.utf8(buf.id(body, idSize), body + idSize, (int) textLength);
            }
            case LOAD_CLASS -> {
                need(body, bodyEnd, 8 + 2L * idSize, pos, name);
                v.loadClass(buf.i4(body), buf.id(body + 4, idSize), buf.i4(body + 4 + idSize),
                        buf.id(body + 8 + idSize, idSize));
            }
            case UNLOAD_CLASS -> {
                need(body, bodyEnd, 4, pos, name);
                v.unloadClass(buf.i4(body));
            }
            case STACK_FRAME -> {
                need(body, bodyEnd, 4L * idSize + 8, pos, name);
                long p = body;
                v.stackFrame(buf.id(p, idSize), buf.id(p + idSize, idSize), buf.id(p + 2L * idSize, idSize),
                        buf.id(p + 3L * idSize, idSize), buf.i4(p + 4L * idSize), buf.i4(p + 4L * idSize + 4));
            }
            case STACK_TRACE -> {
                need(body, bodyEnd, 12, pos, name);
                long frames = buf.u4(body + 8);
                needData(body + 12, bodyEnd, frames * idSize, pos, name, frames + " frame ids");
                long[] ids = new long[(int) frames];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = buf.id(body + 12 + (long) i * idSize, idSize);
                }
                v.stackTrace(buf.i4(body), buf.i4(body + 4), ids);
            }
            case START_THREAD -> {
                need(body, bodyEnd, 8 + 4L * idSize, pos, name);
                long p = body;
                v.startThread(buf.i4(p), buf.id(p + 4, idSize), buf.i4(p + 4 + idSize),
                        buf.id(p + 8 + idSize, idSize), buf.id(p + 8 + 2L * idSize, idSize),
                        buf.id(p + 8 + 3L * idSize, idSize));
            }
            case END_THREAD -> {
                need(body, bodyEnd, 4, pos, name);
                v.endThread(buf.i4(body));
            }
            case HEAP_DUMP, HEAP_DUMP_SEGMENT -> {
                if (tag == RecordTag.HEAP_DUMP) {
                    sawHeapDump = true;
                } else {
                    sawSegment = true;
                }
                v.heapDumpStart(tag, body, length);
                if (heapRecords != null) {
                    if (bodyEnd > end) {
                        throw error(pos, name, "record claims " + length + " bytes but only " + (end - body) + " remain in the file");
                    }
                    heapRecords.add(pos);
                    heapRecords.add(bodyEnd);
                    return bodyEnd;
                }
                heapDump(body, Math.min(bodyEnd, end), name, v, in);
                if (bodyEnd > end) {
                    // lenient, and every sub-record up to the end of the file was whole: the rest is lost all the same
                    throw error(pos, name, "record claims " + length + " bytes but only " + (end - body) + " remain in the file");
                }
            }
            case HEAP_DUMP_END -> {
                sawEnd = true;
                v.heapDumpEnd(pos);
            }
            case ALLOC_SITES, HEAP_SUMMARY, CPU_SAMPLES, CONTROL_SETTINGS -> v.otherRecord(tag, pos, length);
        }
        return bodyEnd;
    }

    /**
     * Sub-records of one heap dump (segment) body, {@code [pos, end)}, read through {@code in} (class
     * dumps, a few thousand, through the map): a window's byte-array reads are much faster than the
     * map's under C1, and the pages it reads do not stay resident.
     */
    private void heapDump(long pos, long end, String segment, HprofVisitor v, HprofWindow in) {
        final int id = idSize;
        final String[] names = subRecordNames(segment); // precomputed: no allocation per object
        while (pos < end) {
            long rec = pos;
            int tagByte = in.u1(pos);
            HeapTag tag = HeapTag.of(tagByte);
            if (tag == null) {
                throw error(rec, segment, String.format("unknown heap sub-record tag 0x%02X", tagByte));
            }
            String name = names[tag.ordinal()];
            pos++;
            switch (tag) {
                case INSTANCE_DUMP -> {
                    need(pos, end, 2L * id + 8, rec, name);
                    long objectId = in.id(pos, id);
                    long classId = in.id(pos + id + 4, id);
                    long dataLength = in.u4(pos + 2L * id + 4);
                    long data = pos + 2L * id + 8;
                    needData(data, end, dataLength, rec, name, "field data");
                    v.instance(objectId, classId, rec, data, (int) dataLength);
                    pos = data + dataLength;
                }
                case OBJ_ARRAY_DUMP -> {
                    need(pos, end, 2L * id + 8, rec, name);
                    long objectId = in.id(pos, id);
                    long count = in.u4(pos + id + 4);
                    long classId = in.id(pos + id + 8, id);
                    long elements = pos + 2L * id + 8;
                    needCount(count, rec, name);
                    if (end - elements < count * id) {
                        throw error(rec, name, count + " elements of " + id + " bytes run past the end of the record at " + end);
                    }
                    v.objectArray(objectId, classId, rec, elements, (int) count);
                    pos = elements + count * id;
                }
                case PRIM_ARRAY_DUMP -> {
                    need(pos, end, id + 9L, rec, name);
                    long objectId = in.id(pos, id);
                    long count = in.u4(pos + id + 4);
                    int typeByte = in.u1(pos + id + 8);
                    BasicType type = BasicType.ofTag(typeByte);
                    if (type == null || type == BasicType.OBJECT) {
                        throw error(rec, name, "element type " + typeByte + " is not a primitive type");
                    }
                    long elements = pos + id + 9;
                    needCount(count, rec, name);
                    if (end - elements < count * type.primitiveSize()) {
                        throw error(rec, name, count + " " + type.javaName() + " elements run past the end of the record at " + end);
                    }
                    v.primitiveArray(objectId, type, rec, elements, (int) count);
                    pos = elements + count * type.primitiveSize();
                }
                case CLASS_DUMP -> pos = classDump(rec, pos, end, name, v);
                case ROOT_UNKNOWN, ROOT_STICKY_CLASS, ROOT_MONITOR_USED -> {
                    need(pos, end, id, rec, name);
                    v.root(RootKind.of(tag), in.id(pos, id), 0, 0, rec);
                    pos += id;
                }
                case ROOT_JNI_GLOBAL -> {
                    need(pos, end, 2L * id, rec, name);
                    v.root(RootKind.JNI_GLOBAL, in.id(pos, id), 0, in.id(pos + id, id), rec);
                    pos += 2L * id;
                }
                case ROOT_JNI_LOCAL, ROOT_JAVA_FRAME, ROOT_THREAD_OBJECT -> {
                    need(pos, end, id + 8L, rec, name);
                    v.root(RootKind.of(tag), in.id(pos, id), in.i4(pos + id), in.i4(pos + id + 4), rec);
                    pos += id + 8L;
                }
                case ROOT_NATIVE_STACK, ROOT_THREAD_BLOCK -> {
                    need(pos, end, id + 4L, rec, name);
                    v.root(RootKind.of(tag), in.id(pos, id), in.i4(pos + id), 0, rec);
                    pos += id + 4L;
                }
            }
        }
    }

    private static final String[] HEAP_DUMP_NAMES = names(RecordTag.HEAP_DUMP.label());
    private static final String[] SEGMENT_NAMES = names(RecordTag.HEAP_DUMP_SEGMENT.label());

    private static String[] names(String segment) {
        HeapTag[] tags = HeapTag.values();
        String[] names = new String[tags.length];
        for (HeapTag t : tags) {
            names[t.ordinal()] = segment + " / " + t.label();
        }
        return names;
    }

    private static String[] subRecordNames(String segment) {
        return segment.equals(RecordTag.HEAP_DUMP.label()) ? HEAP_DUMP_NAMES : SEGMENT_NAMES;
    }

    private long classDump(long rec, long pos, long end, String name, HprofVisitor v) {
        final int id = idSize;
        need(pos, end, 7L * id + 8 + 2, rec, name);
        long classId = buf.id(pos, id);
        int stackSerial = buf.i4(pos + id);
        long superId = buf.id(pos + id + 4, id);
        long loaderId = buf.id(pos + 2L * id + 4, id);
        long signersId = buf.id(pos + 3L * id + 4, id);
        long domainId = buf.id(pos + 4L * id + 4, id);
        // two reserved ids follow
        int instanceSize = buf.i4(pos + 7L * id + 4);
        pos += 7L * id + 8;
        int constants = buf.u2(pos);
        pos += 2;
        for (int i = 0; i < constants; i++) {
            need(pos, end, 3, rec, name);
            BasicType type = type(buf.u1(pos + 2), rec, name, "constant pool entry " + i);
            pos += 3;
            need(pos, end, type.sizeInDump(id), rec, name);
            pos += type.sizeInDump(id);
        }
        need(pos, end, 2, rec, name);
        int statics = buf.u2(pos);
        pos += 2;
        List<ClassDump.StaticField> staticFields = new ArrayList<>(statics);
        for (int i = 0; i < statics; i++) {
            need(pos, end, id + 1L, rec, name);
            long nameId = buf.id(pos, id);
            BasicType type = type(buf.u1(pos + id), rec, name, "static field " + i);
            pos += id + 1L;
            int width = type.sizeInDump(id);
            need(pos, end, width, rec, name);
            long value = switch (width) {
                case 1 -> buf.i1(pos);
                case 2 -> buf.u2(pos);
                case 4 -> type == BasicType.OBJECT ? buf.u4(pos) : buf.i4(pos);
                default -> buf.i8(pos);
            };
            staticFields.add(new ClassDump.StaticField(nameId, type, value));
            pos += width;
        }
        need(pos, end, 2, rec, name);
        int fields = buf.u2(pos);
        pos += 2;
        need(pos, end, (long) fields * (id + 1), rec, name);
        List<ClassDump.FieldDecl> instanceFields = new ArrayList<>(fields);
        for (int i = 0; i < fields; i++) {
            long nameId = buf.id(pos, id);
            BasicType type = type(buf.u1(pos + id), rec, name, "instance field " + i);
            instanceFields.add(new ClassDump.FieldDecl(nameId, type));
            pos += id + 1L;
        }
        v.classDump(new ClassDump(classId, stackSerial, superId, loaderId, signersId, domainId, instanceSize,
                List.copyOf(staticFields), List.copyOf(instanceFields), rec));
        return pos;
    }

    private BasicType type(int tagByte, long rec, String name, String what) {
        BasicType type = BasicType.ofTag(tagByte);
        if (type == null) {
            throw error(rec, name, what + " has type tag " + tagByte + ", which is not an HPROF basic type");
        }
        return type;
    }

    private void need(long pos, long end, long bytes, long rec, String name) {
        if (end - pos < bytes) {
            throw error(rec, name, "needs " + bytes + " bytes at offset " + pos + " but the enclosing record ends at " + end);
        }
    }

    private void needCount(long count, long rec, String name) {
        if (count > Integer.MAX_VALUE - 8) {
            throw error(rec, name, "array length " + count + " exceeds the largest array a JVM can hold");
        }
    }

    private void needData(long pos, long end, long bytes, long rec, String name, String what) {
        if (bytes > Integer.MAX_VALUE - 8) {
            throw error(rec, name, what + " of " + bytes + " bytes exceed the largest array or object a JVM can hold");
        }
        if (end - pos < bytes) {
            throw error(rec, name, what + " of " + bytes + " bytes run past the end of the record at " + end);
        }
    }

    private HprofFormatException error(long offset, String record, String problem) {
        return new HprofFormatException(file.path(), offset, record, problem);
    }
}

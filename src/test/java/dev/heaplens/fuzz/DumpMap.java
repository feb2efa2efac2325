package dev.heaplens.fuzz;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Where things are in an intact dump, for structure-aware mutations: every record and heap
 * sub-record with its extent, and the offsets of its length and count fields, its identifiers
 * (object ids, class ids, superclass ids, references in instance fields, array elements, statics,
 * roots) and its type tags. Written independently of the library's reader, over a byte array.
 */
final class DumpMap {
    /** A top-level record: tag at {@code offset}, body {@code [offset + 9, end)}. */
    record Record(int offset, int tag, int end) {
    }

    /** A heap sub-record {@code [offset, end)} inside the body of the record at index {@code record}. */
    record SubRecord(int offset, int tag, int end, int record) {
    }

    /** A CLASS DUMP: the offsets of its class id and superclass id. */
    record ClassRecord(int offset, int idAt, int superAt, long id, long superId) {
    }

    final int idSize;
    /** Offset of the first record; the header is {@code [0, headerEnd)}. */
    final int headerEnd;
    final List<Record> records = new ArrayList<>();
    final List<SubRecord> subRecords = new ArrayList<>();
    final List<ClassRecord> classes = new ArrayList<>();
    /** Offsets of u4 length and count fields (record lengths, field data lengths, array lengths, stack frame counts). */
    final IntArrayList lengths = new IntArrayList();
    /** Offsets of the u4 length of each HEAP DUMP (SEGMENT) record. */
    final IntArrayList segmentLengths = new IntArrayList();
    /** Offsets of u2 counts in class dumps (constant pool, statics, fields). */
    final IntArrayList counts = new IntArrayList();
    /** Offsets of identifiers that refer to something: classes, superclasses, references, roots, names. */
    final IntArrayList ids = new IntArrayList();
    /** Offsets of the identifier that names each object (its own id). */
    final IntArrayList ownIds = new IntArrayList();
    /** Offsets of basic-type tags (static and instance field types, primitive array element types). */
    final IntArrayList typeTags = new IntArrayList();
    /** Every object and class id, to point references at things that exist. */
    final LongArrayList objectIds = new LongArrayList();

    private final ByteBuffer buf;
    private final Long2LongOpenHashMap supers = new Long2LongOpenHashMap();

    private DumpMap(byte[] dump) {
        this.buf = ByteBuffer.wrap(dump);
        int nul = 0;
        while (dump[nul] != 0) {
            nul++;
        }
        this.idSize = buf.getInt(nul + 1);
        this.headerEnd = nul + 13;
    }

    /** Maps an intact dump (the seed corpus's; a malformed one throws). */
    static DumpMap of(byte[] dump) {
        DumpMap map = new DumpMap(dump);
        map.walk(dump.length);
        return map;
    }

    private long id(int pos) {
        return idSize == 8 ? buf.getLong(pos) : buf.getInt(pos) & 0xFFFF_FFFFL;
    }

    private void walk(int size) {
        Long2ObjectOpenHashMap<int[]> layouts = new Long2ObjectOpenHashMap<>();
        List<int[]> instances = new ArrayList<>(); // {field data offset, end}
        LongArrayList instanceClasses = new LongArrayList();
        int pos = headerEnd;
        while (pos < size) {
            int tag = buf.get(pos) & 0xFF;
            int length = buf.getInt(pos + 5);
            int body = pos + 9;
            int end = body + length;
            int index = records.size();
            records.add(new Record(pos, tag, end));
            lengths.add(pos + 5);
            switch (tag) {
                case 0x01 -> ids.add(body);
                case 0x02 -> {
                    ids.add(body + 4);
                    ids.add(body + 8 + idSize);
                }
                case 0x05 -> lengths.add(body + 8);
                case 0x0C, 0x1C -> {
                    segmentLengths.add(pos + 5);
                    heap(body, end, index, layouts, instances, instanceClasses);
                }
                default -> {
                }
            }
            pos = end;
        }
        // references in instance fields, once every class is known
        for (int i = 0; i < instances.size(); i++) {
            int data = instances.get(i)[0];
            int dataEnd = instances.get(i)[1];
            int offset = 0;
            long c = instanceClasses.getLong(i);
            for (int guard = 0; c != 0 && layouts.containsKey(c) && guard < 64; guard++) {
                int[] layout = layouts.get(c);
                for (int k = 1; k < layout.length; k++) {
                    int width = layout[k] == 2 ? idSize : width(layout[k]);
                    if (layout[k] == 2 && data + offset + idSize <= dataEnd) {
                        ids.add(data + offset);
                    }
                    offset += width;
                }
                c = superOf(c);
            }
        }
    }

    private long superOf(long classId) {
        return supers.get(classId);
    }

    private static int width(int type) {
        return switch (type) {
            case 4, 8 -> 1;
            case 5, 9 -> 2;
            case 6, 10 -> 4;
            case 7, 11 -> 8;
            default -> throw new IllegalArgumentException("type " + type);
        };
    }

    private void heap(int pos, int end, int record, Long2ObjectOpenHashMap<int[]> layouts, List<int[]> instances,
                      LongArrayList instanceClasses) {
        final int id = idSize;
        while (pos < end) {
            int rec = pos;
            int tag = buf.get(pos++) & 0xFF;
            switch (tag) {
                case 0xFF, 0x05, 0x07 -> {
                    ids.add(pos);
                    pos += id;
                }
                case 0x01 -> {
                    ids.add(pos);
                    pos += 2 * id;
                }
                case 0x02, 0x03, 0x08 -> {
                    ids.add(pos);
                    pos += id + 8;
                }
                case 0x04, 0x06 -> {
                    ids.add(pos);
                    pos += id + 4;
                }
                case 0x20 -> {
                    long classId = id(pos);
                    long superId = id(pos + id + 4);
                    classes.add(new ClassRecord(rec, pos, pos + id + 4, classId, superId));
                    supers.put(classId, superId);
                    objectIds.add(classId);
                    ownIds.add(pos);
                    ids.add(pos + id + 4);
                    ids.add(pos + 2 * id + 4);
                    pos += 7 * id + 8;
                    counts.add(pos);
                    int constants = buf.getShort(pos) & 0xFFFF;
                    pos += 2;
                    for (int i = 0; i < constants; i++) {
                        int type = buf.get(pos + 2) & 0xFF;
                        typeTags.add(pos + 2);
                        pos += 3 + (type == 2 ? id : width(type));
                    }
                    counts.add(pos);
                    int statics = buf.getShort(pos) & 0xFFFF;
                    pos += 2;
                    for (int i = 0; i < statics; i++) {
                        ids.add(pos);
                        int type = buf.get(pos + id) & 0xFF;
                        typeTags.add(pos + id);
                        pos += id + 1;
                        if (type == 2) {
                            ids.add(pos);
                        }
                        pos += type == 2 ? id : width(type);
                    }
                    counts.add(pos);
                    int fields = buf.getShort(pos) & 0xFFFF;
                    pos += 2;
                    int[] layout = new int[fields + 1];
                    for (int i = 0; i < fields; i++) {
                        ids.add(pos);
                        typeTags.add(pos + id);
                        layout[i + 1] = buf.get(pos + id) & 0xFF;
                        pos += id + 1;
                    }
                    layouts.put(classId, layout);
                }
                case 0x21 -> {
                    objectIds.add(id(pos));
                    ownIds.add(pos);
                    ids.add(pos + id + 4);
                    lengths.add(pos + 2 * id + 4);
                    int data = pos + 2 * id + 8;
                    int dataEnd = data + buf.getInt(pos + 2 * id + 4);
                    instances.add(new int[] {data, dataEnd});
                    instanceClasses.add(id(pos + id + 4));
                    pos = dataEnd;
                }
                case 0x22 -> {
                    objectIds.add(id(pos));
                    ownIds.add(pos);
                    lengths.add(pos + id + 4);
                    int count = buf.getInt(pos + id + 4);
                    ids.add(pos + id + 8);
                    int elements = pos + 2 * id + 8;
                    for (int i = 0; i < count; i++) {
                        ids.add(elements + i * id);
                    }
                    pos = elements + count * id;
                }
                case 0x23 -> {
                    objectIds.add(id(pos));
                    ownIds.add(pos);
                    lengths.add(pos + id + 4);
                    int count = buf.getInt(pos + id + 4);
                    int type = buf.get(pos + id + 8) & 0xFF;
                    typeTags.add(pos + id + 8);
                    pos = pos + id + 9 + count * width(type);
                }
                default -> throw new IllegalArgumentException(String.format("sub-record tag 0x%02x at %d", tag, rec));
            }
            subRecords.add(new SubRecord(rec, tag, pos, record));
        }
    }
}

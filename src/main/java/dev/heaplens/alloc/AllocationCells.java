package dev.heaplens.alloc;

import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;

import java.util.List;

/**
 * Allocation events folded into cells, one per (type, stack, sampled or not): events, estimated
 * bytes, objects counted from TLAB events, bytes from samples; and per type the sum of object sizes
 * over the sized events, for an average object size. Types and stacks are ids of the caller's
 * tables; a chunk's cells are merged into the recording's through id maps.
 */
final class AllocationCells {
    /** Marks the cells of sampled events in their key. */
    private static final long SAMPLED = 1L << 62;

    /** (sampled bit | type << 32 | stack + 1) → cell index. */
    private final Long2IntOpenHashMap cellOf = new Long2IntOpenHashMap();
    final LongArrayList keys = new LongArrayList();
    final LongArrayList events = new LongArrayList();
    final LongArrayList bytes = new LongArrayList();
    /** Objects counted from TLAB events; sampled bytes have no count. */
    final LongArrayList objects = new LongArrayList();
    /** Bytes from samples, whose objects are not counted. */
    final LongArrayList sampledBytes = new LongArrayList();
    /** Per type: sum of allocationSize and number of sized events. */
    final Long2LongOpenHashMap sizedBytes = new Long2LongOpenHashMap();
    final Long2LongOpenHashMap sizedEvents = new Long2LongOpenHashMap();

    AllocationCells() {
        cellOf.defaultReturnValue(-1);
    }

    /**
     * One allocation event: {@code bytes} it stands for, {@code objects} counted (TLAB events), and
     * the allocated object's size, 0 for a sample (whose objects are not counted).
     */
    void event(int type, int stack, long eventBytes, long eventObjects, long objectSize) {
        int cell = cell(key(type, stack, objectSize <= 0));
        events.set(cell, events.getLong(cell) + 1);
        bytes.set(cell, bytes.getLong(cell) + eventBytes);
        if (objectSize > 0) {
            objects.set(cell, objects.getLong(cell) + eventObjects);
            sizedBytes.addTo(type, objectSize);
            sizedEvents.addTo(type, 1);
        } else {
            sampledBytes.set(cell, sampledBytes.getLong(cell) + eventBytes);
        }
    }

    /** Adds another fold's cells, its type and stack ids mapped to this fold's. */
    void addAll(AllocationCells other, int[] typeMap, int[] stackMap) {
        for (int c = 0; c < other.keys.size(); c++) {
            long k = other.keys.getLong(c);
            int stack = stackOf(k);
            int cell = cell(key(typeMap[typeOf(k)], stack < 0 ? stack : stackMap[stack], (k & SAMPLED) != 0));
            events.set(cell, events.getLong(cell) + other.events.getLong(c));
            bytes.set(cell, bytes.getLong(cell) + other.bytes.getLong(c));
            objects.set(cell, objects.getLong(cell) + other.objects.getLong(c));
            sampledBytes.set(cell, sampledBytes.getLong(cell) + other.sampledBytes.getLong(c));
        }
        other.sizedBytes.long2LongEntrySet().forEach(e -> sizedBytes.addTo(typeMap[(int) e.getLongKey()], e.getLongValue()));
        other.sizedEvents.long2LongEntrySet().forEach(e -> sizedEvents.addTo(typeMap[(int) e.getLongKey()], e.getLongValue()));
    }

    private static long key(int type, int stack, boolean sampled) {
        return (sampled ? SAMPLED : 0) | ((long) type << 32) | (stack + 1L);
    }

    private int cell(long key) {
        int cell = cellOf.get(key);
        if (cell < 0) {
            cell = keys.size();
            cellOf.put(key, cell);
            keys.add(key);
            events.add(0);
            bytes.add(0);
            objects.add(0);
            sampledBytes.add(0);
        }
        return cell;
    }

    int size() {
        return keys.size();
    }

    /**
     * Keeps the TLAB events' cells when there are both kinds (they would count the same bytes
     * twice), and returns how many sampled events were left out.
     */
    long oneKindOfAllocationEvent() {
        boolean tlab = false;
        boolean sampled = false;
        for (int c = 0; c < keys.size(); c++) {
            tlab |= (keys.getLong(c) & SAMPLED) == 0;
            sampled |= (keys.getLong(c) & SAMPLED) != 0;
        }
        if (!(tlab && sampled)) {
            return 0;
        }
        long leftOut = 0;
        int kept = 0;
        for (int c = 0; c < keys.size(); c++) {
            if ((keys.getLong(c) & SAMPLED) != 0) {
                leftOut += events.getLong(c);
                continue;
            }
            keys.set(kept, keys.getLong(c));
            events.set(kept, events.getLong(c));
            bytes.set(kept, bytes.getLong(c));
            objects.set(kept, objects.getLong(c));
            sampledBytes.set(kept, sampledBytes.getLong(c));
            kept++;
        }
        for (LongArrayList list : List.of(keys, events, bytes, objects, sampledBytes)) {
            list.size(kept);
        }
        cellOf.clear();
        return leftOut;
    }

    static int typeOf(long cellKey) {
        return (int) ((cellKey & ~SAMPLED) >>> 32);
    }

    static int stackOf(long cellKey) {
        return (int) (cellKey & 0xffffffffL) - 1;
    }
}

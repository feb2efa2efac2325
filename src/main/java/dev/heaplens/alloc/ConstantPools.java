package dev.heaplens.alloc;

import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

/**
 * Where each constant of a chunk is: per type, pool key → position of its value in the chunk.
 * Nothing is decoded here; a value is read when an event first refers to it.
 *
 * <p>A chunk's constant pool events are chained backwards from the one the chunk header names, each
 * giving the (negative) distance to the one before; each holds pools of (type id, count, then key
 * and value per constant).
 */
final class ConstantPools {
    private static final long CONSTANT_POOL_EVENT = 1;

    private final Long2ObjectOpenHashMap<Long2IntOpenHashMap> byType = new Long2ObjectOpenHashMap<>();

    private ConstantPools() {
    }

    /** Indexes the pools of the chain that ends at {@code last}. */
    static ConstantPools read(JfrInput in, JfrMetadata metadata, int last) {
        ConstantPools pools = new ConstantPools();
        int at = last;
        while (true) {
            in.pos = at;
            int size = in.readInt();
            long type = in.readLong();
            if (type != CONSTANT_POOL_EVENT || size <= 0 || size > in.bytes.length - at) {
                in.pos = at;
                throw in.damage("expected a constant pool event of the chunk here, found type " + type + " of " + size + " bytes");
            }
            in.readLong(); // start time
            in.readLong(); // duration
            long delta = in.readLong();
            in.readByte(); // flush / checkpoint kind
            int count = in.checkedCount(in.readInt());
            for (int i = 0; i < count; i++) {
                pools.readPool(in, metadata);
            }
            if (in.pos != at + size) {
                in.pos = at;
                throw in.damage("a constant pool event's contents do not fill its " + size + " bytes");
            }
            if (delta == 0) {
                return pools;
            }
            if (delta > 0 || at + delta < JfrChunkReader.HEADER_BYTES) {
                in.pos = at;
                throw in.damage("a constant pool event points at " + (at + delta) + ", not at an earlier event of its chunk");
            }
            at += (int) delta;
        }
    }

    private void readPool(JfrInput in, JfrMetadata metadata) {
        long typeId = in.readLong();
        JfrMetadata.Type t = metadata.type(typeId);
        if (t == null) {
            throw in.damage("a constant pool of undefined type " + typeId);
        }
        int n = in.checkedCount(in.readInt());
        Long2IntOpenHashMap positions = byType.computeIfAbsent(typeId, k -> {
            Long2IntOpenHashMap m = new Long2IntOpenHashMap(n);
            m.defaultReturnValue(-1);
            return m;
        });
        for (int j = 0; j < n; j++) {
            long key = in.readLong();
            positions.put(key, in.pos);
            JfrMetadata.skipValue(in, t, 0);
        }
    }

    /** Where the value of a type's constant is in the chunk, or -1 if the chunk has no such constant. */
    int position(long typeId, long key) {
        Long2IntOpenHashMap positions = byType.get(typeId);
        return positions == null ? -1 : positions.get(key);
    }
}

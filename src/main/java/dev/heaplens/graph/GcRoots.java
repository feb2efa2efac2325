package dev.heaplens.graph;

import dev.heaplens.hprof.RootKind;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;

import java.util.EnumMap;
import java.util.Map;

/**
 * The GC roots of a dump: one entry per root sub-record, each with the object it holds, its kind,
 * and for thread-related kinds the thread serial and frame. An object may be a root several times
 * (a local variable in two frames and a JNI global): every entry is kept with its kind.
 */
public final class GcRoots {
    private static final RootKind[] KINDS = RootKind.values();

    private final int[] objects;
    private final byte[] kinds;
    private final int[] threadSerials;
    private final long[] extras;
    private final int unresolved;

    GcRoots(int[] objects, byte[] kinds, int[] threadSerials, long[] extras, int unresolved) {
        this.objects = objects;
        this.kinds = kinds;
        this.threadSerials = threadSerials;
        this.extras = extras;
        this.unresolved = unresolved;
    }

    /** Number of root entries that point at an object in the dump. */
    public int size() {
        return objects.length;
    }

    /** Dense object index held by root entry {@code r}. */
    public int object(int r) {
        return objects[r];
    }

    /** Kind of root entry {@code r}. */
    public RootKind kind(int r) {
        return KINDS[kinds[r]];
    }

    /** Thread serial of root entry {@code r} (thread-related kinds), else 0. */
    public int threadSerial(int r) {
        return threadSerials[r];
    }

    /** Frame number (JNI local, Java frame), stack trace serial (thread object) or JNI reference id; else 0. */
    public long extra(int r) {
        return extras[r];
    }

    /** Root entries whose object id is not in the dump (HotSpot writes a few: e.g. roots to filtered objects). */
    public int unresolved() {
        return unresolved;
    }

    /** Entries per kind. */
    public Map<RootKind, Integer> countByKind() {
        Map<RootKind, Integer> counts = new EnumMap<>(RootKind.class);
        for (byte k : kinds) {
            counts.merge(KINDS[k], 1, Integer::sum);
        }
        return counts;
    }

    /** Collects root sub-records during the record pass, then resolves them to indices. */
    static final class Collector {
        private final LongArrayList ids = new LongArrayList();
        private final IntArrayList kinds = new IntArrayList();
        private final IntArrayList threads = new IntArrayList();
        private final LongArrayList extras = new LongArrayList();

        void add(RootKind kind, long id, int threadSerial, long extra) {
            ids.add(id);
            kinds.add(kind.ordinal());
            threads.add(threadSerial);
            extras.add(extra);
        }

        GcRoots resolve(IdIndex index) {
            IntArrayList objs = new IntArrayList(ids.size());
            IntArrayList keep = new IntArrayList(ids.size());
            for (int r = 0; r < ids.size(); r++) {
                int o = index.indexOf(ids.getLong(r));
                if (o >= 0) {
                    objs.add(o);
                    keep.add(r);
                }
            }
            int n = keep.size();
            byte[] k = new byte[n];
            int[] t = new int[n];
            long[] e = new long[n];
            for (int i = 0; i < n; i++) {
                int r = keep.getInt(i);
                k[i] = (byte) kinds.getInt(r);
                t[i] = threads.getInt(r);
                e[i] = extras.getLong(r);
            }
            return new GcRoots(objs.toIntArray(), k, t, e, ids.size() - n);
        }
    }
}

package dev.heaplens.fuzz;

import dev.heaplens.fuzz.FuzzCorpus.Seed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Makes a mutant of a seed dump from a {@code long}: the same seed file and number give the same
 * bytes on every run. Mutations are structure-aware where it matters (length and count fields,
 * identifiers, superclasses, whole records and sub-records, segments, type tags, the header) and
 * blind elsewhere (bit flips, runs of 0x00 or 0xFF). A gzip seed is mutated in its decompressed form
 * and compressed again, or damaged as a gzip stream.
 */
final class Mutator {
    /** What was done to a seed. */
    enum Kind {
        BIT_FLIPS, BYTE_RUN, CUT_AT_BOUNDARY, CUT_INSIDE, CUT_IN_HEADER, LENGTH, COUNT, DANGLING_ID, SELF_ID, OTHER_ID,
        SUPER_MISSING, SUPER_CYCLE, SUPER_SELF, SUPER_NOT_A_CLASS, DUPLICATE_RECORD, DUPLICATE_SUBRECORD, DROP_RECORD,
        DROP_SUBRECORD, SWAP_RECORDS, SWAP_SUBRECORDS, SEGMENT_OVERCLAIM, TYPE_TAG, TAG, HEADER, SEVERAL,
        GZIP_STREAM
    }

    /** Kinds that change bytes in place, so several can be applied to one map of the seed. */
    private static final List<Kind> IN_PLACE = List.of(Kind.BIT_FLIPS, Kind.BYTE_RUN, Kind.LENGTH, Kind.COUNT, Kind.DANGLING_ID,
            Kind.SELF_ID, Kind.OTHER_ID, Kind.SUPER_MISSING, Kind.SUPER_CYCLE, Kind.SUPER_SELF, Kind.SUPER_NOT_A_CLASS,
            Kind.SEGMENT_OVERCLAIM, Kind.TYPE_TAG, Kind.TAG);
    /** Kinds that move, add or remove bytes: at most one per mutant, last. */
    private static final List<Kind> STRUCTURAL = List.of(Kind.CUT_AT_BOUNDARY, Kind.CUT_INSIDE, Kind.DUPLICATE_RECORD,
            Kind.DUPLICATE_SUBRECORD, Kind.DROP_RECORD, Kind.DROP_SUBRECORD, Kind.SWAP_RECORDS, Kind.SWAP_SUBRECORDS);

    /**
     * A mutant: its seed file and number, which replay it, its bytes (gzip when the seed is), and what
     * was done.
     */
    record Mutant(Seed seed, long number, byte[] bytes, Kind kind, String description) {
        /** What replays it: {@code seed-file:number}. */
        String id() {
            return seed.name() + ":" + number;
        }
    }

    private final Seed seed;
    private final DumpMap map;
    private final int[] sortedIds;

    Mutator(Seed seed) {
        this.seed = seed;
        this.map = DumpMap.of(seed.plain());
        this.sortedIds = map.ids.toIntArray();
        Arrays.sort(sortedIds);
    }

    Seed seed() {
        return seed;
    }

    /** The mutant numbered {@code number}. */
    Mutant mutate(long number) {
        SplittableRandom r = new SplittableRandom(number * 0x9E3779B97F4A7C15L + seed.name().hashCode());
        if (seed.gzip() && r.nextInt(4) == 0) {
            byte[] bytes = seed.bytes().clone();
            StringBuilder what = new StringBuilder();
            bytes = damageGzip(bytes, r, what);
            return new Mutant(seed, number, bytes, Kind.GZIP_STREAM, what.toString());
        }
        Kind kind = pick(r);
        StringBuilder what = new StringBuilder(kind.name()).append(':');
        byte[] bytes = seed.plain().clone();
        if (kind == Kind.SEVERAL) {
            int n = 2 + r.nextInt(3);
            for (int i = 0; i < n; i++) {
                Kind k = IN_PLACE.get(r.nextInt(IN_PLACE.size()));
                what.append(' ').append(k.name()).append(':');
                bytes = apply(k, bytes, r, what);
            }
            if (r.nextBoolean()) {
                Kind k = STRUCTURAL.get(r.nextInt(STRUCTURAL.size()));
                what.append(' ').append(k.name()).append(':');
                bytes = apply(k, bytes, r, what);
            }
        } else {
            bytes = apply(kind, bytes, r, what);
        }
        return new Mutant(seed, number, seed.gzip() ? gzip(bytes) : bytes, kind, what.toString());
    }

    private static Kind pick(SplittableRandom r) {
        Kind[] kinds = Kind.values();
        // every kind but the gzip one, SEVERAL twice as often
        int k = r.nextInt(kinds.length);
        return kinds[k] == Kind.GZIP_STREAM ? Kind.SEVERAL : kinds[k];
    }

    private byte[] apply(Kind kind, byte[] b, SplittableRandom r, StringBuilder what) {
        int id = map.idSize;
        switch (kind) {
            case BIT_FLIPS -> {
                int n = 1 + r.nextInt(8);
                for (int i = 0; i < n; i++) {
                    // half in the records before the heap and the first heap records: names, classes
                    int at = r.nextBoolean() ? r.nextInt(b.length) : r.nextInt(Math.max(1, Math.min(b.length, b.length / 20 + 64)));
                    int bit = r.nextInt(8);
                    b[at] ^= (byte) (1 << bit);
                    what.append(' ').append(at).append('.').append(bit);
                }
            }
            case BYTE_RUN -> {
                int at = r.nextBoolean() ? r.nextInt(b.length) : recordStart(r);
                int length = Math.min(b.length - at, 1 + r.nextInt(r.nextBoolean() ? 8 : 256));
                byte value = r.nextBoolean() ? 0 : (byte) 0xFF;
                Arrays.fill(b, at, at + length, value);
                what.append(String.format(" %d bytes of 0x%02X at %d", length, value, at));
            }
            case CUT_AT_BOUNDARY -> {
                int at = r.nextBoolean() ? map.records.get(r.nextInt(map.records.size())).offset()
                        : map.subRecords.isEmpty() ? map.headerEnd : map.subRecords.get(r.nextInt(map.subRecords.size())).offset();
                if (r.nextInt(8) == 0) {
                    at = map.records.get(map.records.size() - 1).offset(); // just the final HEAP DUMP END is lost
                }
                what.append(" at ").append(at);
                return Arrays.copyOf(b, at);
            }
            case CUT_INSIDE -> {
                int at;
                if (r.nextBoolean() && !map.subRecords.isEmpty()) {
                    DumpMap.SubRecord s = map.subRecords.get(r.nextInt(map.subRecords.size()));
                    at = s.offset() + 1 + r.nextInt(Math.max(1, s.end() - s.offset() - 1));
                } else {
                    DumpMap.Record rec = map.records.get(r.nextInt(map.records.size()));
                    at = rec.offset() + 1 + r.nextInt(Math.max(1, rec.end() - rec.offset() - 1));
                }
                what.append(" at ").append(at);
                return Arrays.copyOf(b, Math.min(at, b.length));
            }
            case CUT_IN_HEADER -> {
                int at = r.nextInt(map.headerEnd + 9);
                what.append(" at ").append(at);
                return Arrays.copyOf(b, at);
            }
            case LENGTH -> {
                int at = r.nextInt(3) == 0 && !map.segmentLengths.isEmpty()
                        ? map.segmentLengths.getInt(r.nextInt(map.segmentLengths.size()))
                        : map.lengths.getInt(r.nextInt(map.lengths.size()));
                long old = u4(b, at);
                long[] choices = {0, 1, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0xFFFF_FFF0L, 0x7FFF_FFF8L, old + 1, old - 1,
                        old + 1 + r.nextInt(16), old - 1 - r.nextInt(16), old * 2, old + b.length, b.length, 0x4000_0000L};
                long v = choices[r.nextInt(choices.length)] & 0xFFFF_FFFFL;
                putU4(b, at, v);
                what.append(String.format(" u4 at %d %d -> %d", at, old, v));
            }
            case COUNT -> {
                if (map.counts.isEmpty()) {
                    return apply(Kind.LENGTH, b, r, what);
                }
                int at = map.counts.getInt(r.nextInt(map.counts.size()));
                int old = ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
                int[] choices = {0, 1, 0xFFFF, 0x8000, old + 1, old - 1, old + 2 + r.nextInt(30)};
                int v = choices[r.nextInt(choices.length)] & 0xFFFF;
                b[at] = (byte) (v >>> 8);
                b[at + 1] = (byte) v;
                what.append(String.format(" u2 at %d %d -> %d", at, old, v));
            }
            case DANGLING_ID -> {
                int at = sortedIds[r.nextInt(sortedIds.length)];
                long[] choices = {r.nextLong(), r.nextLong() & 0xFFFF_FFFFL, 1, -1L, getId(b, at) + 8, getId(b, at) ^ (1L << r.nextInt(40)),
                        0};
                long v = choices[r.nextInt(choices.length)];
                putId(b, at, v);
                what.append(String.format(" id at %d -> 0x%x", at, v));
            }
            case SELF_ID -> {
                // an object whose references (or class id) point at itself
                int own = map.ownIds.getInt(r.nextInt(map.ownIds.size()));
                long self = getId(b, own);
                int sub = subRecordAt(own);
                int end = map.subRecords.get(sub).end();
                int from = lowerBound(sortedIds, own);
                int to = lowerBound(sortedIds, end);
                if (from >= to) {
                    what.append(" no id in the record at ").append(own);
                    return b;
                }
                int n = 1 + r.nextInt(Math.min(4, to - from));
                for (int i = 0; i < n; i++) {
                    int at = sortedIds[from + r.nextInt(to - from)];
                    putId(b, at, self);
                    what.append(String.format(" id at %d -> 0x%x (its own)", at, self));
                }
            }
            case OTHER_ID -> {
                int at = sortedIds[r.nextInt(sortedIds.length)];
                long v = map.objectIds.getLong(r.nextInt(map.objectIds.size()));
                putId(b, at, v);
                what.append(String.format(" id at %d -> 0x%x", at, v));
            }
            case SUPER_MISSING -> {
                DumpMap.ClassRecord c = randomClass(r);
                long v = r.nextBoolean() ? r.nextLong() : c.id() + 8;
                putId(b, c.superAt(), v);
                what.append(String.format(" superclass of 0x%x at %d -> 0x%x", c.id(), c.superAt(), v));
            }
            case SUPER_SELF -> {
                DumpMap.ClassRecord c = randomClass(r);
                putId(b, c.superAt(), c.id());
                what.append(String.format(" superclass of 0x%x at %d -> itself", c.id(), c.superAt()));
            }
            case SUPER_CYCLE -> {
                // an ancestor k steps up gets the class as its superclass
                DumpMap.ClassRecord c = randomClass(r);
                DumpMap.ClassRecord ancestor = c;
                int steps = 1 + r.nextInt(4);
                for (int i = 0; i < steps; i++) {
                    DumpMap.ClassRecord up = classOf(ancestor.superId());
                    if (up == null) {
                        break;
                    }
                    ancestor = up;
                }
                putId(b, ancestor.superAt(), c.id());
                what.append(String.format(" superclass of 0x%x at %d -> 0x%x", ancestor.id(), ancestor.superAt(), c.id()));
            }
            case SUPER_NOT_A_CLASS -> {
                DumpMap.ClassRecord c = randomClass(r);
                long v = map.objectIds.getLong(r.nextInt(map.objectIds.size()));
                putId(b, c.superAt(), v);
                what.append(String.format(" superclass of 0x%x at %d -> 0x%x", c.id(), c.superAt(), v));
            }
            case DUPLICATE_RECORD -> {
                DumpMap.Record rec = map.records.get(r.nextInt(map.records.size()));
                DumpMap.Record where = map.records.get(r.nextInt(map.records.size()));
                int at = r.nextBoolean() ? rec.end() : where.offset();
                what.append(String.format(" [%d, %d) copied to %d", rec.offset(), rec.end(), at));
                return insert(b, at, Arrays.copyOfRange(b, rec.offset(), rec.end()));
            }
            case DUPLICATE_SUBRECORD -> {
                if (map.subRecords.isEmpty()) {
                    return apply(Kind.DUPLICATE_RECORD, b, r, what);
                }
                DumpMap.SubRecord s = randomSubRecord(r);
                int length = s.end() - s.offset();
                int lengthAt = map.records.get(s.record()).offset() + 5;
                putU4(b, lengthAt, u4(b, lengthAt) + length);
                what.append(String.format(" [%d, %d) copied after itself", s.offset(), s.end()));
                return insert(b, s.end(), Arrays.copyOfRange(b, s.offset(), s.end()));
            }
            case DROP_RECORD -> {
                DumpMap.Record rec = map.records.get(r.nextInt(map.records.size()));
                what.append(String.format(" [%d, %d) removed", rec.offset(), rec.end()));
                return remove(b, rec.offset(), rec.end());
            }
            case DROP_SUBRECORD -> {
                if (map.subRecords.isEmpty()) {
                    return apply(Kind.DROP_RECORD, b, r, what);
                }
                DumpMap.SubRecord s = r.nextBoolean() || map.classes.isEmpty() ? randomSubRecord(r)
                        : map.subRecords.get(subRecordAt(randomClass(r).idAt())); // a class dump: its instances lose their class
                int lengthAt = map.records.get(s.record()).offset() + 5;
                putU4(b, lengthAt, u4(b, lengthAt) - (s.end() - s.offset()));
                what.append(String.format(" [%d, %d) removed", s.offset(), s.end()));
                return remove(b, s.offset(), s.end());
            }
            case SWAP_RECORDS -> {
                int i = r.nextInt(map.records.size());
                int j = r.nextBoolean() ? Math.min(map.records.size() - 1, i + 1) : r.nextInt(map.records.size());
                DumpMap.Record a = map.records.get(Math.min(i, j));
                DumpMap.Record c = map.records.get(Math.max(i, j));
                what.append(String.format(" [%d, %d) <-> [%d, %d)", a.offset(), a.end(), c.offset(), c.end()));
                return swap(b, a.offset(), a.end(), c.offset(), c.end());
            }
            case SWAP_SUBRECORDS -> {
                if (map.subRecords.size() < 2) {
                    return apply(Kind.SWAP_RECORDS, b, r, what);
                }
                int i = r.nextInt(map.subRecords.size() - 1);
                int j = i + 1;
                if (r.nextBoolean()) {
                    // another one in the same segment
                    int k = i + r.nextInt(Math.min(200, map.subRecords.size() - i));
                    if (map.subRecords.get(k).record() == map.subRecords.get(i).record() && k != i) {
                        j = k;
                    }
                }
                DumpMap.SubRecord a = map.subRecords.get(i);
                DumpMap.SubRecord c = map.subRecords.get(j);
                if (a.record() != c.record()) {
                    what.append(" none: the neighbours are in different segments");
                    return b;
                }
                what.append(String.format(" [%d, %d) <-> [%d, %d)", a.offset(), a.end(), c.offset(), c.end()));
                return swap(b, a.offset(), a.end(), c.offset(), c.end());
            }
            case SEGMENT_OVERCLAIM -> {
                if (map.segmentLengths.isEmpty()) {
                    return apply(Kind.LENGTH, b, r, what);
                }
                int at = map.segmentLengths.getInt(r.nextInt(map.segmentLengths.size()));
                long remaining = b.length - (at + 4L);
                long[] choices = {remaining + 1, remaining + 1 + r.nextInt(1 << 20), 0xFFFF_FFFFL, remaining + 0x1000_0000L};
                long v = Math.min(0xFFFF_FFFFL, choices[r.nextInt(choices.length)]);
                putU4(b, at, v);
                what.append(String.format(" segment length at %d -> %d (%d remain)", at, v, remaining));
            }
            case TYPE_TAG -> {
                if (map.typeTags.isEmpty()) {
                    return apply(Kind.BIT_FLIPS, b, r, what);
                }
                int at = map.typeTags.getInt(r.nextInt(map.typeTags.size()));
                int[] choices = {0, 1, 2, 3, 4, 7, 11, 12, 13, 0xFF, r.nextInt(256)};
                int v = choices[r.nextInt(choices.length)];
                what.append(String.format(" type at %d %d -> %d", at, b[at] & 0xFF, v));
                b[at] = (byte) v;
            }
            case TAG -> {
                int at = r.nextBoolean() || map.subRecords.isEmpty() ? map.records.get(r.nextInt(map.records.size())).offset()
                        : map.subRecords.get(r.nextInt(map.subRecords.size())).offset();
                int[] choices = {0x00, 0x01, 0x0C, 0x1C, 0x20, 0x21, 0x22, 0x23, 0x2C, 0xFF, 0x0D, 0x89, r.nextInt(256)};
                int v = choices[r.nextInt(choices.length)];
                what.append(String.format(" tag at %d 0x%02X -> 0x%02X", at, b[at] & 0xFF, v));
                b[at] = (byte) v;
            }
            case HEADER -> {
                int nul = map.headerEnd - 13;
                switch (r.nextInt(4)) {
                    case 0 -> {
                        int[] sizes = {0, 1, 2, 3, 5, 7, 16, -1, 0x10000, id == 8 ? 4 : 8};
                        int v = sizes[r.nextInt(sizes.length)];
                        putU4(b, nul + 1, v & 0xFFFF_FFFFL);
                        what.append(" id size -> ").append(v);
                    }
                    case 1 -> {
                        int at = r.nextInt(nul);
                        b[at] = (byte) r.nextInt(256);
                        what.append(" magic byte ").append(at);
                    }
                    case 2 -> {
                        b[nul] = 'X'; // no NUL: the header runs into the records
                        what.append(" no NUL");
                    }
                    default -> {
                        putLong(b, nul + 5, r.nextLong());
                        what.append(" timestamp");
                    }
                }
            }
            default -> throw new IllegalStateException(kind.name());
        }
        return b;
    }

    /** Damages the gzip stream itself: its header, deflate data, CRC or length, or its end. */
    private static byte[] damageGzip(byte[] b, SplittableRandom r, StringBuilder what) {
        switch (r.nextInt(5)) {
            case 0 -> {
                int at = r.nextInt(b.length);
                what.append("GZIP_STREAM: cut at ").append(at).append(" of ").append(b.length);
                return Arrays.copyOf(b, at);
            }
            case 1 -> {
                int at = r.nextInt(Math.min(b.length, 12));
                what.append("GZIP_STREAM: cut in the gzip header at ").append(at);
                return Arrays.copyOf(b, at);
            }
            case 2 -> {
                int n = 1 + r.nextInt(4);
                what.append("GZIP_STREAM: bit flips");
                for (int i = 0; i < n; i++) {
                    int at = r.nextInt(b.length);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                    what.append(' ').append(at);
                }
                return b;
            }
            case 3 -> {
                int at = b.length - 1 - r.nextInt(8);
                b[at] ^= (byte) (1 + r.nextInt(255));
                what.append("GZIP_STREAM: trailer byte ").append(at);
                return b;
            }
            default -> {
                int at = r.nextInt(b.length);
                int length = Math.min(b.length - at, 1 + r.nextInt(64));
                Arrays.fill(b, at, at + length, r.nextBoolean() ? 0 : (byte) 0xFF);
                what.append("GZIP_STREAM: ").append(length).append(" bytes overwritten at ").append(at);
                return b;
            }
        }
    }

    private int recordStart(SplittableRandom r) {
        return r.nextBoolean() || map.subRecords.isEmpty() ? map.records.get(r.nextInt(map.records.size())).offset()
                : map.subRecords.get(r.nextInt(map.subRecords.size())).offset();
    }

    private DumpMap.ClassRecord randomClass(SplittableRandom r) {
        return map.classes.get(r.nextInt(map.classes.size()));
    }

    private DumpMap.SubRecord randomSubRecord(SplittableRandom r) {
        return map.subRecords.get(r.nextInt(map.subRecords.size()));
    }

    private DumpMap.ClassRecord classOf(long id) {
        for (DumpMap.ClassRecord c : map.classes) {
            if (c.id() == id) {
                return c;
            }
        }
        return null;
    }

    /** Index of the sub-record holding {@code offset}. */
    private int subRecordAt(int offset) {
        int lo = 0;
        int hi = map.subRecords.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (map.subRecords.get(mid).offset() <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private static int lowerBound(int[] sorted, int key) {
        int at = Arrays.binarySearch(sorted, key);
        if (at < 0) {
            return -at - 1;
        }
        while (at > 0 && sorted[at - 1] == key) {
            at--;
        }
        return at;
    }

    private long getId(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < map.idSize; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    private void putId(byte[] b, int at, long v) {
        for (int i = map.idSize - 1; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long u4(byte[] b, int at) {
        return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
    }

    private static void putU4(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static byte[] insert(byte[] b, int at, byte[] chunk) {
        byte[] out = new byte[b.length + chunk.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(chunk, 0, out, at, chunk.length);
        System.arraycopy(b, at, out, at + chunk.length, b.length - at);
        return out;
    }

    private static byte[] remove(byte[] b, int from, int to) {
        byte[] out = new byte[b.length - (to - from)];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(b, to, out, from, b.length - to);
        return out;
    }

    /** Swaps {@code [a, aEnd)} with {@code [c, cEnd)}, {@code aEnd <= c}. */
    private static byte[] swap(byte[] b, int a, int aEnd, int c, int cEnd) {
        if (a == c) {
            return b;
        }
        byte[] out = new byte[b.length];
        int p = 0;
        System.arraycopy(b, 0, out, p, a);
        p += a;
        System.arraycopy(b, c, out, p, cEnd - c);
        p += cEnd - c;
        System.arraycopy(b, aEnd, out, p, c - aEnd);
        p += c - aEnd;
        System.arraycopy(b, a, out, p, aEnd - a);
        p += aEnd - a;
        System.arraycopy(b, cEnd, out, p, b.length - cEnd);
        return out;
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED); // a mutant is made in a few milliseconds
            }
        }) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}

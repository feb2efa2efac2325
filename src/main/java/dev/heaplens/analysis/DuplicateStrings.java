package dev.heaplens.analysis;

import dev.heaplens.graph.ClassKind;
import dev.heaplens.graph.ClassTable;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.graph.StaticFieldInfo;
import dev.heaplens.hprof.BasicType;
import dev.heaplens.hprof.HprofBuffer;
import dev.heaplens.hprof.HprofWindow;
import dev.heaplens.text.TextTable;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntArrays;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrays;
import it.unimi.dsi.fastutil.longs.LongArrayList;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * {@code java.lang.String}s with equal values: what {@code String.intern()} (or a deduplicating
 * cache) would save, and who holds the copies.
 *
 * <p>Strings of both layouts are read: JDK 9+ ({@code byte[] value} with its {@code coder}) and JDK 8
 * ({@code char[] value}, and {@code offset}/{@code count} where an older JDK has them). Values are
 * grouped by a hash of the backing array's bytes in the dump, then verified byte for byte, so two
 * strings are in one group only if their contents are equal (a Latin-1 and a UTF-16 string of the
 * same text, possible only with {@code -XX:-CompactStrings} mixed in, stay apart).
 *
 * <p><b>Wasted bytes</b> of a value, in the graph's shallow size model: the shallow sizes of all its
 * {@code String} objects but one, plus those of all its distinct backing arrays but the largest. That
 * is what interning would free if nothing else held the copies; strings sharing one array (a
 * {@code substring} of old JDKs, or strings copied with {@code new String(s)} on JDK 9+) cost only
 * their {@code String} objects.
 *
 * <p><b>Holders</b> of a value are the objects that reference its strings, grouped by how they hold
 * them: the referrer's class and field ({@code com.acme.Customer.city}), an array class
 * ({@code java.lang.Object[][]}, any element) or a static ({@code static com.acme.Config.NAME}),
 * each with the number of references; only the {@value #HOLDERS_PER_GROUP} most frequent are kept.
 *
 * <pre>{@code
 * DuplicateStrings dups = DuplicateStrings.of(graph, 10);
 * System.out.println(dups);                          // the values that waste most, with their holders
 * long saved = dups.wastedBytes();                   // over every duplicated value, not just the top 10
 * }</pre>
 */
public final class DuplicateStrings {
    /** Values listed by default. */
    public static final int DEFAULT_TOP = 20;
    /** Holders kept per value. */
    public static final int HOLDERS_PER_GROUP = 5;
    /** Characters of a value's escaped form shown in {@link Group#preview()}, the {@code …} not counted. */
    public static final int PREVIEW_CHARS = 60;

    /**
     * How strings of one value are held.
     *
     * @param label      {@code com.acme.Customer.city}, {@code java.lang.Object[][]} or {@code static com.acme.Config.NAME}
     * @param className  the referrer's class (for a static, the class declaring it)
     * @param references number of references of this kind to strings of the value
     */
    public record Holder(String label, String className, long references) {
    }

    /**
     * One duplicated value.
     *
     * @param preview        the value with quotes, backslashes and control characters escaped as in Java
     *                       source, cut to at most {@value #PREVIEW_CHARS} characters (escapes included) and
     *                       then marked with a trailing {@code …}
     * @param length         the value's length in chars
     * @param count          number of {@code String} objects with this value (at least 2)
     * @param distinctArrays number of distinct backing arrays among them
     * @param wastedBytes    what interning would free: see the class comment
     * @param exampleId      object id of one of the strings
     * @param holders        the most frequent holders, most references first
     */
    public record Group(String preview, int length, long count, long distinctArrays, long wastedBytes, long exampleId,
                        List<Holder> holders) {
        public Group {
            holders = List.copyOf(holders);
        }
    }

    private final List<Group> groups;
    private final long values;
    private final long duplicates;
    private final long strings;
    private final long wastedBytes;
    private final long heapBytes;

    private DuplicateStrings(List<Group> groups, long values, long duplicates, long strings, long wastedBytes, long heapBytes) {
        this.groups = List.copyOf(groups);
        this.values = values;
        this.duplicates = duplicates;
        this.strings = strings;
        this.wastedBytes = wastedBytes;
        this.heapBytes = heapBytes;
    }

    /** The {@value #DEFAULT_TOP} values that waste most. */
    public static DuplicateStrings of(ObjectGraph graph) {
        return of(graph, DEFAULT_TOP);
    }

    /** The {@code top} values that waste most, with their holders; the totals cover every duplicated value. */
    public static DuplicateStrings of(ObjectGraph graph, int top) {
        return of(graph, top, Waste.heapBytes(graph));
    }

    static DuplicateStrings of(ObjectGraph graph, int top, long heapBytes) {
        return of(graph, top, heapBytes, HASH_MASK);
    }

    /** With the content hash cut to {@code hashMask}'s bits: tests pass 0 to make every string collide, and verification split them. */
    static DuplicateStrings of(ObjectGraph graph, int top, long heapBytes, long hashMask) {
        if (top < 0) {
            throw new IllegalArgumentException("top must not be negative: " + top);
        }
        ClassTable classes = graph.classes();
        Layout[] layouts = new Layout[classes.size()];
        boolean any = false;
        for (int c : classes.byName("java.lang.String")) {
            layouts[c] = Layout.of(graph, c);
            any |= layouts[c] != null;
        }
        if (!any) {
            return new DuplicateStrings(List.of(), 0, 0, 0, 0, heapBytes);
        }
        int n = graph.objectCount();
        int candidates = 0;
        for (int obj = 0; obj < n; obj++) {
            if (layouts[graph.classOf(obj)] != null) {
                candidates++;
            }
        }
        // one long per string: 33 bits of its content hash above its 31-bit index, so one sort brings equal hashes together
        long[] keys = new long[candidates];
        int k = 0;
        // every string is hashed in address order, through windows: none of the pages read stays resident
        Cursor hasher = new Cursor(graph, layouts, true);
        for (int obj = 0; obj < n; obj++) {
            if (layouts[graph.classOf(obj)] != null && hasher.read(obj)) {
                keys[k++] = (hasher.hash() & hashMask & HASH_MASK) << INDEX_BITS | obj;
            }
        }
        // a radix sort: under C1 a quicksort of a million strings' keys took a fifth of this analysis
        LongArrays.radixSort(keys, 0, k);
        int[] run = splitByContent(graph, layouts, keys, k);

        IntArrayList groupStart = new IntArrayList();
        IntArrayList groupSize = new IntArrayList();
        IntArrayList groupArrays = new IntArrayList();
        LongArrayList groupWasted = new LongArrayList();
        long duplicates = 0;
        long wasted = 0;
        int[] arrays = new int[16];
        for (int i = 0; i < k; ) {
            long hash = keys[i] >>> INDEX_BITS;
            int j = i + 1;
            while (j < k && keys[j] >>> INDEX_BITS == hash) {
                j++;
            }
            // [i, j) share a hash, and its runs of equal content are contiguous
            for (int s = i; j - s >= 2; ) {
                int e = s + 1;
                while (e < j && run[e] == run[s]) {
                    e++;
                }
                int count = e - s;
                if (count >= 2) {
                    if (arrays.length < count) {
                        arrays = new int[Math.max(count, 2 * arrays.length)];
                    }
                    long stringBytes = 0;
                    long largestString = 0;
                    for (int m = s; m < e; m++) {
                        int str = index(keys[m]);
                        arrays[m - s] = layouts[graph.classOf(str)].value().target(str);
                        long size = graph.shallowSize(str);
                        stringBytes += size;
                        largestString = Math.max(largestString, size);
                    }
                    Arrays.sort(arrays, 0, count);
                    int distinct = 0;
                    long arrayBytes = 0;
                    long largestArray = 0;
                    for (int m = 0; m < count; m++) {
                        if (m == 0 || arrays[m] != arrays[m - 1]) {
                            distinct++;
                            long size = graph.shallowSize(arrays[m]);
                            arrayBytes += size;
                            largestArray = Math.max(largestArray, size);
                        }
                    }
                    long w = stringBytes - largestString + arrayBytes - largestArray;
                    groupStart.add(s);
                    groupSize.add(count);
                    groupArrays.add(distinct);
                    groupWasted.add(w);
                    duplicates += count;
                    wasted += w;
                }
                s = e;
            }
            i = j;
        }
        int groupCount = groupStart.size();
        int[] groupEnd = new int[groupCount];
        for (int g = 0; g < groupCount; g++) {
            groupEnd[g] = groupStart.getInt(g) + groupSize.getInt(g);
        }
        int[] order = new int[groupCount];
        for (int g = 0; g < groupCount; g++) {
            order[g] = g;
        }
        IntArrays.quickSort(order, (a, b) -> {
            int c = Long.compare(groupWasted.getLong(b), groupWasted.getLong(a));
            if (c != 0) {
                return c;
            }
            c = Integer.compare(groupEnd[b] - groupStart.getInt(b), groupEnd[a] - groupStart.getInt(a));
            return c != 0 ? c : Integer.compare(index(keys[groupStart.getInt(a)]), index(keys[groupStart.getInt(b)]));
        });
        int shown = Math.min(top, groupCount);
        List<List<Holder>> holders = holders(graph, keys, order, shown, groupStart, groupEnd);
        List<Group> out = new ArrayList<>(shown);
        Cursor rep = new Cursor(graph, layouts, false); // a read through the mapping per value listed
        for (int r = 0; r < shown; r++) {
            int g = order[r];
            int example = index(keys[groupStart.getInt(g)]);
            rep.read(example);
            out.add(new Group(rep.preview(), rep.chars(), groupEnd[g] - groupStart.getInt(g), groupArrays.getInt(g),
                    groupWasted.getLong(g), graph.id(example), holders.get(r)));
        }
        return new DuplicateStrings(out, groupCount, duplicates, k, wasted, heapBytes);
    }

    /** Bytes of representatives' contents kept on the heap; beyond it, representatives are compared where they lie in the dump. */
    private static final int ARENA_LIMIT = 256 << 20;

    /**
     * Splits every hash group of two strings or more into runs of equal content, verified byte for byte
     * in one walk of those strings in address order, through windows, so the verification reads the
     * dump in file order and leaves none of its pages resident: the first string of each content in a
     * group is copied to an arena on the heap (up to {@value #ARENA_LIMIT} bytes, then compared in the
     * dump itself) and every later one compared with the copies. Reorders each group so that its runs
     * are contiguous, in the order of their first strings, each run's strings in index order. Returns,
     * for each position of {@code keys}, its run's number within its group.
     */
    private static int[] splitByContent(ObjectGraph graph, Layout[] layouts, long[] keys, int k) {
        int[] run = new int[k];
        int groups = 0;
        int members = 0;
        for (int i = 0; i < k; ) {
            int j = groupEnd(keys, i, k);
            if (j - i >= 2) {
                for (int p = i; p < j; p++) {
                    run[p] = groups; // the group's number, until the walk puts the run's there
                }
                groups++;
                members += j - i;
            }
            i = j;
        }
        if (groups == 0) {
            return run;
        }
        long[] walk = new long[members]; // index << 32 | position, so that a sort gives address order
        for (int i = 0, w = 0; i < k; ) {
            int j = groupEnd(keys, i, k);
            for (int p = i; j - i >= 2 && p < j; p++) {
                walk[w++] = (long) index(keys[p]) << 32 | p;
            }
            i = j;
        }
        LongArrays.radixSort(walk);
        int[] firstCopy = new int[groups];
        Arrays.fill(firstCopy, -1);
        int[] runs = new int[groups];
        // one entry per copy: where its bytes are (an arena offset, or -1 - its offset in the dump), how many, its coder, its run, the next copy of its group
        LongArrayList copyAt = new LongArrayList();
        LongArrayList copyBytes = new LongArrayList();
        IntArrayList copyCoder = new IntArrayList();
        IntArrayList copyRun = new IntArrayList();
        IntArrayList copyNext = new IntArrayList();
        byte[] arena = new byte[1 << 16];
        int arenaUsed = 0;
        byte[] scratch = new byte[1 << 12];
        Cursor cursor = new Cursor(graph, layouts, true);
        HprofBuffer buf = graph.file().buffer();
        for (long entry : walk) {
            int p = (int) entry;
            int g = run[p];
            if (!cursor.read((int) (entry >>> 32))) {
                run[p] = runs[g]++; // hashed before, so readable: never, but alone if so
                continue;
            }
            int bytes = (int) cursor.bytes;
            if (scratch.length < bytes) {
                scratch = new byte[Math.max(bytes, 2 * scratch.length)];
            }
            cursor.copy(scratch);
            int match = -1;
            int last = -1;
            for (int c = firstCopy[g]; c >= 0 && match < 0; c = copyNext.getInt(c)) {
                last = c;
                if (copyBytes.getLong(c) == bytes && copyCoder.getInt(c) == cursor.coder && equal(scratch, bytes, arena, copyAt.getLong(c), buf)) {
                    match = c;
                }
            }
            if (match >= 0) {
                run[p] = copyRun.getInt(match);
                continue;
            }
            long at;
            if (arenaUsed + (long) bytes <= ARENA_LIMIT) {
                if (arena.length < arenaUsed + bytes) {
                    arena = Arrays.copyOf(arena, (int) Math.min(ARENA_LIMIT, Math.max(arenaUsed + (long) bytes, 2L * arena.length)));
                }
                System.arraycopy(scratch, 0, arena, arenaUsed, bytes);
                at = arenaUsed;
                arenaUsed += bytes;
            } else {
                at = -1 - cursor.pos;
            }
            int c = copyAt.size();
            copyAt.add(at);
            copyBytes.add(bytes);
            copyCoder.add(cursor.coder);
            copyRun.add(runs[g]);
            copyNext.add(-1);
            if (last < 0) {
                firstCopy[g] = c;
            } else {
                copyNext.set(last, c);
            }
            run[p] = runs[g]++;
        }
        // each group's runs contiguous, in the order of their first strings
        long[] sorted = new long[16];
        for (int i = 0; i < k; ) {
            int j = groupEnd(keys, i, k);
            if (j - i >= 2) {
                if (sorted.length < j - i) {
                    sorted = new long[Math.max(j - i, 2 * sorted.length)];
                }
                for (int p = i; p < j; p++) {
                    sorted[p - i] = (long) run[p] << INDEX_BITS | index(keys[p]);
                }
                Arrays.sort(sorted, 0, j - i);
                long hashBits = keys[i] & ~((1L << INDEX_BITS) - 1);
                for (int p = i; p < j; p++) {
                    keys[p] = hashBits | (sorted[p - i] & ((1L << INDEX_BITS) - 1));
                    run[p] = (int) (sorted[p - i] >>> INDEX_BITS);
                }
            }
            i = j;
        }
        return run;
    }

    /** The end of the hash group that starts at {@code i}. */
    private static int groupEnd(long[] keys, int i, int k) {
        long hash = keys[i] >>> INDEX_BITS;
        int j = i + 1;
        while (j < k && keys[j] >>> INDEX_BITS == hash) {
            j++;
        }
        return j;
    }

    /** Whether {@code bytes} of {@code content} equal a copy: in the arena at {@code at}, or in the dump at {@code -1 - at}. */
    private static boolean equal(byte[] content, int bytes, byte[] arena, long at, HprofBuffer buf) {
        if (at >= 0) {
            return Arrays.equals(content, 0, bytes, arena, (int) at, (int) at + bytes);
        }
        long pos = -1 - at;
        for (int b = 0; b < bytes; b++) {
            if (content[b] != buf.i1(pos + b)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The holders of the {@code shown} top groups, in one pass over every reference of the graph:
     * the strings of those groups are marked in a bit set, and only referrers of a marked string have
     * their fields read.
     */
    private static List<List<Holder>> holders(ObjectGraph graph, long[] keys, int[] order, int shown,
                                              IntArrayList groupStart, int[] groupEnd) {
        List<List<Holder>> out = new ArrayList<>();
        if (shown == 0) {
            return out;
        }
        ClassTable classes = graph.classes();
        int n = graph.objectCount();
        long[] marked = new long[(n + 63) >>> 6];
        Int2IntOpenHashMap rankOf = new Int2IntOpenHashMap();
        for (int r = 0; r < shown; r++) {
            int g = order[r];
            for (int m = groupStart.getInt(g); m < groupEnd[g]; m++) {
                int str = index(keys[m]);
                marked[str >>> 6] |= 1L << str;
                rankOf.put(str, r);
            }
        }
        Long2LongOpenHashMap[] counts = new Long2LongOpenHashMap[shown];
        for (int r = 0; r < shown; r++) {
            counts[r] = new Long2LongOpenHashMap();
        }
        FieldSlot[][] referenceFields = new FieldSlot[classes.size()][];
        for (int obj = 0; obj < n; obj++) {
            long start = graph.edgeStart(obj);
            long end = graph.edgeEnd(obj);
            boolean hits = false;
            int c = graph.classOf(obj);
            boolean array = classes.kind(c) == ClassKind.OBJECT_ARRAY;
            for (long e = start; e < end; e++) {
                int t = graph.edgeTarget(e);
                if ((marked[t >>> 6] & (1L << t)) != 0) {
                    if (array) {
                        counts[rankOf.get(t)].addTo(key(ARRAY, c, 0), 1);
                    } else {
                        hits = true;
                        break;
                    }
                }
            }
            if (!hits) {
                continue;
            }
            // the edges say a marked string is referenced; the fields say through which
            if (graph.isClassObject(obj)) {
                int declaring = classes.indexOfId(graph.id(obj));
                List<StaticFieldInfo> statics = classes.staticFields(declaring);
                for (int i = 0; i < statics.size(); i++) {
                    StaticFieldInfo f = statics.get(i);
                    int t = f.type() == BasicType.OBJECT && f.value() != 0 ? graph.indexOf(f.value()) : -1;
                    if (t >= 0 && (marked[t >>> 6] & (1L << t)) != 0) {
                        counts[rankOf.get(t)].addTo(key(STATIC, declaring, i), 1);
                    }
                }
            } else {
                FieldSlot[] fields = referenceFields[c];
                if (fields == null) {
                    fields = FieldSlot.references(graph, c);
                    referenceFields[c] = fields;
                }
                for (int i = 0; i < fields.length; i++) {
                    int t = fields[i].target(obj);
                    if (t >= 0 && (marked[t >>> 6] & (1L << t)) != 0) {
                        counts[rankOf.get(t)].addTo(key(FIELD, c, i), 1);
                    }
                }
            }
        }
        for (int r = 0; r < shown; r++) {
            List<Holder> list = new ArrayList<>();
            counts[r].long2LongEntrySet().fastForEach(e -> {
                long key = e.getLongKey();
                int kind = (int) (key >>> 62);
                int c = (int) ((key >>> 24) & 0x7FFF_FFFFL);
                int ordinal = (int) (key & 0xFF_FFFF);
                String name = classes.name(c);
                String label = switch (kind) {
                    case FIELD -> name + "." + FieldSlot.references(graph, c)[ordinal].name();
                    case ARRAY -> name + "[]";
                    default -> "static " + name + "." + classes.staticFields(c).get(ordinal).name();
                };
                list.add(new Holder(label, name, e.getLongValue()));
            });
            list.sort(Comparator.comparingLong(Holder::references).reversed().thenComparing(Holder::label));
            out.add(list.subList(0, Math.min(HOLDERS_PER_GROUP, list.size())));
        }
        return out;
    }

    private static final int FIELD = 0;
    private static final int ARRAY = 1;
    private static final int STATIC = 2;

    /** A holder as one long: its kind, the class, and the field's ordinal among the class's reference fields (or statics). */
    private static long key(int kind, int c, int ordinal) {
        return (long) kind << 62 | (long) c << 24 | ordinal;
    }

    private static final int INDEX_BITS = 31;
    private static final long HASH_MASK = (1L << (64 - INDEX_BITS)) - 1;

    private static int index(long key) {
        return (int) (key & ((1L << INDEX_BITS) - 1));
    }

    /** The values that waste most, most wasted bytes first (at most the {@code top} asked for). */
    public List<Group> groups() {
        return groups;
    }

    /** Number of distinct values held by two strings or more. */
    public long values() {
        return values;
    }

    /** Number of strings whose value another string also has. */
    public long duplicates() {
        return duplicates;
    }

    /** Number of strings read (every {@code java.lang.String} with a readable value). */
    public long strings() {
        return strings;
    }

    /** Bytes interning every duplicated value would save, over all values (not only the listed ones). */
    public long wastedBytes() {
        return wastedBytes;
    }

    /** Shallow bytes of the whole heap, for percentages. */
    public long heapBytes() {
        return heapBytes;
    }

    /**
     * One line: {@code Duplicate strings: 12,000 strings in 30 values waste 1,258,291 bytes (1.2 MB, 4.0% of
     * the heap); the most: "Berlin" ×9,000 (216,000 bytes), held by com.acme.Customer.city ×9,000}.
     */
    public String summary() {
        if (values == 0) {
            return "Duplicate strings: none among " + TextTable.number(strings) + " strings";
        }
        StringBuilder b = new StringBuilder("Duplicate strings: ").append(TextTable.number(duplicates)).append(" strings in ")
                .append(TextTable.number(values)).append(values == 1 ? " value" : " values").append(" waste ")
                .append(Waste.share(wastedBytes, heapBytes));
        if (!groups.isEmpty()) {
            Group g = groups.get(0);
            b.append("; the most: \"").append(g.preview()).append("\" ×").append(TextTable.number(g.count()))
                    .append(" (").append(TextTable.bytes(g.wastedBytes())).append(" bytes)");
            if (!g.holders().isEmpty()) {
                Holder h = g.holders().get(0);
                b.append(", held by ").append(h.label()).append(" ×").append(TextTable.number(h.references()));
            }
        }
        return b.toString();
    }

    /** The summary, then a table of the listed values with their holders. */
    @Override
    public String toString() {
        if (groups.isEmpty()) {
            return summary() + "\n";
        }
        TextTable t = new TextTable("#", "wasted bytes", "strings", "arrays", "chars", "value", "held by")
                .alignRight(0, 1, 2, 3, 4);
        int i = 1;
        for (Group g : groups) {
            String first = g.holders().isEmpty() ? "" : holderCell(g.holders().get(0));
            t.row(i++, TextTable.bytes(g.wastedBytes()), TextTable.number(g.count()), TextTable.number(g.distinctArrays()),
                    TextTable.number(g.length()), '"' + g.preview() + '"', first);
            for (int h = 1; h < g.holders().size(); h++) {
                t.row("", "", "", "", "", "", holderCell(g.holders().get(h)));
            }
        }
        String more = values > groups.size() ? "… " + TextTable.number(values - groups.size()) + " more values; " : "";
        t.footer(more + "total: " + TextTable.number(duplicates) + " duplicate strings in " + TextTable.number(values)
                + " values waste " + TextTable.bytes(wastedBytes) + " bytes (" + TextTable.humanBytes(wastedBytes) + ")");
        return summary() + "\n" + t;
    }

    private static String holderCell(Holder h) {
        return h.label() + " ×" + TextTable.number(h.references());
    }

    /** How strings of one class are laid out: which fields hold the value, and where present its coder, offset and count. */
    private record Layout(FieldSlot value, FieldSlot coder, FieldSlot offset, FieldSlot count) {
        static Layout of(ObjectGraph graph, int c) {
            FieldSlot value = FieldSlot.find(graph, c, "value");
            if (value == null || value.type() != BasicType.OBJECT) {
                return null;
            }
            return new Layout(value, typed(FieldSlot.find(graph, c, "coder"), BasicType.BYTE),
                    typed(FieldSlot.find(graph, c, "offset"), BasicType.INT), typed(FieldSlot.find(graph, c, "count"), BasicType.INT));
        }

        private static FieldSlot typed(FieldSlot slot, BasicType type) {
            return slot != null && slot.type() == type ? slot : null;
        }
    }

    /** The content of one string at a time: its backing array and the byte range of its chars in the dump. */
    private static final class Cursor {
        private static final int LATIN1 = 0;
        private static final int UTF16 = 1;
        private static final int CHARS = 2;

        private final ObjectGraph graph;
        private final HprofBuffer buf;
        private final Layout[] layouts;
        /** For a walk in address order: the strings' records and their arrays' bytes read through windows, else null. */
        private final HprofWindow strings;
        private final HprofWindow elements;
        int array;
        long pos;
        long bytes;
        int coder;

        Cursor(ObjectGraph graph, Layout[] layouts, boolean windowed) {
            this.graph = graph;
            this.buf = graph.file().buffer();
            this.layouts = layouts;
            this.strings = windowed ? graph.file().window(HprofWindow.DEFAULT_CAPACITY) : null;
            this.elements = windowed ? graph.file().window(HprofWindow.DEFAULT_CAPACITY) : null;
        }

        private long field(FieldSlot slot, int s) {
            return strings == null ? slot.raw(s) : slot.raw(s, strings);
        }

        /** Reads string {@code s}; false if its value is missing, not a primitive array, or out of range. */
        boolean read(int s) {
            Layout l = layouts[graph.classOf(s)];
            int a = l.value().target(s);
            if (a < 0) {
                return false;
            }
            ClassTable classes = graph.classes();
            int ac = graph.classOf(a);
            if (classes.kind(ac) != ClassKind.PRIMITIVE_ARRAY) {
                return false;
            }
            int length = elements == null ? ArrayRecord.length(graph, a) : ArrayRecord.length(graph, a, elements);
            long elements = ArrayRecord.primitiveElements(graph, a);
            BasicType type = classes.elementType(ac);
            if (type == BasicType.BYTE) {
                int c = l.coder() == null ? LATIN1 : (int) field(l.coder(), s);
                if (c != LATIN1 && c != UTF16 || length < 0) {
                    return false;
                }
                coder = c;
                pos = elements;
                bytes = c == UTF16 ? length & ~1 : length;
            } else if (type == BasicType.CHAR) {
                int offset = l.offset() == null ? 0 : (int) field(l.offset(), s);
                int count = l.count() == null ? length : (int) field(l.count(), s);
                if (offset < 0 || count < 0 || offset > length || count > length - offset) {
                    return false;
                }
                coder = CHARS;
                pos = elements + 2L * offset;
                bytes = 2L * count;
            } else {
                return false;
            }
            if (pos + bytes > buf.size()) {
                return false;
            }
            array = a;
            return true;
        }

        /** A 64-bit hash of the content (its bytes, length and coder), read eight bytes at a time. */
        long hash() {
            long h = (bytes * 0x9E37_79B9_7F4A_7C15L) ^ coder;
            long p = pos;
            long end = pos + bytes;
            for (; p + 8 <= end; p += 8) {
                h = (h ^ word(p)) * 0xC2B2_AE3D_27D4_EB4FL;
                h ^= h >>> 31;
            }
            for (; p < end; p++) {
                h = (h ^ octet(p)) * 0xC2B2_AE3D_27D4_EB4FL;
                h ^= h >>> 31;
            }
            h ^= h >>> 33;
            h *= 0xFF51_AFD7_ED55_8CCDL;
            h ^= h >>> 33;
            h *= 0xC4CE_B9FE_1A85_EC53L;
            return h ^ (h >>> 33);
        }

        /** Eight bytes of the content, through the window when there is one. */
        private long word(long p) {
            return elements == null ? buf.i8(p) : elements.i8(p);
        }

        /** One byte of the content, through the window when there is one. */
        private int octet(long p) {
            return elements == null ? buf.u1(p) : elements.u1(p);
        }

        /** Copies the content's bytes into {@code dst}, through the window when there is one. */
        void copy(byte[] dst) {
            if (elements == null) {
                buf.get(pos, dst, 0, (int) bytes);
            } else {
                elements.get(pos, dst, 0, (int) bytes);
            }
        }

        /** Length in chars. */
        int chars() {
            return (int) (coder == LATIN1 ? bytes : bytes / 2);
        }

        /** The value escaped, cut to {@value #PREVIEW_CHARS} characters of output with {@code …} if there is more. */
        String preview() {
            // one char more than could be shown: it makes the escaped form overflow, so the cut is marked
            int take = Math.min(chars(), PREVIEW_CHARS + 1);
            StringBuilder raw = new StringBuilder(take);
            for (int i = 0; i < take; i++) {
                raw.append(charAt(i));
            }
            return escape(raw, PREVIEW_CHARS);
        }

        private char charAt(int i) {
            return switch (coder) {
                case LATIN1 -> (char) buf.u1(pos + i);
                // UTF-16 byte[] strings hold chars in the VM's native order: little-endian on x86-64 and aarch64
                case UTF16 -> (char) (buf.u1(pos + 2L * i) | buf.u1(pos + 2L * i + 1) << 8);
                default -> (char) buf.u2(pos + 2L * i);
            };
        }
    }

    /**
     * {@code a"b<newline>} as {@code a\"b\n}: quotes, backslashes and control characters escaped as in Java
     * source, unpaired surrogates as Java's four-digit escapes; at most {@code limit} characters, and if that cuts
     * the text (never inside an escape or a surrogate pair), a {@code …} after them.
     */
    static String escape(CharSequence s, int limit) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), limit) + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String piece = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        yield s.subSequence(i, i + 2).toString();
                    }
                    yield c < 0x20 || (c >= 0x7F && c < 0xA0) || Character.isSurrogate(c)
                            ? String.format("\\u%04x", (int) c) : String.valueOf(c);
                }
            };
            if (b.length() + piece.length() > limit) {
                return b.append('…').toString();
            }
            b.append(piece);
            i += piece.length() == 2 && Character.isHighSurrogate(c) ? 1 : 0;
        }
        return b.toString();
    }
}

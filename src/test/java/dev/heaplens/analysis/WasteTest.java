package dev.heaplens.analysis;

import dev.heaplens.Heap;
import dev.heaplens.fixtures.WasteWorkload;
import dev.heaplens.HeapOptions;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.graph.VmLayout;
import dev.heaplens.hprof.BasicType;
import dev.heaplens.hprof.HprofWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.heaplens.hprof.BasicType.BOOLEAN;
import static dev.heaplens.hprof.BasicType.BYTE;
import static dev.heaplens.hprof.BasicType.CHAR;
import static dev.heaplens.hprof.BasicType.DOUBLE;
import static dev.heaplens.hprof.BasicType.INT;
import static dev.heaplens.hprof.BasicType.LONG;
import static dev.heaplens.hprof.BasicType.OBJECT;
import static dev.heaplens.hprof.BasicType.SHORT;
import static dev.heaplens.hprof.HprofWriter.fields;
import static dev.heaplens.hprof.HprofWriter.ref;
import static dev.heaplens.hprof.HprofWriter.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The waste analyses on hand-built dumps whose answers follow from the shallow size model
 * (compressed oops and class pointers: 12-byte headers, 4-byte references, 16-byte array headers,
 * 8-byte alignment), each expected figure worked out here from those rules.
 */
class WasteTest {
    @TempDir
    Path temp;

    /** align8(bytes). */
    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /** JDK 9+ String: header 12 + value 4 + coder 1 + hash 4 + hashIsZero 1 = 22, aligned. */
    private static final long STRING = align(12 + 4 + 1 + 4 + 1);

    private static long byteArray(int n) {
        return align(16 + n);
    }

    private static long refArray(int n) {
        return align(16 + 4L * n);
    }

    private Heap open(HprofWriter w) throws IOException {
        return Heap.open(w.write(temp), HeapOptions.defaults().layout(VmLayout.compressed()));
    }

    /** "Berlin" ×4 (s3, s4 share one array), "東京" ×3 (UTF-16), "Paris" ×2, "unique" ×1; customers, an array and a static hold them. */
    private HprofWriter strings() {
        HprofWriter w = HprofWriter.create(8)
                .classDump("com.acme.Customer", fields("city", OBJECT, "name", OBJECT))
                .classDump("com.acme.Config");
        w.string(1, "Berlin").string(2, "Berlin");
        long shared = w.nextObjectId();
        w.primitiveArray(shared, BYTE, "Berlin".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
                .instance(3, "java.lang.String", Map.of("value", ref(shared), "coder", value((byte) 0)))
                .instance(4, "java.lang.String", Map.of("value", ref(shared), "coder", value((byte) 0)));
        w.string(5, "Paris").string(6, "Paris").string(7, "unique");
        w.string(8, "東京").string(9, "東京").string(10, "東京");
        w.instance(11, "com.acme.Customer", ref(1), ref(7))
                .instance(12, "com.acme.Customer", ref(2), ref(0))
                .instance(13, "com.acme.Customer", ref(3), ref(0))
                .instance(14, "com.acme.Customer", ref(0), ref(4))
                .objectArray(15, "java.lang.Object[]", ref(1), ref(5), ref(0))
                .staticField("com.acme.Config", "DEFAULT_CITY", ref(6))
                .stickyClassRoot("com.acme.Config");
        for (long id = 11; id <= 15; id++) {
            w.unknownRoot(id);
        }
        return w;
    }

    @Test
    void duplicateStringsAreGroupedByValueWithWhatInterningWouldSave() throws IOException {
        try (Heap heap = open(strings())) {
            ObjectGraph g = heap.graph();
            DuplicateStrings dups = DuplicateStrings.of(g, 10);
            // Berlin: 3 of 4 strings and 2 of 3 distinct byte[6]; 東京: 2 strings and 2 byte[4] (UTF-16); Paris: 1 and 1 byte[5]
            long berlin = 3 * STRING + 2 * byteArray(6);
            long tokyo = 2 * STRING + 2 * byteArray(4);
            long paris = STRING + byteArray(5);
            assertEquals(List.of("Berlin", "東京", "Paris"), dups.groups().stream().map(DuplicateStrings.Group::preview).toList());
            DuplicateStrings.Group b = dups.groups().get(0);
            assertEquals(4, b.count());
            assertEquals(3, b.distinctArrays());
            assertEquals(6, b.length());
            assertEquals(berlin, b.wastedBytes());
            assertEquals(tokyo, dups.groups().get(1).wastedBytes());
            assertEquals(2, dups.groups().get(1).length());
            assertEquals(paris, dups.groups().get(2).wastedBytes());
            assertEquals(3, dups.values());
            assertEquals(9, dups.duplicates());
            assertEquals(10, dups.strings());
            assertEquals(berlin + tokyo + paris, dups.wastedBytes());
            assertEquals(STRING, g.shallowSize(g.indexOf(1)), "the model's String");

            assertEquals(List.of(new DuplicateStrings.Holder("com.acme.Customer.city", "com.acme.Customer", 3),
                            new DuplicateStrings.Holder("com.acme.Customer.name", "com.acme.Customer", 1),
                            new DuplicateStrings.Holder("java.lang.Object[][]", "java.lang.Object[]", 1)),
                    b.holders());
            assertEquals(List.of(new DuplicateStrings.Holder("java.lang.Object[][]", "java.lang.Object[]", 1),
                            new DuplicateStrings.Holder("static com.acme.Config.DEFAULT_CITY", "com.acme.Config", 1)),
                    dups.groups().get(2).holders());

            String text = dups.toString();
            String summary = text.lines().findFirst().orElseThrow();
            assertTrue(summary.startsWith("Duplicate strings: 9 strings in 3 values waste " + (berlin + tokyo + paris) + " bytes ("), summary);
            assertTrue(summary.contains("\"Berlin\" ×4 (" + berlin + " bytes), held by com.acme.Customer.city ×3"), summary);
            assertTrue(text.contains("java.lang.Object[][] ×1"), text);
        }
    }

    @Test
    void topLimitsTheListButNotTheTotals() throws IOException {
        try (Heap heap = open(strings())) {
            DuplicateStrings all = DuplicateStrings.of(heap.graph(), 10);
            DuplicateStrings one = DuplicateStrings.of(heap.graph(), 1);
            assertEquals(1, one.groups().size());
            assertEquals(all.wastedBytes(), one.wastedBytes());
            assertEquals(all.groups().get(0), one.groups().get(0));
            assertTrue(one.toString().contains("… 2 more values"), one.toString());
            assertEquals(0, DuplicateStrings.of(heap.graph(), 0).groups().size());
        }
    }

    /**
     * The duplicate strings of real dumps against a naive oracle: every {@code String}'s coder and
     * bytes read through the object API into a hash map, then the values held twice or more counted
     * with their distinct arrays; and the same again with every hash colliding, where only the
     * byte-for-byte verification tells the values apart.
     */
    @Test
    void duplicateStringsOfRealDumpsMatchANaiveMapOfEveryValue() {
        for (Path dump : List.of(WasteWorkload.dump(), dev.heaplens.testing.RealDumps.workload())) {
            try (Heap heap = Heap.open(dump)) {
                ObjectGraph g = heap.graph();
                Map<String, List<Integer>> byValue = new java.util.HashMap<>();
                for (int c : g.classes().byName("java.lang.String")) {
                    for (int obj = 0; obj < g.objectCount(); obj++) {
                        if (g.classOf(obj) != c || g.isClassObject(obj)) {
                            continue;
                        }
                        dev.heaplens.graph.HeapInstance s = (dev.heaplens.graph.HeapInstance) heap.objectAt(obj);
                        if (!(s.get("value") instanceof dev.heaplens.graph.HeapPrimitiveArray array)) {
                            continue;
                        }
                        String key = s.get("coder") + ":" + java.util.HexFormat.of().formatHex((byte[]) array.toArray());
                        byValue.computeIfAbsent(key, x -> new java.util.ArrayList<>()).add(obj);
                    }
                }
                long values = 0;
                long duplicates = 0;
                long wasted = 0;
                for (List<Integer> strings : byValue.values()) {
                    if (strings.size() < 2) {
                        continue;
                    }
                    values++;
                    duplicates += strings.size();
                    long stringBytes = 0;
                    long largestString = 0;
                    java.util.Set<Integer> arrays = new java.util.TreeSet<>();
                    for (int str : strings) {
                        stringBytes += g.shallowSize(str);
                        largestString = Math.max(largestString, g.shallowSize(str));
                        arrays.add(((dev.heaplens.graph.HeapInstance) heap.objectAt(str)).get("value") instanceof dev.heaplens.graph.HeapObject a
                                ? a.index() : -1);
                    }
                    long arrayBytes = 0;
                    long largestArray = 0;
                    for (int a : arrays) {
                        arrayBytes += g.shallowSize(a);
                        largestArray = Math.max(largestArray, g.shallowSize(a));
                    }
                    wasted += stringBytes - largestString + arrayBytes - largestArray;
                }
                DuplicateStrings hashed = DuplicateStrings.of(g, 10);
                assertTrue(values > 50, values + " duplicated values in " + dump);
                assertEquals(values, hashed.values(), dump.toString());
                assertEquals(duplicates, hashed.duplicates(), dump.toString());
                assertEquals(wasted, hashed.wastedBytes(), dump.toString());
                DuplicateStrings colliding = DuplicateStrings.of(g, 10, hashed.heapBytes(), 0);
                assertEquals(values, colliding.values(), "every hash equal: " + dump);
                assertEquals(duplicates, colliding.duplicates(), "every hash equal: " + dump);
                assertEquals(wasted, colliding.wastedBytes(), "every hash equal: " + dump);
                assertEquals(hashed.groups(), colliding.groups(), "every hash equal: " + dump);
            }
        }
    }

    @Test
    void equalHashesAreSplitByContent() throws IOException {
        try (Heap heap = open(strings())) {
            DuplicateStrings hashed = DuplicateStrings.of(heap.graph(), 10);
            // every string with the same (zero) hash: only the byte-for-byte check tells values apart
            DuplicateStrings colliding = DuplicateStrings.of(heap.graph(), 10, hashed.heapBytes(), 0);
            assertEquals(hashed.groups(), colliding.groups());
            assertEquals(hashed.values(), colliding.values());
            assertEquals(hashed.wastedBytes(), colliding.wastedBytes());
        }
    }

    @Test
    void olderStringsWithOffsetAndCountShareOneCharArray() throws IOException {
        // JDK 6: substring() shares the parent's char[]; "bc" three times, two of them inside "abcd"
        HprofWriter w = HprofWriter.create(8)
                .classDump("java.lang.String", fields("value", OBJECT, "offset", INT, "count", INT, "hash", INT))
                .primitiveArray(100, CHAR, "abcd".toCharArray())
                .primitiveArray(101, CHAR, "bc".toCharArray())
                .instance(1, "java.lang.String", ref(100), value(0), value(4), value(0))
                .instance(2, "java.lang.String", ref(100), value(1), value(2), value(0))
                .instance(3, "java.lang.String", ref(100), value(1), value(2), value(0))
                .instance(4, "java.lang.String", ref(101), value(0), value(2), value(0))
                .instance(5, "java.lang.String", ref(100), value(2), value(9), value(0));
        try (Heap heap = open(w)) {
            DuplicateStrings dups = DuplicateStrings.of(heap.graph());
            assertEquals(4, dups.strings(), "the count running past the array is not read");
            assertEquals(1, dups.values());
            DuplicateStrings.Group bc = dups.groups().get(0);
            assertEquals("bc", bc.preview());
            assertEquals(3, bc.count());
            assertEquals(2, bc.distinctArrays());
            // header 12 + three ints and a reference = 28 → 32; keep the largest array, char[4] (24), drop char[2] (24)
            long string = align(12 + 4 + 4 + 4 + 4);
            assertEquals(2 * string + align(16 + 4), bc.wastedBytes());
        }
    }

    @Test
    void previewsAreCutWhole() {
        assertEquals("a\\u0000b\\\\", DuplicateStrings.escape("a\u0000b\\", 60));
        assertEquals("\\u0001".repeat(10) + "…", DuplicateStrings.escape("\u0001".repeat(11), 60));
        assertEquals("\\u0001".repeat(9) + "…", DuplicateStrings.escape("\u0001".repeat(10), 58), "never half an escape");
        assertEquals("x".repeat(59) + "…", DuplicateStrings.escape("x".repeat(59) + "\uD83D\uDE00", 60), "no half of a surrogate pair");
        assertEquals("x".repeat(58) + "\uD83D\uDE00", DuplicateStrings.escape("x".repeat(58) + "\uD83D\uDE00", 60));
        assertEquals("\\uda00", DuplicateStrings.escape("\uDA00", 60), "a lone surrogate is escaped");
    }

    @Test
    void jdk8StringsWithCharArraysAndEscapedPreviews() throws IOException {
        String longValue = "line one\nline \"two\"\t" + "x".repeat(100);
        HprofWriter w = HprofWriter.create(8).jdk8Strings()
                .string(1, "abc").string(2, "abc").string(3, "abc").string(4, "abd")
                .string(5, longValue).string(6, longValue);
        try (Heap heap = open(w)) {
            DuplicateStrings dups = DuplicateStrings.of(heap.graph());
            // JDK 8 String: header 12 + value 4 + hash 4 = 20 → 24; char[3]: 16 + 6 → 24
            long jdk8String = align(12 + 4 + 4);
            assertEquals(2, dups.values());
            DuplicateStrings.Group longGroup = dups.groups().get(0);
            assertEquals(jdk8String + align(16 + 2L * longValue.length()), longGroup.wastedBytes());
            assertEquals(longValue.length(), longGroup.length());
            String escaped = "line one\\nline \\\"two\\\"\\t";
            String expected = escaped + "x".repeat(60 - escaped.length()) + "…";
            assertEquals(expected, longGroup.preview());
            DuplicateStrings.Group abc = dups.groups().get(1);
            assertEquals("abc", abc.preview());
            assertEquals(3, abc.count());
            assertEquals(2 * jdk8String + 2 * align(16 + 6), abc.wastedBytes());
            assertTrue(abc.holders().isEmpty());
        }
    }

    @Test
    void collectionsEmptySparseAndRightSized() throws IOException {
        HprofWriter w = HprofWriter.create(8)
                .classDump("java.util.HashMap", fields("table", OBJECT, "size", INT))
                .classDump("java.util.HashSet", fields("map", OBJECT))
                .classDump("java.util.ArrayList", fields("elementData", OBJECT, "size", INT))
                .classDump("java.util.concurrent.ConcurrentHashMap", fields("table", OBJECT, "baseCount", LONG, "counterCells", OBJECT))
                .classDump("java.util.concurrent.ConcurrentHashMap$CounterCell", fields("value", LONG))
                .classDump("java.util.IdentityHashMap", fields("table", OBJECT, "size", INT))
                .classDump("java.util.ArrayDeque", fields("elements", OBJECT, "head", INT, "tail", INT))
                .classDump("com.acme.Item");
        // HashMaps: no table and empty; table 16 and empty; 1 entry in 64 (sparse); 12 in 16 (full enough)
        w.instance(1, "java.util.HashMap", ref(0), value(0))
                .instance(2, "java.util.HashMap", ref(102), value(0)).objectArray(102, "java.util.HashMap$Node[]", nulls(16))
                .instance(3, "java.util.HashMap", ref(103), value(1)).objectArray(103, "java.util.HashMap$Node[]", nulls(64))
                .instance(4, "java.util.HashMap", ref(104), value(12)).objectArray(104, "java.util.HashMap$Node[]", nulls(16));
        // a HashSet's map counts in the set's row only
        w.instance(5, "java.util.HashSet", ref(6))
                .instance(6, "java.util.HashMap", ref(106), value(0)).objectArray(106, "java.util.HashMap$Node[]", nulls(16));
        // ArrayLists: the shared empty array; 10 slots and empty; 3 in 100 (sparse); 10 in 10
        w.objectArray(200, "java.lang.Object[]")
                .instance(11, "java.util.ArrayList", ref(200), value(0))
                .instance(12, "java.util.ArrayList", ref(112), value(0)).objectArray(112, "java.lang.Object[]", nulls(10))
                .instance(13, "java.util.ArrayList", ref(113), value(3)).objectArray(113, "java.lang.Object[]", nulls(100))
                .instance(14, "java.util.ArrayList", ref(114), value(10)).objectArray(114, "java.lang.Object[]", nulls(10));
        // ConcurrentHashMaps: no table; 2 in the base count + 1 in a counter cell, table 64
        w.instance(21, "java.util.concurrent.ConcurrentHashMap", ref(0), value(0L), ref(0))
                .instance(22, "java.util.concurrent.ConcurrentHashMap", ref(122), value(2L), ref(222))
                .objectArray(122, "java.util.concurrent.ConcurrentHashMap$Node[]", nulls(64))
                .objectArray(222, "java.util.concurrent.ConcurrentHashMap$CounterCell[]", ref(223))
                .instance(223, "java.util.concurrent.ConcurrentHashMap$CounterCell", value(1L));
        // IdentityHashMap: 1 entry in a table of 64 slots (capacity 32); ArrayDeque: 2 elements in 16
        w.instance(31, "java.util.IdentityHashMap", ref(131), value(1)).objectArray(131, "java.lang.Object[]", nulls(64))
                .instance(41, "java.util.ArrayDeque", ref(141), value(0), value(2))
                .instance(300, "com.acme.Item").instance(301, "com.acme.Item");
        HprofWriter.Value[] deque = nulls(16);
        deque[0] = ref(300);
        deque[1] = ref(301);
        w.objectArray(141, "java.lang.Object[]", deque);
        try (Heap heap = open(w)) {
            CollectionFill fill = CollectionFill.of(heap.graph());
            // HashMap: the empty table of 16 whole, and 64 slots less the 2 one entry needs (power of two ≥ 1/0.75)
            CollectionFill.Row maps = fill.row("java.util.HashMap");
            assertEquals(4, maps.instances());
            assertEquals(2, maps.empty());
            assertEquals(1, maps.sparse());
            assertEquals(refArray(16) + refArray(64) - refArray(2), maps.wastedBytes());
            assertEquals(2 * refArray(16) + refArray(64), maps.arrayBytes());
            assertEquals((0 + 1 / 64.0 + 12 / 16.0) / 3, maps.averageFill(), 1e-12);
            CollectionFill.Row sets = fill.row("java.util.HashSet");
            assertEquals(1, sets.instances());
            assertEquals(1, sets.empty());
            assertEquals(refArray(16), sets.wastedBytes());
            // ArrayList: the shared empty array wastes nothing; trimToSize sizes
            CollectionFill.Row lists = fill.row("java.util.ArrayList");
            assertEquals(4, lists.instances());
            assertEquals(2, lists.empty());
            assertEquals(1, lists.sparse());
            assertEquals(refArray(10) + refArray(100) - refArray(3), lists.wastedBytes());
            // ConcurrentHashMap: 3 entries need 4 slots (power of two ≥ 3/0.75)
            CollectionFill.Row chm = fill.row("java.util.concurrent.ConcurrentHashMap");
            assertEquals(2, chm.instances());
            assertEquals(1, chm.empty());
            assertEquals(1, chm.sparse());
            assertEquals(refArray(64) - refArray(4), chm.wastedBytes());
            // IdentityHashMap(1): capacity 4, 8 slots
            CollectionFill.Row identity = fill.row("java.util.IdentityHashMap");
            assertEquals(1, identity.sparse());
            assertEquals(refArray(64) - refArray(8), identity.wastedBytes());
            // ArrayDeque: 2 elements and a free slot; capacity 16 is not above the sparse threshold
            CollectionFill.Row deques = fill.row("java.util.ArrayDeque");
            assertEquals(0, deques.sparse());
            assertEquals(refArray(16) - refArray(3), deques.wastedBytes());
            assertNull(fill.row("java.util.Vector"));

            assertEquals(List.of("java.util.ArrayList", "java.util.HashMap", "java.util.concurrent.ConcurrentHashMap",
                    "java.util.IdentityHashMap", "java.util.HashSet", "java.util.ArrayDeque"),
                    fill.rows().stream().map(CollectionFill.Row::className).toList());
            long total = maps.wastedBytes() + sets.wastedBytes() + lists.wastedBytes() + chm.wastedBytes()
                    + identity.wastedBytes() + deques.wastedBytes();
            assertEquals(total, fill.wastedBytes());
            assertEquals(13, fill.instances());
            assertEquals(6, fill.empty());
            String summary = fill.toString().lines().findFirst().orElseThrow();
            assertTrue(summary.startsWith("Collections: 6 of 13 empty, 4 sparse; their backing arrays waste "
                    + String.format("%,d", total) + " bytes"), summary);
            assertTrue(summary.contains("most in java.util.ArrayList (2 empty, 1 sparse)"), summary);
        }
    }

    private static HprofWriter.Value[] nulls(int n) {
        HprofWriter.Value[] v = new HprofWriter.Value[n];
        java.util.Arrays.fill(v, ref(0));
        return v;
    }

    @Test
    void boxesOfEqualValuesCouldBeShared() throws IOException {
        HprofWriter w = HprofWriter.create(8)
                .classDump("java.lang.Integer", fields("value", INT))
                .classDump("java.lang.Long", fields("value", LONG))
                .classDump("java.lang.Boolean", fields("value", BOOLEAN))
                .classDump("java.lang.Double", fields("value", DOUBLE));
        int[] ints = {1, 1, 1, 2, 500};
        for (int i = 0; i < ints.length; i++) {
            w.instance(1 + i, "java.lang.Integer", value(ints[i]));
        }
        w.instance(11, "java.lang.Long", value(7L)).instance(12, "java.lang.Long", value(7L));
        w.instance(21, "java.lang.Boolean", value(true)).instance(22, "java.lang.Boolean", value(true))
                .instance(23, "java.lang.Boolean", value(true)).instance(24, "java.lang.Boolean", value(false));
        w.instance(31, "java.lang.Double", value(0.0)).instance(32, "java.lang.Double", value(-0.0));
        try (Heap heap = open(w)) {
            BoxedPrimitives boxes = BoxedPrimitives.of(heap.graph());
            long integer = align(12 + 4);
            long longBox = align(12 + 8);
            long bool = align(12 + 1);
            BoxedPrimitives.Row ints5 = boxes.row("java.lang.Integer");
            assertEquals(new BoxedPrimitives.Row("java.lang.Integer", 5, 5 * integer, 3, 2, 2 * integer), ints5);
            assertEquals(new BoxedPrimitives.Row("java.lang.Long", 2, 2 * longBox, 1, 1, longBox), boxes.row("java.lang.Long"));
            assertEquals(new BoxedPrimitives.Row("java.lang.Boolean", 4, 4 * bool, 2, 2, 2 * bool), boxes.row("java.lang.Boolean"));
            assertEquals(0, boxes.row("java.lang.Double").wastedBytes(), "0.0 and -0.0 differ");
            assertEquals(2 * integer + longBox + 2 * bool, boxes.wastedBytes());
            assertEquals(13, boxes.count());
            assertEquals(5, boxes.duplicates());
            assertEquals("java.lang.Integer", boxes.rows().get(0).className());
            assertTrue(boxes.toString().startsWith("Boxed primitives: 13 boxes, 5 of them duplicates of an equal value, waste "
                    + (2 * integer + longBox + 2 * bool) + " bytes"), boxes.toString());
        }
    }

    @Test
    void zeroArraysAllAndMostly() throws IOException {
        int[] oneIn10 = new int[10];
        oneIn10[3] = 7;
        int[] twoIn10 = new int[10];
        twoIn10[0] = 1;
        twoIn10[9] = 1;
        byte[] tailNonZero = new byte[13];
        tailNonZero[12] = 1;
        short[] shortTail = new short[5];
        shortTail[4] = 1;
        double[] negativeZero = new double[20];
        negativeZero[5] = -0.0;
        char[] chars = new char[7];
        chars[6] = 'a';
        HprofWriter w = HprofWriter.create(8)
                .primitiveArray(1, BYTE, new byte[100])
                .primitiveArray(2, INT, oneIn10)
                .primitiveArray(3, INT, twoIn10)
                .primitiveArray(4, LONG, new long[3])
                .primitiveArray(5, CHAR, chars)
                .primitiveArray(6, DOUBLE, negativeZero)
                .primitiveArray(7, BOOLEAN, new boolean[0])
                .primitiveArray(8, BYTE, tailNonZero)
                .primitiveArray(9, SHORT, shortTail);
        try (Heap heap = open(w)) {
            ZeroArrays zeros = ZeroArrays.of(heap.graph());
            // byte[100] all zero: its whole 16 + 100 → 120; byte[13] 12 of 13 zero (92%): 12 bytes
            ZeroArrays.Row bytes = zeros.row("byte[]");
            assertEquals(new ZeroArrays.Row("byte[]", 2, align(116) + align(29), 1, align(116), 1, 12, align(116) + 12), bytes);
            // int[10] with one non-zero: 9 × 4 bytes; with two (80%): nothing
            ZeroArrays.Row ints = zeros.row("int[]");
            assertEquals(0, ints.allZero());
            assertEquals(1, ints.mostlyZero());
            assertEquals(36, ints.savedBytes());
            assertEquals(align(16 + 24), zeros.row("long[]").savedBytes());
            assertEquals(1, zeros.row("long[]").allZero());
            // -0.0 is not zero bits: 19 of 20 zero
            assertEquals(1, zeros.row("double[]").mostlyZero());
            assertEquals(19 * 8, zeros.row("double[]").savedBytes());
            // the non-zero short is in the tail after the last whole word; 6 of 7 chars (86%) is not mostly
            assertEquals(0, zeros.row("short[]").allZero());
            assertEquals(0, zeros.row("short[]").mostlyZero());
            assertEquals(0, zeros.row("char[]").savedBytes());
            assertNull(zeros.row("boolean[]"), "length 0 is not counted");
            assertEquals(2, zeros.allZero());
            assertEquals(3, zeros.mostlyZero());
            long saved = align(116) + 12 + 36 + align(40) + 152;
            assertEquals(saved, zeros.savedBytes());
            assertEquals(List.of("double[]", "byte[]", "long[]", "int[]"), zeros.rows().stream().limit(4).map(ZeroArrays.Row::arrayType).toList());
            assertTrue(zeros.toString().startsWith("Zero arrays: 2 all zero, 3 mostly zero, could save " + saved + " bytes"), zeros.toString());
        }
    }

    @Test
    void nonZeroCountingByWordMatchesElementByElement() {
        java.util.Random random = new java.util.Random(16);
        for (int width : new int[] {1, 2, 4, 8}) {
            for (int round = 0; round < 200; round++) {
                int length = random.nextInt(40);
                byte[] bytes = new byte[length * width + 5];
                long expected = 0;
                for (int i = 0; i < length; i++) {
                    if (random.nextInt(4) == 0) {
                        // one random byte of the element non-zero, high bits included
                        bytes[3 + i * width + random.nextInt(width)] = (byte) (1 + random.nextInt(255));
                        expected++;
                    }
                }
                long counted = ZeroArrays.nonZeroElements(windowOver(bytes), HEADER.length + 3, length, width, length);
                assertEquals(expected, counted, "width " + width + " length " + length);
            }
        }
    }

    /** An HPROF header (1.0.2, 8-byte ids, time 0): {@link #windowOver} puts it before the bytes. */
    private static final byte[] HEADER = java.nio.ByteBuffer.allocate(31).put("JAVA PROFILE 1.0.2\0".getBytes(
            java.nio.charset.StandardCharsets.ISO_8859_1)).putInt(8).putLong(0).array();

    /** A 64-byte window (so most arrays stream through it) over a header and then {@code bytes}. */
    private static dev.heaplens.hprof.HprofWindow windowOver(byte[] bytes) {
        byte[] dump = java.util.Arrays.copyOf(HEADER, HEADER.length + bytes.length);
        System.arraycopy(bytes, 0, dump, HEADER.length, bytes.length);
        return dev.heaplens.hprof.HprofFile.wrap(java.nio.file.Path.of("bytes.hprof"), dump, 12).window(64);
    }

    @Test
    void wasteAddsTheFourAndPrintsASummaryEach() throws IOException {
        try (Heap heap = open(strings())) {
            Waste waste = heap.waste();
            assertEquals(waste, heap.waste(), "computed once");
            assertEquals(waste.duplicateStrings().wastedBytes() + waste.collections().wastedBytes()
                    + waste.boxedPrimitives().wastedBytes() + waste.zeroArrays().savedBytes(), waste.totalSavableBytes());
            assertEquals(heap.histogram().totalBytes(), waste.heapBytes());
            String text = waste.toString();
            for (String line : List.of("Duplicate strings: 9 strings in 3 values", "Collections: ", "Boxed primitives: ", "Zero arrays: ",
                    "In all, fixing these would save ")) {
                assertTrue(text.contains(line), line + " in\n" + text);
            }
            assertEquals(5, waste.summary().lines().count());
        }
    }

    @Test
    void realDumpOfAWorkloadWithKnownWaste() {
        try (Heap heap = Heap.open(WasteWorkload.dump())) {
            ObjectGraph g = heap.graph();
            VmLayout layout = g.layout();
            Waste waste = heap.waste();
            DuplicateStrings.Group city = waste.duplicateStrings().groups().stream()
                    .filter(gr -> gr.preview().equals(WasteWorkload.CITY)).findFirst().orElseThrow(() -> new AssertionError(waste));
            assertTrue(city.count() >= WasteWorkload.ADDRESSES && city.count() <= WasteWorkload.ADDRESSES + 2, city.toString());
            assertTrue(city.distinctArrays() >= WasteWorkload.ADDRESSES, city.toString());
            // every copy is a String of one size over a byte[11] of its own (the literal's, if dumped, one more)
            long string = g.shallowSize(g.indexOf(city.exampleId()));
            long array = layout.arraySize(BasicType.BYTE, WasteWorkload.CITY.length());
            assertEquals((city.count() - 1) * string + (city.distinctArrays() - 1) * array, city.wastedBytes());
            DuplicateStrings.Holder holder = city.holders().get(0);
            assertEquals(WasteWorkload.Address.class.getName() + ".city", holder.label());
            assertEquals(WasteWorkload.ADDRESSES, holder.references());

            CollectionFill.Row maps = waste.collections().row("java.util.HashMap");
            assertTrue(maps.empty() >= WasteWorkload.EMPTY_MAPS, maps.toString());
            assertTrue(maps.wastedBytes() >= WasteWorkload.EMPTY_MAPS * layout.arraySize(BasicType.OBJECT, 16), maps.toString());
            ZeroArrays.Row bytes = waste.zeroArrays().row("byte[]");
            assertTrue(bytes.allZero() >= WasteWorkload.ZERO_BUFFERS, bytes.toString());
            assertTrue(bytes.allZeroBytes() >= WasteWorkload.ZERO_BUFFERS * layout.arraySize(BasicType.BYTE, WasteWorkload.BUFFER_BYTES));

            // the same objects and bytes the histogram counts
            Histogram h = heap.histogram();
            assertEquals(h.row("java.lang.String").count(), waste.duplicateStrings().strings(), "every string read");
            BoxedPrimitives.Row integers = waste.boxedPrimitives().row("java.lang.Integer");
            assertEquals(h.row("java.lang.Integer").count(), integers.count());
            assertEquals(h.row("java.lang.Integer").shallowBytes(), integers.shallowBytes());
            assertEquals(h.row("java.util.HashMap").count(), maps.instances() + waste.collections().row("java.util.HashSet").instances(),
                    "every HashMap counted once: in its own row, or in its HashSet's");
            assertEquals(h.totalBytes(), waste.heapBytes());

            String text = waste.toString();
            String line = text.lines().filter(l -> l.startsWith("Duplicate strings: ")).findFirst().orElseThrow();
            if (waste.duplicateStrings().groups().get(0) == city) {
                assertTrue(line.contains("\"Springfield\" ×" + String.format("%,d", city.count()) + " ("
                        + String.format("%,d", city.wastedBytes()) + " bytes), held by " + holder.label() + " ×10,000"), line);
            }
            assertTrue(text.contains("\"Springfield\""), text);
            assertTrue(text.contains(holder.label() + " ×10,000"), text);
        }
    }
}

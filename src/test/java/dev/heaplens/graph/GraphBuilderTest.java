package dev.heaplens.graph;

import dev.heaplens.Heap;
import dev.heaplens.HeapOptions;
import dev.heaplens.analysis.Histogram;
import dev.heaplens.hprof.BasicType;
import dev.heaplens.hprof.HprofFile;
import dev.heaplens.hprof.HprofFormatException;
import dev.heaplens.hprof.HprofWriter;
import dev.heaplens.hprof.RootKind;
import dev.heaplens.testing.RealDumps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.heaplens.hprof.BasicType.BOOLEAN;
import static dev.heaplens.hprof.BasicType.BYTE;
import static dev.heaplens.hprof.BasicType.CHAR;
import static dev.heaplens.hprof.BasicType.DOUBLE;
import static dev.heaplens.hprof.BasicType.FLOAT;
import static dev.heaplens.hprof.BasicType.INT;
import static dev.heaplens.hprof.BasicType.LONG;
import static dev.heaplens.hprof.BasicType.OBJECT;
import static dev.heaplens.hprof.BasicType.SHORT;
import static dev.heaplens.hprof.HprofWriter.fields;
import static dev.heaplens.hprof.HprofWriter.frame;
import static dev.heaplens.hprof.HprofWriter.ref;
import static dev.heaplens.hprof.HprofWriter.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exact graphs from {@link HprofWriter} fixtures: ids, classes, edges, sizes, roots, values. */
class GraphBuilderTest {
    @TempDir
    Path temp;

    /** Cache(1) → Object[](2) → {int[](3), null}; Cache also → Node(4) → Node(5) → Node(4). */
    private HprofWriter cacheFixture(int idSize) {
        return HprofWriter.create(idSize)
                .classDump("Cache", fields("map", OBJECT, "size", INT, "head", OBJECT))
                .classDump("Node", fields("next", OBJECT))
                .instance(1, "Cache", ref(2), value(7), ref(4))
                .objectArray(2, "java.lang.Object[]", ref(3), ref(0))
                .primitiveArray(3, INT, new int[] {1, 2})
                .instance(4, "Node", ref(5))
                .instance(5, "Node", ref(4))
                .stickyClassRoot("Cache")
                .jniGlobalRoot(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 8})
    void buildsTheExactGraphForBothIdSizes(int idSize) throws IOException {
        Path dump = cacheFixture(idSize).write(temp);
        try (Heap heap = Heap.open(dump, HeapOptions.defaults().layout(VmLayout.compressed()))) {
            ObjectGraph g = heap.graph();
            int cache = g.indexOf(1);
            int array = g.indexOf(2);
            int ints = g.indexOf(3);
            int n4 = g.indexOf(4);
            int n5 = g.indexOf(5);
            assertEquals(List.of(array, n4), refs(g, cache));
            assertEquals(List.of(ints), refs(g, array), "null elements are not edges");
            assertEquals(List.of(), refs(g, ints));
            assertEquals(List.of(n5), refs(g, n4));
            assertEquals(List.of(n4), refs(g, n5));
            assertEquals("Cache", g.classes().name(g.classOf(cache)));
            assertEquals("java.lang.Object[]", g.classes().name(g.classOf(array)));
            assertEquals("int[]", g.classes().name(g.classOf(ints)));
            // 12-byte header + map 4 + size 4 + head 4 = 24; Object[2]: 16 + 2*4 = 24; int[2]: 16 + 8 = 24; Node: 12 + 4 = 16
            assertEquals(24, g.shallowSize(cache));
            assertEquals(24, g.shallowSize(array));
            assertEquals(24, g.shallowSize(ints));
            assertEquals(16, g.shallowSize(n4));
            for (int i = 1; i < g.objectCount(); i++) {
                assertTrue(Long.compareUnsigned(g.id(i - 1), g.id(i)) < 0, "indices follow id order");
            }
            Map<RootKind, Integer> kinds = g.roots().countByKind();
            assertEquals(1, kinds.get(RootKind.STICKY_CLASS));
            assertEquals(1, kinds.get(RootKind.JNI_GLOBAL));
            int cacheClass = g.classes().find("Cache");
            assertEquals(g.classes().classObjectIndex(cacheClass), rootObject(g, RootKind.STICKY_CLASS));
            assertEquals(cache, rootObject(g, RootKind.JNI_GLOBAL));
            assertEquals(0, g.danglingReferences());
            assertTrue(heap.complete());
        }
    }

    @Test
    void uncompressedOopsAndCompactHeadersChangeSizesAsTheVmWould() throws IOException {
        Path dump = cacheFixture(8).write(temp);
        try (Heap heap = Heap.open(dump, HeapOptions.defaults().layout(VmLayout.uncompressedOops()))) {
            ObjectGraph g = heap.graph();
            // header 12, int fills the gap at 12, two 8-byte refs at 16 and 24: 32
            assertEquals(32, g.shallowSize(g.indexOf(1)));
            // Object[2] with 8-byte refs: 16 + 16
            assertEquals(32, g.shallowSize(g.indexOf(2)));
        }
        try (Heap heap = Heap.open(dump, HeapOptions.defaults().layout(VmLayout.compactHeaders()))) {
            ObjectGraph g = heap.graph();
            // header 8, int at 8, refs at 12 and 16: 20, aligned to 24
            assertEquals(24, g.shallowSize(g.indexOf(1)));
            // Node: 8 + 4 = 12, aligned to 16; int[2]: length at 8, elements at 12..20: 24
            assertEquals(16, g.shallowSize(g.indexOf(4)));
            assertEquals(24, g.shallowSize(g.indexOf(3)));
        }
    }

    @Test
    void readsEveryRecordKindAndRootKind() throws IOException {
        Path dump = HprofWriter.create(8)
                .classDump("Holder", fields("o", OBJECT))
                .instance(10, "Holder", ref(11))
                .string(11, "text")
                .unknownRoot(10)
                .jniGlobalRoot(10, 0x77)
                .monitorUsedRoot(11)
                .stickyClassRoot("Holder")
                .thread(100, "worker", frame("Holder", "run", 42).locals(10), frame("java.lang.Thread", "run", 840))
                .jniLocalRoot(11, 100, 0)
                .nativeStackRoot(11, 100)
                .threadBlockRoot(11, 100)
                .records(w -> w.heapSummary(64, 2, 64, 2)
                        .allocSites(0, 0.5f, 1, 1, 1, 1, List.of())
                        .cpuSamples(0, List.of())
                        .controlSettings(0, 4)
                        .unloadClass(999)
                        .endThread(999)
                        .rawRecord(0x42, new byte[] {1, 2, 3}))
                .write(temp);
        try (Heap heap = Heap.open(dump)) {
            ObjectGraph g = heap.graph();
            Map<RootKind, Integer> kinds = g.roots().countByKind();
            for (RootKind k : RootKind.values()) {
                assertTrue(kinds.getOrDefault(k, 0) >= 1, "root kind " + k + " in " + kinds);
            }
            assertTrue(heap.warnings().stream().anyMatch(w -> w.contains("0x42")), heap.warnings().toString());
            assertTrue(heap.warnings().stream().anyMatch(w -> w.contains("HEAP SUMMARY")), heap.warnings().toString());
            int thread = g.stackTraces().threadObject(1);
            assertEquals(g.indexOf(100), thread);
            StackTraces.Frame top = g.stackTraces().frame(1, 0);
            assertEquals("Holder", top.className());
            assertEquals("run", top.method());
            assertEquals(42, top.line());
            HeapInstance holder = (HeapInstance) heap.object(10);
            assertEquals("text", ((HeapInstance) holder.get("o")).asString());
            HeapInstance worker = (HeapInstance) heap.object(100);
            assertEquals("worker", ((HeapInstance) worker.get("name")).asString());
        }
    }

    @Test
    void fieldValuesOfEveryTypeInheritedFieldsAndStatics() throws IOException {
        Path dump = HprofWriter.create(8)
                .classDump("Base", fields("z", BOOLEAN, "b", BYTE, "c", CHAR, "s", SHORT))
                .classDump("Sub", "Base", fields("i", INT, "j", LONG, "f", FLOAT, "d", DOUBLE, "o", OBJECT))
                .staticField("Sub", "COUNT", value(5))
                .staticField("Sub", "ROOT", ref(1))
                .staticField("Sub", "RATIO", value(0.25))
                .instance(1, "Sub", value(-3), value(1L << 40), value(1.5f), value(-2.5), ref(1),
                        value(true), value((byte) -7), value('\u00e9'), value((short) -300))
                .stickyClassRoot("Sub")
                .write(temp);
        try (Heap heap = Heap.open(dump)) {
            HeapInstance sub = (HeapInstance) heap.object(1);
            assertEquals(-3, sub.get("i"));
            assertEquals(1L << 40, sub.get("j"));
            assertEquals(1.5f, sub.get("f"));
            assertEquals(-2.5, sub.get("d"));
            assertEquals(sub, sub.get("o"));
            assertEquals(true, sub.get("z"));
            assertEquals((byte) -7, sub.get("b"));
            assertEquals('\u00e9', sub.get("c"));
            assertEquals((short) -300, sub.get("s"));
            assertEquals(9, sub.fields().size());
            HeapClass cls = heap.findClass("Sub");
            assertEquals("Base", cls.superclass().name());
            assertEquals(5, cls.staticValue("COUNT"));
            assertEquals(sub, cls.staticValue("ROOT"));
            assertEquals(0.25, cls.staticValue("RATIO"));
            assertTrue(sub.toString().contains("-300"), sub.toString());
            // the class object references its static ROOT
            int classObject = heap.graph().classes().classObjectIndex(cls.classIndex());
            assertTrue(refs(heap.graph(), classObject).contains(heap.graph().indexOf(1)));
        }
    }

    @Test
    void stringsInBothJdkFormsAndEveryPrimitiveArray() throws IOException {
        Path jdk9 = HprofWriter.create(8)
                .string(1, "plain latin-1")
                .string(2, "h\u00e9llo \u4e16\u754c \uD83D\uDE00")
                .primitiveArray(3, BOOLEAN, new boolean[] {true, false})
                .primitiveArray(4, CHAR, new char[] {'a', 'b'})
                .primitiveArray(5, FLOAT, new float[] {1f})
                .primitiveArray(6, DOUBLE, new double[] {2d})
                .primitiveArray(7, BYTE, new byte[] {1, 2, 3})
                .primitiveArray(8, SHORT, new short[] {4})
                .primitiveArray(9, INT, new int[] {5, 6})
                .primitiveArray(10, LONG, new long[] {7L})
                .unknownRoot(1)
                .write(temp);
        try (Heap heap = Heap.open(jdk9)) {
            assertEquals("plain latin-1", ((HeapInstance) heap.object(1)).asString());
            assertEquals("h\u00e9llo \u4e16\u754c \uD83D\uDE00", ((HeapInstance) heap.object(2)).asString());
            assertArrayEquals(new boolean[] {true, false}, (boolean[]) ((HeapPrimitiveArray) heap.object(3)).toArray());
            assertArrayEquals(new char[] {'a', 'b'}, (char[]) ((HeapPrimitiveArray) heap.object(4)).toArray());
            assertArrayEquals(new float[] {1f}, (float[]) ((HeapPrimitiveArray) heap.object(5)).toArray());
            assertArrayEquals(new double[] {2d}, (double[]) ((HeapPrimitiveArray) heap.object(6)).toArray());
            assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) ((HeapPrimitiveArray) heap.object(7)).toArray());
            assertArrayEquals(new short[] {4}, (short[]) ((HeapPrimitiveArray) heap.object(8)).toArray());
            assertArrayEquals(new int[] {5, 6}, (int[]) ((HeapPrimitiveArray) heap.object(9)).toArray());
            assertArrayEquals(new long[] {7L}, (long[]) ((HeapPrimitiveArray) heap.object(10)).toArray());
            assertEquals(BasicType.LONG, ((HeapPrimitiveArray) heap.object(10)).elementType());
        }
        Path jdk8 = HprofWriter.create(8).jdk8Strings().string(1, "old \u4e16").unknownRoot(1).write(temp);
        try (Heap heap = Heap.open(jdk8)) {
            HeapInstance s = (HeapInstance) heap.object(1);
            assertEquals("old \u4e16", s.asString());
            assertInstanceOf(HeapPrimitiveArray.class, s.get("value"));
            assertEquals(BasicType.CHAR, ((HeapPrimitiveArray) s.get("value")).elementType());
        }
    }

    @Test
    void gzipDumpsAreRecognisedByContentAndReadTheSame() throws IOException {
        HprofWriter fixture = cacheFixture(8);
        Path plain = fixture.write(temp);
        Path gz = fixture.writeGzip(temp.resolve("no-telling-suffix.bin"));
        try (Heap a = Heap.open(plain); Heap b = Heap.open(gz)) {
            assertEquals(describe(a.graph()), describe(b.graph()));
        }
        assertTrue(Files.exists(gz), "the dump is never changed or removed");
    }

    @Test
    void recordsStraddlingTinyChunksReadTheSameAsWholeMaps() throws IOException {
        HprofWriter fixture = cacheFixture(8).string(20, "a string long enough to straddle several chunks").unknownRoot(20);
        Path dump = fixture.write(temp);
        String expected;
        try (Heap whole = Heap.open(dump)) {
            expected = describe(whole.graph()) + ((HeapInstance) whole.object(20)).asString();
        }
        for (int bits = 3; bits <= 9; bits++) {
            try (Heap chunked = Heap.open(dump, HeapOptions.defaults().chunkBits(bits))) {
                assertEquals(expected, describe(chunked.graph()) + ((HeapInstance) chunked.object(20)).asString(), "chunk 2^" + bits);
            }
        }
    }

    @Test
    void edgePassWindowsOfAnySizeBuildTheSameGraph() {
        // Windows smaller than many records stream them; tiny ones refill on nearly every read.
        Path dump = RealDumps.workload();
        long expected = fingerprint(dump, 1 << 20);
        for (int bytes : new int[] {64, 333, 4096}) {
            assertEquals(expected, fingerprint(dump, bytes), "window of " + bytes + " bytes");
        }
    }

    private static long fingerprint(Path dump, int windowBytes) {
        try (HprofFile file = HprofFile.open(dump)) {
            ObjectGraph g = new GraphBuilder(file).windowBytes(windowBytes).build();
            long h = g.edgeCount();
            for (int o = 0; o < g.objectCount(); o++) {
                h = h * 31 + g.classOf(o);
                h = h * 31 + g.shallowSize(o);
                h = h * 31 + (g.hasReferentEdge(o) ? 1 : 0);
                for (long e = g.edgeStart(o), end = g.edgeEnd(o); e < end; e++) {
                    h = h * 31 + g.edgeTarget(e);
                }
            }
            return h;
        }
    }

    @Test
    void theRecordPassOnSeveralThreadsBuildsTheGraphOneThreadBuilds() throws IOException {
        // a real dump in HotSpot's 1 MiB segments, and a fixture of every record kind in segments of
        // 64 bytes, so that class dumps, roots of every kind and objects fall into every part
        Path fixture = HprofWriter.create(8)
                .classDump("Holder", fields("o", OBJECT))
                .instance(10, "Holder", ref(11))
                .string(11, "text")
                .instance(12, "Holder", ref(10))
                .objectArray(13, "java.lang.Object[]", ref(12), ref(0), ref(10))
                .primitiveArray(14, LONG, new long[] {1, 2, 3})
                .unknownRoot(10)
                .jniGlobalRoot(10, 0x77)
                .monitorUsedRoot(11)
                .stickyClassRoot("Holder")
                .thread(100, "worker", frame("Holder", "run", 42).locals(10, 13), frame("java.lang.Thread", "run", 840))
                .jniLocalRoot(11, 100, 0)
                .nativeStackRoot(14, 100)
                .threadBlockRoot(11, 100)
                .segmentSize(64)
                .write(temp);
        for (Path dump : List.of(RealDumps.workload(), fixture)) {
            String expected = everything(dump, 1);
            for (int threads = 2; threads <= 4; threads++) {
                assertEquals(expected, everything(dump, threads), dump.getFileName() + " read by " + threads + " threads");
            }
        }
    }

    /** Every object with its id, record offset, class, size and edges; every root; every class and thread: or a hash of it, for a large dump. */
    private static String everything(Path dump, int threads) {
        try (HprofFile file = HprofFile.open(dump)) {
            ObjectGraph g = new GraphBuilder(file).threads(threads).build();
            StringBuilder b = new StringBuilder();
            for (int o = 0; o < g.objectCount(); o++) {
                b.append(Long.toHexString(g.id(o))).append('@').append(g.recordOffset(o)).append(' ')
                        .append(g.classes().name(g.classOf(o))).append(' ').append(g.shallowSize(o)).append(" ->");
                g.forEachReference(o, t -> b.append(' ').append(t));
                b.append('\n');
            }
            for (int r = 0; r < g.roots().size(); r++) {
                b.append("root ").append(g.roots().kind(r)).append(' ').append(g.roots().object(r)).append(' ')
                        .append(g.roots().threadSerial(r)).append(' ').append(g.roots().extra(r)).append('\n');
            }
            for (int c = 0; c < g.classes().size(); c++) {
                b.append("class ").append(g.classes().name(c)).append(' ').append(g.classes().classObjectIndex(c)).append('\n');
            }
            for (int serial = 0; serial < 64; serial++) {
                b.append(g.stackTraces().threadObject(serial)).append(' ').append(g.stackTraces().stack(serial)).append('\n');
            }
            b.append(g.warnings());
            return b.length() < 1 << 16 ? b.toString() : g.objectCount() + " objects, hash " + b.toString().hashCode();
        }
    }

    @Test
    void aSingleHeapDumpRecordAsJdk8WroteItIsRead() throws IOException {
        Path dump = cacheFixture(4).singleHeapDumpRecord().write(temp);
        try (Heap heap = Heap.open(dump)) {
            assertEquals(1, heap.instanceIndices("Cache").getCardinality());
            assertEquals(2, heap.instanceIndices("Node").getCardinality());
            assertEquals(1, heap.instanceIndices("int[]").getCardinality());
            assertEquals(List.of(heap.graph().indexOf(5)), refs(heap.graph(), heap.graph().indexOf(4)));
        }
    }

    @Test
    void anInstanceOfAnUndumpedClassFailsStrictlyAndIsKeptLeniently() throws IOException {
        Path dump = HprofWriter.create(8)
                .classDump("Known", fields("x", INT))
                .instance(1, "Known", value(1))
                .heapRecords(w -> w.instanceDump(2, 1, 0xBAD0, new byte[4]))
                .unknownRoot(1)
                .write(temp);
        HprofFormatException e = assertThrows(HprofFormatException.class, () -> Heap.open(dump).close());
        assertTrue(e.getMessage().contains("INSTANCE DUMP") && e.getMessage().contains("0xbad0"), e.getMessage());
        assertTrue(e.getMessage().startsWith(dump + ": at byte "), e.getMessage());
        try (Heap heap = Heap.open(dump, HeapOptions.defaults().lenient(true))) {
            assertEquals(1, heap.instanceIndices(GraphBuilder.UNKNOWN_CLASS).getCardinality());
        }
    }

    @Test
    void fieldDataOfTheWrongLengthIsAFormatError() throws IOException {
        HprofWriter fixture = HprofWriter.create(8).classDump("Known", fields("x", INT));
        long known = fixture.classIdOf("Known");
        Path dump = fixture.heapRecords(w -> w.instanceDump(2, 1, known, new byte[12])).write(temp);
        HprofFormatException e = assertThrows(HprofFormatException.class, () -> Heap.open(dump).close());
        assertTrue(e.getMessage().contains("INSTANCE DUMP") && e.getMessage().contains("12 bytes of field data")
                && e.getMessage().contains("declares 4"), e.getMessage());
    }

    @Test
    void duplicateObjectIdsAreAFormatError() throws IOException {
        Path dump = HprofWriter.create(8)
                .primitiveArray(1, INT, new int[] {1})
                .heapRecords(w -> w.primitiveArrayDump(1, 1, INT, new int[] {2}))
                .write(temp);
        HprofFormatException e = assertThrows(HprofFormatException.class, () -> Heap.open(dump).close());
        assertTrue(e.getMessage().contains("dumped twice"), e.getMessage());
        try (Heap heap = Heap.open(dump, HeapOptions.defaults().lenient(true))) {
            assertEquals(1, heap.instanceIndices("int[]").getCardinality());
        }
    }

    @Test
    void notADumpAndEmptyFilesFailWithTheFileName() throws IOException {
        Path text = Files.writeString(temp.resolve("notes.txt"), "hello, this is not a heap dump");
        HprofFormatException e = assertThrows(HprofFormatException.class, () -> Heap.open(text).close());
        assertTrue(e.getMessage().startsWith(text + ": at byte 0"), e.getMessage());
        Path empty = Files.write(temp.resolve("empty.hprof"), new byte[0]);
        assertThrows(HprofFormatException.class, () -> Heap.open(empty).close());
        Path missing = temp.resolve("missing.hprof");
        e = assertThrows(HprofFormatException.class, () -> Heap.open(missing).close());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void referentsComeFirstAndAreMarked() throws IOException {
        Path dump = HprofWriter.create(8)
                .classDump("Target", fields("x", INT))
                .instance(1, "Target", value(1))
                .instance(2, "Target", value(2))
                .instance(3, "java.lang.ref.WeakReference", Map.of("referent", ref(1), "queue", ref(2)))
                .instance(4, "java.lang.ref.WeakReference", Map.of("queue", ref(2)))
                .classDump("Entry", "java.lang.ref.WeakReference", fields("key", OBJECT))
                .instance(5, "Entry", Map.of("key", ref(2), "referent", ref(1)))
                .unknownRoot(5)
                .unknownRoot(3)
                .unknownRoot(4)
                .write(temp);
        try (Heap heap = Heap.open(dump)) {
            ObjectGraph g = heap.graph();
            int weak = g.indexOf(3);
            assertTrue(g.hasReferentEdge(weak));
            assertEquals(g.indexOf(1), g.edgeTarget(g.edgeStart(weak)), "the referent is the first edge");
            assertTrue(refs(g, weak).contains(g.indexOf(2)));
            assertFalse(g.hasReferentEdge(g.indexOf(4)), "a cleared reference has no referent edge");
            assertFalse(g.hasReferentEdge(g.indexOf(1)));
            assertTrue(g.classes().isReference(g.classOf(weak)));
            int entry = g.indexOf(5);
            assertTrue(g.hasReferentEdge(entry), "a subclass's own fields come first in the dump, the referent is moved first");
            assertEquals(List.of(g.indexOf(1), g.indexOf(2)), refs(g, entry));
        }
    }

    @Test
    void histogramCountsAndPrints() throws IOException {
        Path dump = cacheFixture(8).write(temp);
        try (Heap heap = Heap.open(dump, HeapOptions.defaults().layout(VmLayout.compressed()))) {
            Histogram h = heap.histogram();
            assertEquals(2, h.row("Node").count());
            assertEquals(32, h.row("Node").shallowBytes());
            assertEquals(1, h.row("Cache").count());
            assertNull(h.row("NoSuchClass"));
            assertEquals(heap.objectCount(), h.totalCount());
            String table = h.top(3).toString();
            assertTrue(table.contains("shallow bytes") && table.contains("more classes"), table);
            assertFalse(h.rows().isEmpty());
        }
    }

    private static List<Integer> refs(ObjectGraph g, int obj) {
        List<Integer> out = new ArrayList<>();
        g.forEachReference(obj, out::add);
        return out;
    }

    private static int rootObject(ObjectGraph g, RootKind kind) {
        for (int r = 0; r < g.roots().size(); r++) {
            if (g.roots().kind(r) == kind) {
                return g.roots().object(r);
            }
        }
        return -1;
    }

    /** Every object's id, class, size and references, as text. */
    private static String describe(ObjectGraph g) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < g.objectCount(); i++) {
            b.append(Long.toHexString(g.id(i))).append(' ').append(g.classes().name(g.classOf(i))).append(' ')
                    .append(g.shallowSize(i)).append(" ->");
            g.forEachReference(i, t -> b.append(' ').append(Long.toHexString(g.id(t))));
            b.append('\n');
        }
        return b.toString();
    }
}

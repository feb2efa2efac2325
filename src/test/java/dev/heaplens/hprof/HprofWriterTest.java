package dev.heaplens.hprof;

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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heaplens.hprof.HprofRecordWriter.AllocSite;
import dev.heaplens.hprof.HprofRecordWriter.CpuSample;
import dev.heaplens.hprof.HprofRecordWriter.FieldDescriptor;
import dev.heaplens.hprof.HprofRecordWriter.StaticField;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.netbeans.lib.profiler.heap.GCRoot;
import org.netbeans.lib.profiler.heap.Heap;
import org.netbeans.lib.profiler.heap.HeapFactory;
import org.netbeans.lib.profiler.heap.Instance;
import org.netbeans.lib.profiler.heap.JavaClass;
import org.netbeans.lib.profiler.heap.JavaFrameGCRoot;
import org.netbeans.lib.profiler.heap.ObjectArrayInstance;
import org.netbeans.lib.profiler.heap.PrimitiveArrayInstance;
import org.netbeans.lib.profiler.heap.ThreadObjectGCRoot;

/**
 * HprofWriter's fixtures, read back by an independent analyser (NetBeans' profiler heap library),
 * plus byte-exact checks of a few records.
 */
class HprofWriterTest {

    @TempDir
    Path tempDir;

    // ---- fixture level, read back by NetBeans ----------------------------------------------------

    @ParameterizedTest(name = "id size {0}")
    @ValueSource(ints = {4, 8})
    void styleGuideFixtureRoundTrips(int idSize) throws IOException {
        Path dump = HprofWriter.create(idSize)
                .classDump("Cache", fields("map", OBJECT))
                .instance(1, "Cache", ref(2))
                .objectArray(2, "java.lang.Object[]", ref(3), ref(0))
                .primitiveArray(3, INT, new int[] {1, 2})
                .stickyClassRoot("Cache")
                .write(tempDir);

        Heap heap = open(dump);
        JavaClass cache = heap.getJavaClassByName("Cache");
        assertEquals("java.lang.Object", cache.getSuperClass().getName());
        assertEquals(List.of("map:object"), fieldsOf(cache));
        assertEquals(1, cache.getInstancesCount());

        Instance instance = heap.getInstanceByID(1);
        assertEquals("Cache", instance.getJavaClass().getName());
        ObjectArrayInstance array = assertInstanceOf(ObjectArrayInstance.class, instance.getValueOfField("map"));
        assertEquals(2, array.getInstanceId());
        assertEquals("java.lang.Object[]", array.getJavaClass().getName());
        assertEquals(2, array.getLength());
        assertEquals(3, ((Instance) array.getValues().get(0)).getInstanceId());
        assertNull(array.getValues().get(1));

        PrimitiveArrayInstance ints = (PrimitiveArrayInstance) heap.getInstanceByID(3);
        assertEquals("int[]", ints.getJavaClass().getName());
        assertEquals(List.of("1", "2"), ints.getValues());

        List<GCRoot> roots = roots(heap);
        assertEquals(1, roots.size());
        assertEquals(GCRoot.STICKY_CLASS, roots.get(0).getKind());
        assertEquals(cache.getJavaClassId(), roots.get(0).getInstance().getInstanceId());
    }

    @Test
    void fieldValuesOfEveryTypeFollowTheClassThenItsSuperclasses() throws IOException {
        Path dump = HprofWriter.create(8)
                .classDump("Base", fields("id", LONG, "label", OBJECT))
                .classDump("Sample", "Base", fields("z", BOOLEAN, "c", CHAR, "f", FLOAT, "d", DOUBLE,
                        "b", BYTE, "s", SHORT, "i", INT, "self", OBJECT))
                .staticField("Sample", "COUNT", value(3))
                .staticField("Sample", "LAST", ref(1))
                .staticField("Sample", "RATIO", value(0.25))
                // Sample's own fields first, then Base's
                .instance(1, "Sample", value(true), value('x'), value(1.5f), value(-2.25), value((byte) -7),
                        value((short) 300), value(-42), ref(1), value(1L << 40), ref(2))
                .string(2, "label")
                .instance(3, "Sample", Map.of("i", value(9), "id", value(5L)))
                .write(tempDir);

        Heap heap = open(dump);
        JavaClass sample = heap.getJavaClassByName("Sample");
        assertEquals("Base", sample.getSuperClass().getName());
        assertEquals(List.of("z:boolean", "c:char", "f:float", "d:double", "b:byte", "s:short", "i:int", "self:object"),
                fieldsOf(sample));
        assertEquals(List.of("id:long", "label:object"), fieldsOf(sample.getSuperClass()));

        Instance one = heap.getInstanceByID(1);
        assertEquals(true, one.getValueOfField("z"));
        assertEquals('x', one.getValueOfField("c"));
        assertEquals(1.5f, one.getValueOfField("f"));
        assertEquals(-2.25, one.getValueOfField("d"));
        assertEquals((byte) -7, one.getValueOfField("b"));
        assertEquals((short) 300, one.getValueOfField("s"));
        assertEquals(-42, one.getValueOfField("i"));
        assertEquals(1L, ((Instance) one.getValueOfField("self")).getInstanceId());
        assertEquals(1L << 40, one.getValueOfField("id"));
        assertEquals("label", javaString((Instance) one.getValueOfField("label")));

        Instance three = heap.getInstanceByID(3);
        assertEquals(9, three.getValueOfField("i"));
        assertEquals(5L, three.getValueOfField("id"));
        assertEquals(false, three.getValueOfField("z"));
        assertNull(three.getValueOfField("self"));

        assertEquals(3, sample.getValueOfStaticField("COUNT"));
        assertEquals(0.25, sample.getValueOfStaticField("RATIO"));
        assertEquals(1L, ((Instance) sample.getValueOfStaticField("LAST")).getInstanceId());
        assertEquals(2, sample.getInstancesCount());
    }

    @Test
    void primitiveArraysOfEveryType() throws IOException {
        Path dump = HprofWriter.create(8)
                .classDump("Holder")
                .instance(10, "Holder") // NetBeans fails on a heap without any INSTANCE DUMP
                .primitiveArray(1, BOOLEAN, new boolean[] {true, false})
                .primitiveArray(2, CHAR, new char[] {'a', '\u20ac'})
                .primitiveArray(3, FLOAT, new float[] {1.5f, -0.0f})
                .primitiveArray(4, DOUBLE, new double[] {Math.PI})
                .primitiveArray(5, BYTE, new byte[] {-1, 127})
                .primitiveArray(6, SHORT, new short[] {-32768, 7})
                .primitiveArray(7, INT, new int[] {Integer.MIN_VALUE})
                .primitiveArray(8, LONG, new long[] {Long.MAX_VALUE, -1})
                .primitiveArray(9, INT, new int[0])
                .write(tempDir);

        Heap heap = open(dump);
        assertEquals(List.of("true", "false"), values(heap, 1));
        assertEquals(List.of("a", "\u20ac"), values(heap, 2));
        assertEquals(List.of("1.5", "-0.0"), values(heap, 3));
        assertEquals(List.of(String.valueOf(Math.PI)), values(heap, 4));
        assertEquals(List.of("-1", "127"), values(heap, 5));
        assertEquals(List.of("-32768", "7"), values(heap, 6));
        assertEquals(List.of(String.valueOf(Integer.MIN_VALUE)), values(heap, 7));
        assertEquals(List.of(String.valueOf(Long.MAX_VALUE), "-1"), values(heap, 8));
        assertEquals(List.of(), values(heap, 9));
        assertEquals(2, heap.getJavaClassByName("int[]").getInstancesCount());
    }

    @Test
    void stringsInCompactFormAreDecodedByNetBeans() throws IOException {
        Path dump = propertiesFixture(HprofWriter.create(8)).write(tempDir);

        Heap heap = open(dump);
        // NetBeans decodes String values itself here, coder and StringUTF16's byte order included
        Properties props = heap.getSystemProperties();
        assertEquals("Ol\u00e9", props.getProperty("latin1"));
        assertEquals("\u20ac 5 \u2603", props.getProperty("utf16"));

        JavaClass string = heap.getJavaClassByName("java.lang.String");
        assertEquals(List.of("value:object", "coder:byte", "hash:int", "hashIsZero:boolean"), fieldsOf(string));
        Instance latin1 = heap.getInstanceByID(21);
        assertEquals((byte) 0, latin1.getValueOfField("coder"));
        assertEquals("byte[]", ((Instance) latin1.getValueOfField("value")).getJavaClass().getName());
        assertEquals((byte) 1, heap.getInstanceByID(23).getValueOfField("coder"));
    }

    @Test
    void stringsInJdk8FormAreDecodedByNetBeans() throws IOException {
        Path dump = propertiesFixture(HprofWriter.create(8).jdk8Strings()).write(tempDir);

        Heap heap = open(dump);
        Properties props = heap.getSystemProperties();
        assertEquals("Ol\u00e9", props.getProperty("latin1"));
        assertEquals("\u20ac 5 \u2603", props.getProperty("utf16"));
        assertEquals(List.of("value:object", "hash:int"), fieldsOf(heap.getJavaClassByName("java.lang.String")));
        Instance value = (Instance) heap.getInstanceByID(21).getValueOfField("value");
        assertEquals("char[]", value.getJavaClass().getName());
        assertNull(heap.getJavaClassByName("java.lang.StringUTF16"));
    }

    @Test
    void threadsHaveStackTracesAndJavaFrameRoots() throws IOException {
        Path dump = HprofWriter.create(8)
                .classDump("Job", fields("payload", OBJECT))
                .instance(1, "Job", ref(0))
                .instance(2, "Job", ref(1))
                .thread(100, "worker-1",
                        frame("com.acme.Job", "run", 42).locals(1),
                        frame("com.acme.Pool$Worker", "loop", 17).locals(2, 1),
                        frame("java.lang.Thread", "run", 840))
                .thread(200, "idle")
                .write(tempDir);

        Heap heap = open(dump);
        ThreadObjectGCRoot worker = threadRoot(heap, 100);
        StackTraceElement[] trace = worker.getStackTrace();
        assertEquals(3, trace.length);
        assertEquals(new StackTraceElement("com.acme.Job", "run", "Job.java", 42), trace[0]);
        assertEquals(new StackTraceElement("com.acme.Pool$Worker", "loop", "Pool.java", 17), trace[1]);
        assertEquals(new StackTraceElement("java.lang.Thread", "run", "Thread.java", 840), trace[2]);
        assertEquals(0, threadRoot(heap, 200).getStackTrace().length);

        List<String> frameRoots = roots(heap).stream()
                .filter(r -> r instanceof JavaFrameGCRoot)
                .map(r -> (JavaFrameGCRoot) r)
                .map(r -> r.getInstance().getInstanceId() + "@" + r.getFrameNumber() + " in "
                        + r.getThreadGCRoot().getInstance().getInstanceId())
                .sorted().toList();
        assertEquals(List.of("1@0 in 100", "1@1 in 100", "2@1 in 100"), frameRoots);

        Instance thread = heap.getInstanceByID(100);
        assertEquals("java.lang.Thread", thread.getJavaClass().getName());
        assertEquals("worker-1", javaString((Instance) thread.getValueOfField("name")));
        assertEquals(1L, thread.getValueOfField("tid"));
        assertEquals(2L, heap.getInstanceByID(200).getValueOfField("tid"));
    }

    @Test
    void everyRootKindIsReported() throws IOException {
        Path dump = HprofWriter.create(8)
                .classDump("Held")
                .instance(1, "Held")
                .thread(100, "main")
                .unknownRoot(1)
                .jniGlobalRoot(1)
                .jniLocalRoot(1, 100, 0)
                .javaFrameRoot(1, 100, 0)
                .nativeStackRoot(1, 100)
                .stickyClassRoot("Held")
                .threadBlockRoot(1, 100)
                .monitorUsedRoot(1)
                .write(tempDir);

        Set<String> kinds = roots(open(dump)).stream().map(GCRoot::getKind).collect(Collectors.toSet());
        assertEquals(Set.of(GCRoot.UNKNOWN, GCRoot.JNI_GLOBAL, GCRoot.JNI_LOCAL, GCRoot.JAVA_FRAME,
                GCRoot.NATIVE_STACK, GCRoot.STICKY_CLASS, GCRoot.THREAD_BLOCK, GCRoot.MONITOR_USED,
                GCRoot.THREAD_OBJECT), kinds);
    }

    @Test
    void referencesAndClassLoadersUseKnownJdkClasses() throws IOException {
        Path dump = HprofWriter.create(8)
                .classDump("Plugin")
                .instance(7, "Plugin")
                .classDump("PluginLoader")
                .instance(8, "PluginLoader")
                .classLoader("Plugin", 8)
                .instance(1, "java.lang.ref.WeakReference", Map.of("referent", ref(7)))
                .instance(2, "java.lang.ref.SoftReference", Map.of("referent", ref(7), "timestamp", value(99L)))
                .write(tempDir);

        Heap heap = open(dump);
        JavaClass weak = heap.getJavaClassByName("java.lang.ref.WeakReference");
        assertEquals("java.lang.ref.Reference", weak.getSuperClass().getName());
        assertEquals(List.of("referent:object", "queue:object", "next:object", "discovered:object"),
                fieldsOf(weak.getSuperClass()));
        assertEquals(7L, ((Instance) heap.getInstanceByID(1).getValueOfField("referent")).getInstanceId());
        assertEquals(99L, heap.getInstanceByID(2).getValueOfField("timestamp"));
        assertEquals(8L, heap.getJavaClassByName("Plugin").getClassLoader().getInstanceId());
    }

    @Test
    void autoAssignedIdsAreDeterministicAndAbove4GbWithEightByteIds() throws IOException {
        HprofWriter fixture = HprofWriter.create(8).classDump("Node", fields("next", OBJECT));
        long a = fixture.nextObjectId();
        long b = fixture.nextObjectId();
        fixture.instance(a, "Node", ref(b)).instance(b, "Node", ref(a)).jniGlobalRoot(a);

        assertTrue(fixture.classIdOf("Node") > 0xFFFF_FFFFL);
        assertTrue(a > 0xFFFF_FFFFL && b > a);
        Heap heap = open(fixture.write(tempDir));
        assertEquals(fixture.classIdOf("Node"), heap.getJavaClassByName("Node").getJavaClassId());
        assertEquals(b, ((Instance) heap.getInstanceByID(a).getValueOfField("next")).getInstanceId());
        assertEquals(a, ((Instance) heap.getInstanceByID(b).getValueOfField("next")).getInstanceId());

        HprofWriter again = HprofWriter.create(8).classDump("Node", fields("next", OBJECT));
        long a2 = again.nextObjectId();
        long b2 = again.nextObjectId();
        again.instance(a2, "Node", ref(b2)).instance(b2, "Node", ref(a2)).jniGlobalRoot(a2);
        assertArrayEquals(fixture.toBytes(), again.toBytes());
    }

    @Test
    void fourByteIdsUseTheWholeUnsignedRangeAndRejectWiderOnes() throws IOException {
        HprofWriter fixture = HprofWriter.create(4)
                .classDump(0xFFFF_FF00L, "Big", "java.lang.Object", fields("other", OBJECT))
                .instance(0xFFFF_FFF0L, "Big", ref(0xFFFF_FFF8L))
                .instance(0xFFFF_FFF8L, "Big", ref(0))
                .unknownRoot(0xFFFF_FFF0L);
        Heap heap = open(fixture.write(tempDir));
        assertEquals(0xFFFF_FF00L, heap.getJavaClassByName("Big").getJavaClassId());
        Instance big = heap.getInstanceByID(0xFFFF_FFF0L);
        assertEquals(0xFFFF_FFF8L, ((Instance) big.getValueOfField("other")).getInstanceId());

        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
                () -> fixture.instance(1L << 32, "Big", ref(0)));
        assertTrue(wide.getMessage().contains("4-byte"), wide.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fixture.instance(5, "Big", ref(1L << 32)));
        assertThrows(IllegalArgumentException.class, () -> fixture.instance(6, "Big", ref(-1)));
    }

    @Test
    void segmentedDumpSplitsAtSubRecordBoundaries() throws IOException {
        HprofWriter fixture = HprofWriter.create(8).segmentSize(200).classDump("Node", fields("next", OBJECT));
        for (int i = 1; i <= 50; i++) {
            fixture.instance(i, "Node", ref(i == 50 ? 1 : i + 1));
        }
        fixture.primitiveArray(99, LONG, new long[100]); // 800 bytes: larger than a segment, alone in its own
        Path dump = fixture.write(tempDir);

        List<Record> records = topLevelRecords(Files.readAllBytes(dump), 8);
        List<Record> segments = records.stream().filter(r -> r.tag == 0x1C).toList();
        assertTrue(segments.size() > 5, "segments: " + segments.size());
        assertTrue(segments.stream().filter(r -> r.length > 200).count() == 1, "only the big array exceeds the limit");
        assertEquals(0x2C, records.get(records.size() - 1).tag);

        Heap heap = open(dump);
        assertEquals(50, heap.getJavaClassByName("Node").getInstancesCount());
        assertEquals(1L, ((Instance) heap.getInstanceByID(50).getValueOfField("next")).getInstanceId());
        assertEquals(100, ((PrimitiveArrayInstance) heap.getInstanceByID(99)).getLength());
    }

    @Test
    void singleHeapDumpRecordAsJdk8WritesSmallHeaps() throws IOException {
        Path dump = HprofWriter.create(8).singleHeapDumpRecord()
                .classDump("Cache", fields("map", OBJECT))
                .instance(1, "Cache", ref(0))
                .write(tempDir);

        byte[] bytes = Files.readAllBytes(dump);
        assertEquals("JAVA PROFILE 1.0.1", new String(bytes, 0, 18, java.nio.charset.StandardCharsets.US_ASCII));
        List<Integer> tags = topLevelRecords(bytes, 8).stream().map(r -> r.tag).toList();
        assertEquals(1, tags.stream().filter(t -> t == 0x0C).count());
        assertFalse(tags.contains(0x1C) || tags.contains(0x2C));
        assertEquals(1, open(dump).getJavaClassByName("Cache").getInstancesCount());
    }

    @Test
    void gzipOutputDecompressesToTheSameDump() throws IOException {
        HprofWriter fixture = HprofWriter.create(8)
                .classDump("Cache", fields("map", OBJECT))
                .instance(1, "Cache", ref(2))
                .primitiveArray(2, BYTE, new byte[] {1, 2, 3})
                .jniGlobalRoot(1);
        Path gz = fixture.writeGzip(tempDir);
        assertTrue(gz.getFileName().toString().endsWith(".hprof.gz"));

        byte[] plain;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            plain = in.readAllBytes();
        }
        assertArrayEquals(fixture.toBytes(), plain);
        Path unzipped = Files.write(tempDir.resolve("unzipped.hprof"), plain);
        Heap heap = open(unzipped);
        assertEquals(2L, ((Instance) heap.getInstanceByID(1).getValueOfField("map")).getInstanceId());
        assertEquals(List.of("1", "2", "3"), values(heap, 2));
    }

    @Test
    void extraTopLevelRecordsOfEveryKindAreReadable() throws IOException {
        Path dump = HprofWriter.create(8)
                .classDump("Cache")
                .instance(1, "Cache")
                .records(w -> w
                        .heapSummary(4096, 10, 1L << 33, 500)
                        .controlSettings(3, 16)
                        .allocSites(1, 0.5f, 64, 2, 128, 4, List.of(new AllocSite(0, 1, 1, 64, 2, 128, 4)))
                        .cpuSamples(7, List.of(new CpuSample(7, 1)))
                        .endThread(9)
                        .unloadClass(99)
                        .rawRecord(0x42, new byte[] {1, 2, 3}))
                .heapRecords(w -> w.rootUnknown(1))
                .write(tempDir);

        Heap heap = open(dump);
        assertEquals(4096, heap.getSummary().getTotalLiveBytes());
        assertEquals(10, heap.getSummary().getTotalLiveInstances());
        assertEquals(1L << 33, heap.getSummary().getTotalAllocatedBytes());
        assertEquals(500, heap.getSummary().getTotalAllocatedInstances());
        assertEquals(1, heap.getJavaClassByName("Cache").getInstancesCount());
        assertEquals(List.of(GCRoot.UNKNOWN), roots(heap).stream().map(GCRoot::getKind).toList());
    }

    @Test
    void fixtureMistakesAreReportedWhereTheyAreMade() {
        HprofWriter fixture = HprofWriter.create(8).classDump("Point", fields("x", INT, "y", INT));

        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> fixture.instance(1, "Point", value(1)));
        assertTrue(count.getMessage().contains("[x INT, y INT]"), count.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> fixture.instance(1, "Point", value(1), value(2L)));
        assertTrue(type.getMessage().contains("field y of Point is INT, got long 2"), type.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fixture.instance(1, "Point", Map.of("z", value(1))));
        IllegalArgumentException undeclared = assertThrows(IllegalArgumentException.class,
                () -> fixture.instance(1, "Missing"));
        assertTrue(undeclared.getMessage().contains("classDump(\"Missing\""), undeclared.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fixture.classDump("Point"));
        assertThrows(IllegalArgumentException.class, () -> fixture.primitiveArray(1, INT, new long[1]));
        assertThrows(IllegalArgumentException.class, () -> fixture.objectArray(1, "int[]"));
        assertThrows(IllegalArgumentException.class, () -> fixture.jniLocalRoot(1, 100, 0));

        fixture.instance(1, "Point", value(1), value(2));
        IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
                () -> fixture.instance(1, "Point", value(1), value(2)));
        assertTrue(duplicate.getMessage().contains("already used"), duplicate.getMessage());
        fixture.string(2, "now String exists");
        assertThrows(IllegalStateException.class, fixture::jdk8Strings);
    }

    @Test
    void vmAndJavaClassNamesAreInterchangeable() throws IOException {
        HprofWriter fixture = HprofWriter.create(8)
                .classDump("java/util/HashMap$Node", fields("next", OBJECT))
                .objectArray(1, "[Ljava/util/HashMap$Node;", ref(0))
                .objectArray(2, "int[][]", ref(3))
                .primitiveArray(3, INT, new int[] {4})
                .instance(4, "java/util/HashMap$Node", ref(0));
        assertEquals(fixture.classIdOf("java.util.HashMap$Node"), fixture.classIdOf("java/util/HashMap$Node"));
        assertEquals(fixture.classIdOf("[[I"), fixture.classIdOf("int[][]"));

        Heap heap = open(fixture.write(tempDir));
        assertEquals("java.util.HashMap$Node[]", heap.getInstanceByID(1).getJavaClass().getName());
        assertEquals("int[][]", heap.getInstanceByID(2).getJavaClass().getName());
        assertEquals("[[I", HprofWriter.vmName("int[][]"));
        assertEquals("[Ljava/lang/Object;", HprofWriter.vmName("java.lang.Object[]"));
    }

    // ---- record level, byte for byte ---------------------------------------------------------------

    @Test
    void headerAndUtf8RecordBytes() throws IOException {
        byte[] bytes = records(8, 0x0102030405060708L, w -> w.utf8(0x1122334455667788L, "Caf\u00e9\0"));

        ByteBuffer expected = ByteBuffer.allocate(31 + 9 + 8 + 7)
                .put("JAVA PROFILE 1.0.2\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(8).putLong(0x0102030405060708L)
                .put((byte) 0x01).putInt(0).putInt(8 + 7)
                .putLong(0x1122334455667788L)
                // modified UTF-8: é in two bytes, NUL as C0 80
                .put(new byte[] {'C', 'a', 'f', (byte) 0xC3, (byte) 0xA9, (byte) 0xC0, (byte) 0x80});
        assertEquals(HexFormat.of().formatHex(expected.array()), HexFormat.of().formatHex(bytes));
    }

    @Test
    void primitiveArrayDumpBytesInsideAPatchedSegment() throws IOException {
        byte[] bytes = records(4, 0, w -> w.beginHeapDumpSegment()
                .primitiveArrayDump(0xA0B0C0D0L, 1, SHORT, new short[] {1, -2})
                .endHeapDump()
                .heapDumpEnd());

        String body = HexFormat.of().formatHex(bytes, 31, bytes.length);
        assertEquals("1c" + "00000000" + "00000012"      // HEAP DUMP SEGMENT, 18 bytes of sub-records
                + "23" + "a0b0c0d0" + "00000001" + "00000002" + "09" + "0001" + "fffe"
                + "2c" + "00000000" + "00000000", body);  // HEAP DUMP END
    }

    @Test
    void classAndInstanceDumpBytes() throws IOException {
        byte[] bytes = records(4, 0, w -> w.beginHeapDump()
                .classDump(0x10, 1, 0x08, 0, 0, 0, 5, List.of(),
                        List.of(new StaticField(0x30, value(7))),
                        List.of(new FieldDescriptor(0x31, BYTE), new FieldDescriptor(0x32, OBJECT)))
                .instanceDump(0x20, 1, 0x10, value((byte) 9), ref(0x21))
                .endHeapDump());

        String body = HexFormat.of().formatHex(bytes, 31, bytes.length);
        String classDump = "20" + "00000010" + "00000001" + "00000008" + "00000000".repeat(5) + "00000005"
                + "0000" + "0001" + "00000030" + "0a" + "00000007" + "0002" + "00000031" + "08" + "00000032" + "02";
        String instanceDump = "21" + "00000020" + "00000001" + "00000010" + "00000005" + "09" + "00000021";
        int length = (classDump.length() + instanceDump.length()) / 2;
        assertEquals("0c" + "00000000" + String.format("%08x", length) + classDump + instanceDump, body);
    }

    @Test
    void rawBytesInsideAHeapDumpCountTowardsItsLength() throws IOException {
        byte[] bytes = records(8, 0, w -> w.rawRecord(0x99, new byte[] {7})
                .beginHeapDumpSegment().rawBytes(new byte[] {0x21, 0, 0}).endHeapDump()
                .rawBytes(new byte[] {(byte) 0xEE}));

        assertEquals("99" + "00000000" + "00000001" + "07"
                + "1c" + "00000000" + "00000003" + "210000"
                + "ee", HexFormat.of().formatHex(bytes, 31, bytes.length));
    }

    @Test
    void everyTopLevelRecordHasItsDocumentedLength() throws IOException {
        byte[] bytes = records(8, 0, w -> w
                .utf8(1, "abc")
                .loadClass(1, 0x10, 1, 1)
                .unloadClass(1)
                .stackFrame(1, 1, 1, 1, 1, -3)
                .stackTrace(2, 1, 1, 2)
                .allocSites(0, 0f, 0, 0, 0, 0, List.of(new AllocSite(10, 1, 1, 1, 1, 1, 1)))
                .heapSummary(1, 1, 1, 1)
                .startThread(1, 0x30, 2, 1, 1, 1)
                .endThread(1)
                .cpuSamples(1, List.of(new CpuSample(1, 2), new CpuSample(3, 4)))
                .controlSettings(1, 8)
                .recordMicros(5)
                .heapDumpEnd());

        List<Record> records = topLevelRecords(bytes, 8);
        assertEquals(List.of(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0A, 0x0B, 0x0D, 0x0E, 0x2C),
                records.stream().map(r -> r.tag).toList());
        assertEquals(List.of(8 + 3, 4 + 8 + 4 + 8, 4, 4 * 8 + 8, 12 + 2 * 8, 2 + 4 * 3 + 8 * 2 + 4 + 25, 4 + 4 + 8 + 8,
                        4 + 8 + 4 + 3 * 8, 4, 8 + 2 * 8, 6, 0),
                records.stream().map(r -> (int) r.length).toList());
        assertEquals(5, records.get(records.size() - 1).micros);
    }

    @Test
    void recordOrderMistakesAreRefused() throws IOException {
        try (HprofRecordWriter w = HprofRecordWriter.open(new ByteArrayOutputStream(), 8, 0)) {
            assertThrows(IllegalStateException.class, () -> w.rootUnknown(1));
            w.beginHeapDumpSegment();
            assertThrows(IllegalStateException.class, () -> w.utf8(1, "x"));
            assertThrows(IllegalStateException.class, w::beginHeapDump);
            w.rootUnknown(1).endHeapDump();
            assertThrows(IllegalStateException.class, w::endHeapDump);
        }
        assertThrows(IllegalArgumentException.class, () -> HprofRecordWriter.headerless(new ByteArrayOutputStream(), 6));
        assertThrows(IllegalArgumentException.class, () -> HprofWriter.create(2));
    }

    @Test
    void positionCountsBufferedHeapBytes() throws IOException {
        try (HprofRecordWriter w = HprofRecordWriter.open(new ByteArrayOutputStream(), 4, 0)) {
            assertEquals(31, w.position());
            w.beginHeapDumpSegment().rootUnknown(1);
            assertEquals(31 + 9 + 5, w.position());
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** java.lang.System.props -> Properties.map -> ConcurrentHashMap.table -> Node(key, val, next): NetBeans' path. */
    private static HprofWriter propertiesFixture(HprofWriter fixture) {
        return fixture
                .classDump("java.util.Properties", fields("defaults", OBJECT, "map", OBJECT))
                .classDump("java.util.concurrent.ConcurrentHashMap", fields("table", OBJECT))
                .classDump("java.util.concurrent.ConcurrentHashMap$Node",
                        fields("hash", INT, "key", OBJECT, "val", OBJECT, "next", OBJECT))
                .classDump("java.lang.System")
                .staticField("java.lang.System", "props", ref(10))
                .instance(10, "java.util.Properties", ref(0), ref(11))
                .instance(11, "java.util.concurrent.ConcurrentHashMap", ref(12))
                .objectArray(12, "java.util.concurrent.ConcurrentHashMap$Node[]", ref(13), ref(0))
                .instance(13, "java.util.concurrent.ConcurrentHashMap$Node", value(0), ref(20), ref(21), ref(14))
                .instance(14, "java.util.concurrent.ConcurrentHashMap$Node", value(0), ref(22), ref(23), ref(0))
                .string(20, "latin1")
                .string(21, "Ol\u00e9")
                .string(22, "utf16")
                .string(23, "\u20ac 5 \u2603");
    }

    private static Heap open(Path dump) throws IOException {
        return HeapFactory.createHeap(dump.toFile());
    }

    private static List<String> fieldsOf(JavaClass javaClass) {
        List<String> out = new ArrayList<>();
        for (Object f : javaClass.getFields()) {
            var field = (org.netbeans.lib.profiler.heap.Field) f;
            if (!field.isStatic()) {
                out.add(field.getName() + ":" + field.getType().getName());
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<GCRoot> roots(Heap heap) {
        return new ArrayList<>((java.util.Collection<GCRoot>) heap.getGCRoots());
    }

    private static ThreadObjectGCRoot threadRoot(Heap heap, long threadId) {
        return roots(heap).stream()
                .filter(r -> r instanceof ThreadObjectGCRoot && r.getInstance().getInstanceId() == threadId)
                .map(r -> (ThreadObjectGCRoot) r)
                .findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<String> values(Heap heap, long arrayId) {
        return ((PrimitiveArrayInstance) heap.getInstanceByID(arrayId)).getValues();
    }

    /** Decodes a JDK 9+ Latin-1 string from NetBeans' view of its fields. */
    private static String javaString(Instance string) {
        assertNotNull(string);
        assertEquals((byte) 0, string.getValueOfField("coder"));
        List<String> bytes = values(string);
        StringBuilder sb = new StringBuilder();
        for (String b : bytes) {
            sb.append((char) (Byte.parseByte(b) & 0xFF));
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<String> values(Instance string) {
        return ((PrimitiveArrayInstance) string.getValueOfField("value")).getValues();
    }

    private static byte[] records(int idSize, long millis, HprofWriter.RecordStep step) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (HprofRecordWriter w = HprofRecordWriter.open(out, idSize, millis)) {
            step.write(w);
        }
        return out.toByteArray();
    }

    private record Record(int tag, int micros, long offset, long length) {
    }

    /** Walks top-level records by their length fields: an independent check of every length written. */
    private static List<Record> topLevelRecords(byte[] file, int idSize) {
        ByteBuffer buf = ByteBuffer.wrap(file);
        int headerEnd = 0;
        while (file[headerEnd] != 0) {
            headerEnd++;
        }
        buf.position(headerEnd + 1);
        assertEquals(idSize, buf.getInt());
        buf.getLong();
        List<Record> records = new ArrayList<>();
        while (buf.hasRemaining()) {
            long offset = buf.position();
            int tag = buf.get() & 0xFF;
            int micros = buf.getInt();
            long length = buf.getInt() & 0xFFFF_FFFFL;
            records.add(new Record(tag, micros, offset, length));
            buf.position((int) (buf.position() + length));
        }
        Set<Long> offsets = new HashSet<>();
        records.forEach(r -> assertTrue(offsets.add(r.offset)));
        assertEquals(file.length, buf.position(), "records end exactly at the end of the file");
        return records;
    }
}

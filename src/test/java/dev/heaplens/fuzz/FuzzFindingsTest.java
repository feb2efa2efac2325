package dev.heaplens.fuzz;

import dev.heaplens.analysis.ShortestPaths;
import dev.heaplens.graph.GraphBuilder;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.hprof.HprofFile;
import dev.heaplens.hprof.HprofFormatException;
import dev.heaplens.hprof.HprofWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;

import static dev.heaplens.hprof.BasicType.INT;
import static dev.heaplens.hprof.BasicType.OBJECT;
import static dev.heaplens.hprof.HprofWriter.fields;
import static dev.heaplens.hprof.HprofWriter.ref;
import static dev.heaplens.hprof.HprofWriter.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the fuzzer found, each fixed in the library: the mutant that found it replayed from its seed
 * (a fixture's, so it replays on every machine; the test checks that the seed still makes the same
 * mutation), and a minimal hand-built dump with the same damage.
 */
class FuzzFindingsTest {
    private static final Path NAME = Path.of("finding.hprof");

    /** Replays {@code mutant} through the whole fuzz pipeline, strict and lenient: no finding. */
    private static void replaysClean(String mutant, String mutation) {
        int colon = mutant.lastIndexOf(':');
        FuzzCorpus.Seed seed = FuzzCorpus.seed(mutant.substring(0, colon));
        long number = Long.parseLong(mutant.substring(colon + 1));
        assertEquals(mutation, new Mutator(seed).mutate(number).description(), "the seed makes the mutant that found it");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (Fuzzer fuzzer = new Fuzzer(List.of(seed), Fuzzer.Bounds.defaults(), new java.io.PrintStream(log, true))) {
            fuzzer.measureSeeds(1);
            assertEquals(List.of(), fuzzer.fuzz(seed.name(), number), log::toString);
        }
    }

    /**
     * A closed fuzzer leaves nothing behind: it set the JVM's default uncaught-exception handler to a
     * lambda holding it and never put the old one back, so every fuzzer of a test run stayed reachable
     * from {@code Thread.defaultUncaughtExceptionHandler} (27 MB of mutants and dumps), and
     * {@code heaplens demo} run later in the same JVM named it its first leak suspect. Found by heaplens.
     */
    @Test
    void aClosedFuzzerIsCollectableAndPutsTheOldHandlerBack() {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        dev.heaplens.leaks.LeakWatcher watcher = new dev.heaplens.leaks.LeakWatcher();
        openAndClose(watcher);
        assertEquals(before, Thread.getDefaultUncaughtExceptionHandler());
        watcher.assertAllCollected();
    }

    /** A fuzzer made, watched and closed in a frame of its own, so that no local variable of the test holds it. */
    private static void openAndClose(dev.heaplens.leaks.LeakWatcher watcher) {
        try (Fuzzer fuzzer = new Fuzzer(List.of(FuzzCorpus.seed("fixture8.hprof")), Fuzzer.Bounds.defaults(),
                new java.io.PrintStream(new ByteArrayOutputStream(), true))) {
            watcher.watch(fuzzer, "a closed fuzzer");
        }
    }

    private static ObjectGraph graph(byte[] dump, boolean lenient) {
        HprofFile file = HprofFile.wrap(NAME, dump, 12);
        return new GraphBuilder(file).lenient(lenient).threads(1).build();
    }

    private static HprofFormatException rejected(byte[] dump) {
        return assertThrows(HprofFormatException.class, () -> graph(dump, false));
    }

    /** Lenient mode read a class whose superclass had no CLASS DUMP without its superclass's fields, and said nothing. */
    @Test
    void lenientModeSaysWhichClassLostItsSuperclass() {
        replaysClean("fixture8.hprof:15", "SUPER_MISSING: superclass of 0x700000000 at 3308 -> 0xbfd8976bb9f5866");
        replaysClean("fixture8.hprof:98", "SUPER_NOT_A_CLASS: superclass of 0x7000001f8 at 4414 -> 0x7000001a8");
        HprofWriter w = HprofWriter.create(8)
                .classDump("app.Base", fields("size", INT))
                .classDump("app.Session", "app.Base", fields("next", OBJECT))
                .instance(1, "app.Session", ref(0), value(3))
                .stickyClassRoot("app.Session");
        byte[] dump = w.toBytes();
        DumpMap map = DumpMap.of(dump);
        long session = w.classIdOf("app.Session");
        DumpMap.ClassRecord c = map.classes.stream().filter(k -> k.id() == session).findFirst().orElseThrow();
        putId(dump, c.superAt(), 0x7777);
        assertTrue(rejected(dump).getMessage().contains("names superclass id 0x7777, which has no CLASS DUMP"));
        ObjectGraph lenient = graph(dump, true);
        assertTrue(lenient.warnings().stream().anyMatch(s -> s.startsWith("lenient: 1 classes are read without their superclass's fields")
                && s.contains("app.Session names superclass id 0x7777")), lenient.warnings().toString());
    }

    /**
     * A JDK collection whose counting field has no name: a mutant of a real JDK 17 dump
     * ({@code jdk17.hprof:3034}, "DANGLING_ID: id at 1006362 -> 0x0", a field's name id set to 0)
     * left {@code ConcurrentHashMap} without {@code baseCount}, and the waste analysis threw
     * "ConcurrentHashMap has no field 'baseCount'". Such a collection's size is now unknown. (The
     * real dump's mutant replays only on its own seed file, so this test builds the damage itself.)
     */
    @Test
    void aJdkCollectionWithoutItsCountingFieldHasNoSizeAndBreaksNothing() {
        HprofWriter w = HprofWriter.create(8)
                .classDump("java.util.concurrent.ConcurrentHashMap", fields("table", OBJECT, "counterCells", OBJECT))
                .classDump("java.util.ArrayDeque", fields("head", INT))
                .classDump("java.util.concurrent.CopyOnWriteArrayList", fields("lock", OBJECT))
                .classDump("java.util.HashSet", fields("other", OBJECT))
                .classDump("java.util.ArrayList", fields("elementData", OBJECT))
                .instance(1, "java.util.concurrent.ConcurrentHashMap", ref(0), ref(0))
                .instance(2, "java.util.ArrayDeque", value(0))
                .instance(3, "java.util.concurrent.CopyOnWriteArrayList", ref(0))
                .instance(4, "java.util.HashSet", ref(1))
                .instance(5, "java.util.ArrayList", ref(0))
                .unknownRoot(1).unknownRoot(2).unknownRoot(3).unknownRoot(4).unknownRoot(5);
        ObjectGraph graph = graph(w.toBytes(), false);
        for (long id = 1; id <= 5; id++) {
            int obj = graph.indexOf(id);
            assertEquals(null, dev.heaplens.analysis.CollectionSize.of(graph, obj), graph.classes().name(graph.classOf(obj)));
        }
        dev.heaplens.graph.HeapInstance map = new dev.heaplens.graph.HeapInstance(graph, graph.indexOf(1));
        assertEquals("absent", map.getOrDefault("baseCount", "absent"));
        assertEquals(null, map.getOrDefault("table", "absent"), "a null reference is a value, not an absent field");
        assertEquals("java.util.concurrent.ConcurrentHashMap has no field 'baseCount'",
                assertThrows(IllegalArgumentException.class, () -> map.get("baseCount")).getMessage());
        dev.heaplens.analysis.CollectionFill fill = dev.heaplens.analysis.CollectionFill.of(graph);
        assertEquals(0, fill.instances(), fill.toString());
    }

    /** A HEAP DUMP record claiming more bytes than the file holds, all of whose sub-records were whole, read as complete. */
    @Test
    void aHeapDumpClaimingMoreThanTheFileIsIncompleteInLenientMode() {
        replaysClean("fixture4-heapdump.hprof:21", "SEGMENT_OVERCLAIM: segment length at 2671 -> 3514 (3513 remain)");
        byte[] dump = HprofWriter.create(4).singleHeapDumpRecord()
                .classDump("app.Node", fields("next", OBJECT))
                .instance(1, "app.Node", ref(1))
                .stickyClassRoot("app.Node")
                .toBytes();
        int intact = graph(dump, false).objectCount();
        DumpMap map = DumpMap.of(dump);
        int length = map.segmentLengths.getInt(0);
        putU4(dump, length, u4(dump, length) + 1); // one byte more than there is
        HprofFormatException strict = rejected(dump);
        assertTrue(strict.getMessage().contains("HEAP DUMP: record claims"), strict.getMessage());
        ObjectGraph lenient = graph(dump, true);
        assertFalse(lenient.readResult().complete());
        assertEquals(strict.getMessage(), lenient.readResult().problem().getMessage());
        assertTrue(lenient.warnings().stream().anyMatch(s -> s.contains("remain in the file")), lenient.warnings().toString());
        assertEquals(intact, lenient.objectCount(), "every sub-record is whole, and kept");
    }

    /**
     * A record read with the layout of another kind: an OBJ ARRAY DUMP whose class is an instance
     * class (here: an array class whose name was lost with its UTF8 record) had edges that its views
     * could not find, and shortest paths threw IllegalStateException.
     */
    @Test
    void aRecordWhoseClassIsOfAnotherKindIsRejectedOrReadAsUnknown() {
        replaysClean("fixture4-heapdump.hprof:258", "TAG: tag at 525 0x01 -> 0x22");
        HprofWriter w = HprofWriter.create(8)
                .classDump("app.Node", fields("next", OBJECT))
                .instance(1, "app.Node", ref(2))
                .objectArray(2, "app.Node[]", ref(1))
                .instance(3, "app.Node", ref(0))
                .stickyClassRoot("app.Node")
                .unknownRoot(1)
                .unknownRoot(3);
        byte[] dump = w.toBytes();
        DumpMap map = DumpMap.of(dump);
        long node = w.classIdOf("app.Node");
        long nodeArray = w.classIdOf("app.Node[]");
        // the array names app.Node as its class
        DumpMap.SubRecord array = map.subRecords.stream().filter(s -> s.tag() == 0x22).findFirst().orElseThrow();
        byte[] arrayOfInstanceClass = dump.clone();
        putId(arrayOfInstanceClass, array.offset() + 1 + 8 + 4 + 4, node);
        HprofFormatException strict = rejected(arrayOfInstanceClass);
        assertEquals(array.offset(), strict.offset());
        assertTrue(strict.getMessage().endsWith("OBJ ARRAY DUMP: names class app.Node, which is not an array class"), strict.getMessage());
        ObjectGraph lenient = graph(arrayOfInstanceClass, true);
        int arrayIndex = lenient.indexOf(2);
        assertEquals("java.lang.Object[]", lenient.classes().name(lenient.classOf(arrayIndex)));
        assertTrue(lenient.warnings().stream().anyMatch(s -> s.contains("1 instances and arrays whose class has no CLASS DUMP or is of "
                + "another kind")), lenient.warnings().toString());
        ShortestPaths paths = ShortestPaths.compute(lenient);
        assertTrue(paths.pathTo(lenient.indexOf(2)).isPresent());
        // an instance names the array class as its class
        DumpMap.SubRecord instance = map.subRecords.stream().filter(s -> s.tag() == 0x21).skip(1).findFirst().orElseThrow();
        byte[] instanceOfArrayClass = dump.clone();
        putId(instanceOfArrayClass, instance.offset() + 1 + 8 + 4, nodeArray);
        assertTrue(rejected(instanceOfArrayClass).getMessage().endsWith("INSTANCE DUMP: names class app.Node[], which is an object array class"));
        ObjectGraph unknown = graph(instanceOfArrayClass, true);
        assertEquals("<unknown class>", unknown.classes().name(unknown.classOf(unknown.indexOf(3))));
    }

    /**
     * A String whose class declares {@code coder} with another type (a changed type tag) made
     * {@code asString} unbox a null; an instance with less field data than its class declares read
     * the next record's bytes as its last fields.
     */
    @Test
    void stringsAndFieldsOfDamagedInstancesReadAsNothingRatherThanFail() {
        replaysClean("fixture4.hprof:1005328", "TYPE_TAG: type at 3138 8 -> 2");
        HprofWriter w = HprofWriter.create(8)
                .classDump("app.Pair", fields("left", OBJECT, "right", OBJECT))
                .string(1, "text")
                .instance(2, "app.Pair", ref(1), ref(1))
                .instance(3, "app.Pair", ref(2), ref(2))
                .stickyClassRoot("app.Pair");
        byte[] dump = w.toBytes();
        DumpMap map = DumpMap.of(dump);
        // java.lang.String's field 'coder' (a byte) declared as an object
        long string = w.classIdOf("java.lang.String");
        DumpMap.ClassRecord c = map.classes.stream().filter(k -> k.id() == string).findFirst().orElseThrow();
        byte[] coderAnObject = dump.clone();
        int coder = map.typeTags.intStream().filter(at -> at > c.offset() && (dump[at] & 0xFF) == 8).findFirst().orElseThrow();
        coderAnObject[coder] = 2;
        ObjectGraph lenient = graph(coderAnObject, true);
        dev.heaplens.graph.HeapInstance text = new dev.heaplens.graph.HeapInstance(lenient, lenient.indexOf(1));
        assertEquals(null, text.asString());
        assertTrue(text.toString().contains("\"null\""), text.toString());
        // the first Pair's field data cut to one id: its 'right' is not there
        DumpMap.SubRecord pair = map.subRecords.stream().filter(s -> s.tag() == 0x21 && map.ownIds.contains(s.offset() + 1))
                .filter(s -> java.nio.ByteBuffer.wrap(dump).getLong(s.offset() + 1) == 2).findFirst().orElseThrow();
        int lengthAt = pair.offset() + 1 + 8 + 4 + 8;
        byte[] shortData = new byte[dump.length - 8];
        System.arraycopy(dump, 0, shortData, 0, pair.end() - 8);
        System.arraycopy(dump, pair.end(), shortData, pair.end() - 8, dump.length - pair.end());
        putU4(shortData, lengthAt, 8);
        int segment = map.records.get(pair.record()).offset() + 5;
        putU4(shortData, segment, u4(shortData, segment) - 8);
        assertTrue(rejected(shortData).getMessage().contains("has 8 bytes of field data but class app.Pair declares 16"));
        ObjectGraph cut = graph(shortData, true);
        dev.heaplens.graph.HeapInstance first = new dev.heaplens.graph.HeapInstance(cut, cut.indexOf(2));
        assertTrue(first.get("left") instanceof dev.heaplens.graph.HeapInstance s && "text".equals(s.asString()));
        assertEquals(null, first.get("right"), "not the tag and id of the next record");
    }

    /**
     * Ids on both sides of 2^63 (here a bit flip in the top byte of one id) span more than
     * {@code Long.MAX_VALUE}: the id index missed every lookup, every reference was dropped as
     * dangling, and class objects had no index (IllegalArgumentException in the object views).
     * Also found on real dumps: jdk17.hprof:10055718, jdk17.hprof.gz:10072772.
     */
    @Test
    void idsOnBothSidesOfTwoToThe63Resolve() {
        replaysClean("fixture8-segments.hprof:10003159", "BIT_FLIPS: 7369.1 4808.6 1093.7 7022.0 3608.7 6236.2");
        long high = 0x8000_0000_0000_0010L;
        byte[] dump = HprofWriter.create(8)
                .classDump("app.Node", fields("next", OBJECT))
                .instance(0x10, "app.Node", ref(high))
                .instance(high, "app.Node", ref(0x10))
                .stickyClassRoot("app.Node")
                .unknownRoot(0x10)
                .toBytes();
        for (boolean lenient : new boolean[] {false, true}) {
            ObjectGraph g = graph(dump, lenient);
            int low = g.indexOf(0x10);
            int top = g.indexOf(high);
            assertTrue(low >= 0 && top >= 0);
            assertTrue(edgesOf(g, low).contains(top) && edgesOf(g, top).contains(low), "the references between them are kept");
            assertTrue(ShortestPaths.compute(g).pathTo(top).isPresent());
            for (int obj = 0; obj < g.objectCount(); obj++) {
                if (g.isClassObject(obj)) {
                    assertEquals(obj, g.classes().classObjectIndex(g.classes().indexOfId(g.id(obj))), "class objects have their index");
                }
            }
        }
    }

    private static List<Integer> edgesOf(ObjectGraph g, int obj) {
        List<Integer> out = new java.util.ArrayList<>();
        for (long e = g.edgeStart(obj); e < g.edgeEnd(obj); e++) {
            out.add(g.edgeTarget(e));
        }
        return out;
    }

    private static void putId(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
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
}

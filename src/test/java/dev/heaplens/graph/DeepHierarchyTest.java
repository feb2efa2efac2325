package dev.heaplens.graph;

import dev.heaplens.hprof.HprofFile;
import dev.heaplens.hprof.HprofFormatException;
import dev.heaplens.hprof.HprofWriter;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.heaplens.hprof.BasicType.INT;
import static dev.heaplens.hprof.BasicType.OBJECT;
import static dev.heaplens.hprof.HprofWriter.fields;
import static dev.heaplens.hprof.HprofWriter.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile hierarchies: superclass chains thousands of classes deep, and chains that loop. The class
 * table walked every class's whole chain three times (cycle check, field offsets, the referent's
 * offset), so a 3 MB dump of 20,000 classes in one chain took 7.5 s to open; each class is now
 * computed once from its superclass.
 */
class DeepHierarchyTest {
    private static final Path NAME = Path.of("deep.hprof");

    private static ObjectGraph graph(byte[] dump, boolean lenient) {
        return new GraphBuilder(HprofFile.wrap(NAME, dump, 20)).lenient(lenient).threads(1).build();
    }

    @Test
    void fieldOffsetsOfADeepHierarchyUnderAReferenceClass() {
        int depth = 2000;
        HprofWriter w = HprofWriter.create(8);
        for (int i = 0; i < depth; i++) {
            w.classDump("app.C" + i, i == 0 ? "java.lang.ref.WeakReference" : "app.C" + (i - 1),
                    i % 2 == 0 ? fields("r" + i, OBJECT) : fields("i" + i, INT));
        }
        Map<String, HprofWriter.Value> values = new HashMap<>();
        values.put("referent", ref(0x10));
        values.put("r0", ref(0x20));
        values.put("r1998", ref(0x30));
        w.instance(1, "app.C" + (depth - 1), values).instance(0x10, "app.C0", Map.of()).instance(0x20, "app.C0", Map.of())
                .instance(0x30, "app.C0", Map.of()).stickyClassRoot("app.C0").unknownRoot(1);
        ObjectGraph g = graph(w.toBytes(), false);
        ClassTable classes = g.classes();
        int deepest = classes.find("app.C" + (depth - 1));
        assertEquals(depth / 2 * 8 + depth / 2 * 4 + 4 * 8, classes.entry(deepest).dumpInstanceBytes);
        int[] refs = classes.entry(deepest).referenceOffsets;
        assertEquals(depth / 2 + 4, refs.length);
        int referentAt = depth / 2 * 8 + depth / 2 * 4; // Reference's own fields come last; referent is its first
        assertEquals(referentAt, refs[0], "the referent goes first");
        assertTrue(classes.entry(deepest).referentFirst);
        assertEquals(4, refs[1], "then r1998, after C1999's int");
        List<Long> targets = new ArrayList<>();
        g.forEachReference(g.indexOf(1), t -> targets.add(g.id(t)));
        assertEquals(List.of(0x10L, 0x30L, 0x20L), targets.subList(0, 3));
    }

    @Test
    void aChainOfTwentyThousandClassesOpensWithoutWalkingItForEachClass() {
        HprofWriter w = HprofWriter.create(8).classDump("app.C0", fields("f0", INT));
        int depth = 20_000;
        for (int i = 1; i < depth; i++) {
            w.classDump("app.C" + i, "app.C" + (i - 1), fields("f" + i, INT));
        }
        byte[] dump = w.stickyClassRoot("app.C0").toBytes();
        // a hang guard, not a benchmark: about 0.5 s here, five times that on a busy machine; the walk per class took 7.5 s
        ObjectGraph g = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> graph(dump, false));
        assertEquals(depth * 4, g.classes().entry(g.classes().find("app.C" + (depth - 1))).dumpInstanceBytes);
    }

    @Test
    void aSuperclassChainThatLoopsIsRejectedNamingTheFirstClassThatReachesIt() {
        HprofWriter w = HprofWriter.create(8)
                .classDump("app.A", fields())
                .classDump("app.B", "app.A", fields())
                .classDump("app.C", "app.B", fields())
                .classDump("app.D", "app.C", fields())
                .stickyClassRoot("app.D");
        byte[] dump = w.toBytes();
        // app.A's superclass becomes app.C: A -> C -> B -> A
        int superAt = classRecord(dump, w.classIdOf("app.A")) + 1 + 8 + 4;
        ByteBuffer.wrap(dump).putLong(superAt, w.classIdOf("app.C"));
        for (boolean lenient : new boolean[] {false, true}) {
            HprofFormatException e = assertThrows(HprofFormatException.class, () -> graph(dump, lenient));
            assertTrue(e.getMessage().matches(".*in HEAP DUMP / CLASS DUMP: the superclass chain of app\\.[ABCD] is a cycle"), e.getMessage());
        }
    }

    /** Offset of the CLASS DUMP of {@code classId}: its tag followed by the id. */
    private static int classRecord(byte[] dump, long classId) {
        ByteBuffer b = ByteBuffer.wrap(dump);
        for (int i = 0; i + 9 <= dump.length; i++) {
            if ((dump[i] & 0xFF) == 0x20 && b.getLong(i + 1) == classId) {
                return i;
            }
        }
        throw new AssertionError("no CLASS DUMP of 0x" + Long.toHexString(classId));
    }
}

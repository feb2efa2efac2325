package dev.heaplens.diff;

import dev.heaplens.Heap;
import dev.heaplens.HeapOptions;
import dev.heaplens.graph.VmLayout;
import dev.heaplens.hprof.HprofWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.heaplens.hprof.BasicType.BYTE;
import static dev.heaplens.hprof.BasicType.INT;
import static dev.heaplens.hprof.BasicType.OBJECT;
import static dev.heaplens.hprof.HprofWriter.fields;
import static dev.heaplens.hprof.HprofWriter.frame;
import static dev.heaplens.hprof.HprofWriter.ref;
import static dev.heaplens.hprof.HprofWriter.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Path aggregation on an exact fixture: every path, its objects, shallow and retained bytes. */
class HeapSummaryTest {
    @TempDir
    Path temp;

    /**
     * Registry.SESSIONS: a map whose table holds a chain 3 → 4 → 5 and node 6, with sessions 10..13;
     * Registry.LISTENERS: a list of listeners 30, 31; session 14 is held by node 6's key and by
     * listener 31, so only the class holds it; Registry.CHAIN: a doubly linked list 41 ⇄ 42 ⇄ 43; a
     * task on thread "worker"'s stack; a JNI global array.
     */
    static HprofWriter fixture() {
        HprofWriter w = HprofWriter.create(8)
                .classDump("com.acme.Registry")
                .classDump("com.acme.Map", fields("table", OBJECT))
                .classDump("com.acme.Node", fields("key", OBJECT, "value", OBJECT, "next", OBJECT))
                .classDump("com.acme.Session", fields("id", INT, "data", OBJECT))
                .classDump("com.acme.List", fields("items", OBJECT))
                .classDump("com.acme.Listener", fields("target", OBJECT))
                .classDump("com.acme.Chain", fields("first", OBJECT, "last", OBJECT))
                .classDump("com.acme.Link", fields("prev", OBJECT, "next", OBJECT))
                .classDump("com.acme.Task")
                .staticField("com.acme.Registry", "SESSIONS", ref(1))
                .staticField("com.acme.Registry", "LISTENERS", ref(20))
                .staticField("com.acme.Registry", "CHAIN", ref(40))
                .instance(1, "com.acme.Map", ref(2))
                .objectArray(2, "com.acme.Node[]", ref(3), ref(6), ref(0), ref(0))
                .instance(3, "com.acme.Node", ref(0), ref(10), ref(4))
                .instance(4, "com.acme.Node", ref(0), ref(11), ref(5))
                .instance(5, "com.acme.Node", ref(0), ref(12), ref(0))
                .instance(6, "com.acme.Node", ref(14), ref(13), ref(0))
                .instance(20, "com.acme.List", ref(21))
                .objectArray(21, "java.lang.Object[]", ref(30), ref(31))
                .instance(30, "com.acme.Listener", ref(0))
                .instance(31, "com.acme.Listener", ref(14))
                .instance(40, "com.acme.Chain", ref(41), ref(43))
                .instance(41, "com.acme.Link", ref(0), ref(42))
                .instance(42, "com.acme.Link", ref(41), ref(43))
                .instance(43, "com.acme.Link", ref(42), ref(0))
                .instance(50, "com.acme.Task")
                .thread(200, "worker", frame("com.acme.Task", "run", 7).locals(50))
                .objectArray(60, "java.lang.Object[]", ref(61))
                .instance(61, "com.acme.Listener", ref(0))
                .jniGlobalRoot(60)
                .stickyClassRoot("com.acme.Registry");
        for (int s = 10; s <= 14; s++) {
            w.instance(s, "com.acme.Session", value(s), ref(100 + s));
            w.primitiveArray(100 + s, BYTE, new byte[8]);
        }
        return w;
    }

    static Heap open(Path dump) {
        return Heap.open(dump, HeapOptions.defaults().layout(VmLayout.compressed()));
    }

    private static Map<String, long[]> byText(HeapSummary s) {
        Map<String, long[]> out = new HashMap<>();
        for (RetentionPath p : s.paths()) {
            long[] old = out.put(p.toString(), new long[] {s.count(p), s.shallowBytes(p), s.retainedBytes(p)});
            assertEquals(null, old, "two paths print alike: " + p);
        }
        return out;
    }

    @Test
    void everyPathWithItsObjectsShallowAndRetainedBytes() throws IOException {
        try (Heap heap = open(fixture().write(temp))) {
            HeapSummary s = HeapSummary.of(heap);
            Map<String, long[]> paths = byText(s);
            // compressed oops: header 12, references 4, arrays 16 + elements, all aligned to 8
            Map<String, long[]> expected = Map.ofEntries(
                    Map.entry("static Registry.SESSIONS → com.acme.Map", new long[] {1, 16, 16 + 32 + 96 * 3}),
                    Map.entry("static Registry.SESSIONS → Map.table → com.acme.Node[]", new long[] {1, 32, 32 + 96 * 3}),
                    // 3 → 4 → 5 is one chain: the links stay on the first link's path
                    Map.entry("static Registry.SESSIONS → Map.table → Node[*] → com.acme.Node", new long[] {4, 96, 96 * 3}),
                    Map.entry("static Registry.SESSIONS → Map.table → Node[*] → Node.value → com.acme.Session", new long[] {4, 96, 96 * 2}),
                    Map.entry("static Registry.SESSIONS → Map.table → Node[*] → Node.value → Session.data → byte[]",
                            new long[] {4, 96, 96}),
                    Map.entry("static Registry.LISTENERS → com.acme.List", new long[] {1, 16, 16 + 24 + 32}),
                    Map.entry("static Registry.LISTENERS → List.items → java.lang.Object[]", new long[] {1, 24, 24 + 32}),
                    Map.entry("static Registry.LISTENERS → List.items → Object[*] → com.acme.Listener", new long[] {2, 32, 32}),
                    // held by a node and a listener: only the class dominates it
                    Map.entry("Registry.* → com.acme.Session", new long[] {1, 24, 48}),
                    Map.entry("Registry.* → Session.data → byte[]", new long[] {1, 24, 24}),
                    Map.entry("static Registry.CHAIN → com.acme.Chain", new long[] {1, 24, 24 + 3 * 24}),
                    Map.entry("static Registry.CHAIN → Chain.first → com.acme.Link", new long[] {1, 24, 24}),
                    Map.entry("static Registry.CHAIN → Chain.last → com.acme.Link", new long[] {1, 24, 24}),
                    // the middle of a doubly linked list: held by both neighbours, inside the list
                    Map.entry("static Registry.CHAIN → Chain.* → com.acme.Link", new long[] {1, 24, 24}),
                    Map.entry("thread \"worker\" → local variable → com.acme.Task", new long[] {1, 16, 16}),
                    Map.entry("GC root: JNI global → java.lang.Object[]", new long[] {1, 24, 24 + 16}),
                    Map.entry("GC root: JNI global → Object[*] → com.acme.Listener", new long[] {1, 16, 16}));
            for (Map.Entry<String, long[]> e : expected.entrySet()) {
                long[] actual = paths.get(e.getKey());
                assertTrue(actual != null, "no path " + e.getKey() + " in\n" + String.join("\n", paths.keySet()));
                assertEquals(List.of(e.getValue()[0], e.getValue()[1], e.getValue()[2]), List.of(actual[0], actual[1], actual[2]),
                        "count, shallow, retained of " + e.getKey());
            }
            // the paths partition the reachable heap: path starts add up to it, every object is on one path
            long startBytes = 0;
            long objects = 0;
            for (RetentionPath p : s.paths()) {
                objects += s.count(p);
                if (p.length() == 1) {
                    startBytes += s.retainedBytes(p);
                }
            }
            assertEquals(heap.dominators().reachableBytes(), startBytes);
            assertEquals(heap.dominators().reachableCount(), objects);
            assertEquals(heap.dominators().reachableCount(), s.reachableCount());
            assertEquals(1, s.count(new RetentionPath(List.of(new RetentionPath.Step(RetentionPath.Via.CLASS, "",
                    ClassKey.bootstrap("com.acme.Registry"))))));
        }
    }
}

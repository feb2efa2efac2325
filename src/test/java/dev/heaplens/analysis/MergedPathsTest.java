package dev.heaplens.analysis;

import dev.heaplens.Heap;
import dev.heaplens.HeapOptions;
import dev.heaplens.analysis.MergedPaths.Branch;
import dev.heaplens.fixtures.RegistryLeakWorkload;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.graph.VmLayout;
import dev.heaplens.hprof.HprofWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.heaplens.hprof.BasicType.BYTE;
import static dev.heaplens.hprof.BasicType.INT;
import static dev.heaplens.hprof.BasicType.OBJECT;
import static dev.heaplens.hprof.HprofWriter.fields;
import static dev.heaplens.hprof.HprofWriter.ref;
import static dev.heaplens.hprof.HprofWriter.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Merged shortest paths of object sets: exact trees on fixtures, and one branch for a real leak. */
class MergedPathsTest {
    @TempDir
    Path temp;

    /**
     * Sessions 10..15 in a map (15 behind a .next collision), sessions 16 and 17 in a list with large
     * payloads, 18 held only by a weak reference, 19 garbage.
     */
    private Path sessions() throws IOException {
        HprofWriter w = HprofWriter.create(8)
                .classDump("com.acme.Registry")
                .classDump("com.acme.Map", fields("table", OBJECT))
                .classDump("com.acme.Node", fields("key", OBJECT, "value", OBJECT, "next", OBJECT))
                .classDump("com.acme.List", fields("items", OBJECT))
                .classDump("com.acme.Session", fields("id", INT, "data", OBJECT))
                .staticField("com.acme.Registry", "SESSIONS", ref(1))
                .staticField("com.acme.Registry", "OTHER", ref(20))
                .staticField("com.acme.Registry", "WEAK", ref(40))
                .instance(1, "com.acme.Map", ref(2))
                .objectArray(2, "com.acme.Node[]", ref(3), ref(0), ref(4), ref(5), ref(6), ref(7))
                .instance(3, "com.acme.Node", ref(0), ref(10), ref(0))
                .instance(4, "com.acme.Node", ref(0), ref(11), ref(0))
                .instance(5, "com.acme.Node", ref(0), ref(12), ref(0))
                .instance(6, "com.acme.Node", ref(0), ref(13), ref(0))
                .instance(7, "com.acme.Node", ref(0), ref(14), ref(8))
                .instance(8, "com.acme.Node", ref(0), ref(15), ref(0))
                .instance(20, "com.acme.List", ref(21))
                .objectArray(21, "java.lang.Object[]", ref(16), ref(17))
                .instance(40, "java.lang.ref.WeakReference", Map.of("referent", ref(18)))
                .stickyClassRoot("com.acme.Registry");
        for (int s = 10; s <= 19; s++) {
            w.instance(s, "com.acme.Session", value(s), ref(100 + s));
            w.primitiveArray(100 + s, BYTE, new byte[s == 16 || s == 17 ? 200 : 8]);
        }
        return w.write(temp);
    }

    private static Heap open(Path dump) {
        return Heap.open(dump, HeapOptions.defaults().layout(VmLayout.compressed()));
    }

    @Test
    void oneBranchPerHolderWithCountsAndRetainedSizesLargestFirst() throws IOException {
        try (Heap heap = open(sessions())) {
            ObjectGraph g = heap.graph();
            DominatorTree tree = DominatorTree.compute(g);
            RoaringBitmap all = heap.instanceIndices("com.acme.Session");
            assertEquals(10, all.getCardinality());
            MergedPaths merged = MergedPaths.of(ShortestPaths.compute(g), all, tree);

            // a session: 24 bytes; with byte[8] 24 more, with byte[200] 216 more
            assertEquals(48, tree.retainedSize(g.indexOf(10)));
            assertEquals(240, tree.retainedSize(g.indexOf(16)));
            assertEquals(10, merged.objectCount());
            assertEquals(8, merged.withPath());
            assertEquals(1, merged.referentsOnly());
            assertEquals(1, merged.unreachable());
            assertEquals(6 * 48 + 2 * 240, merged.retainedSize());

            assertEquals(1, merged.roots().size());
            Branch root = merged.roots().get(0);
            assertEquals("GC root: system class", root.step());
            assertEquals("com.acme.Registry", root.className());
            assertEquals(g.classes().classObjectIndex(g.classes().find("com.acme.Registry")), root.example());
            // the list's two sessions retain more than the map's six: retained size orders the branches
            assertEquals(List.of("static Registry.OTHER", "static Registry.SESSIONS"),
                    root.children().stream().map(Branch::step).toList());
            Branch bucket = root.child("static Registry.SESSIONS").orElseThrow()
                    .child(".table").orElseThrow().child("[]").orElseThrow();
            assertEquals("com.acme.Node", bucket.className());
            assertEquals(6, bucket.count());
            assertEquals(5, bucket.child(".value").orElseThrow().count());
            assertEquals(1, bucket.child(".next").orElseThrow().child(".value").orElseThrow().count());

            assertEquals("""
                    Merged paths from GC roots to 10 objects (retained 768 bytes)
                    count  retained bytes  path
                    -----  --------------  -----------------------------------------
                        8             768  GC root: system class com.acme.Registry
                        2             480    static Registry.OTHER → com.acme.List
                        2             480      .items → java.lang.Object[]
                        2             480        [] → com.acme.Session
                        6             288    static Registry.SESSIONS → com.acme.Map
                        6             288      .table → com.acme.Node[]
                        6             288        [] → com.acme.Node
                        5             240          .value → com.acme.Session
                        1              48          .next → com.acme.Node
                        1              48            .value → com.acme.Session
                    No path from a GC root: 2 objects (1 reachable only through referents, 1 unreachable)
                    """, merged.toString());
        }
    }

    @Test
    void withoutADominatorTreeCountsOnlyAndTheLargestCountFirst() throws IOException {
        try (Heap heap = open(sessions())) {
            ObjectGraph g = heap.graph();
            MergedPaths merged = MergedPaths.of(ShortestPaths.compute(g), heap.instanceIndices("com.acme.Session"));
            assertFalse(merged.hasRetainedSizes());
            assertEquals(-1, merged.retainedSize());
            Branch root = merged.roots().get(0);
            assertEquals(List.of("static Registry.SESSIONS", "static Registry.OTHER"),
                    root.children().stream().map(Branch::step).toList());
            assertEquals(-1, root.retainedSize());
            String text = merged.toString();
            assertTrue(text.startsWith("""
                    Merged paths from GC roots to 10 objects
                    count  path
                    -----  ----"""), text);
            assertTrue(text.contains("\n    6    static Registry.SESSIONS → com.acme.Map\n"), text);
            String cut = merged.toString(3);
            assertTrue(cut.contains("… 7 more branches\nNo path from a GC root: 2 objects"), cut);
        }
    }

    @Test
    void objectsDominatedByOthersOfTheSetCountOnce() throws IOException {
        // HEAD → t1 → t2 → t3, each with a byte[16]: a chain of 24 + 32 byte links
        Path dump = HprofWriter.create(8)
                .classDump("com.acme.Chains")
                .classDump("com.acme.Link", fields("next", OBJECT, "data", OBJECT))
                .staticField("com.acme.Chains", "HEAD", ref(1))
                .instance(1, "com.acme.Link", ref(2), ref(11))
                .instance(2, "com.acme.Link", ref(3), ref(12))
                .instance(3, "com.acme.Link", ref(0), ref(13))
                .primitiveArray(11, BYTE, new byte[16])
                .primitiveArray(12, BYTE, new byte[16])
                .primitiveArray(13, BYTE, new byte[16])
                .stickyClassRoot("com.acme.Chains")
                .write(temp);
        try (Heap heap = open(dump)) {
            ObjectGraph g = heap.graph();
            DominatorTree tree = DominatorTree.compute(g);
            ShortestPaths paths = ShortestPaths.compute(g);
            int t1 = g.indexOf(1);
            int t2 = g.indexOf(2);
            int t3 = g.indexOf(3);
            long link = 24 + 32;
            assertEquals(2 * link, tree.retainedSize(t2));
            assertTrue(tree.retainedSize(t1) > 3 * link, "t1 also keeps the classes only these objects point at");

            MergedPaths all = MergedPaths.of(paths, RoaringBitmap.bitmapOf(t1, t2, t3), tree);
            assertEquals(tree.retainedSize(t1), all.retainedSize(), "t2 and t3 are inside t1's retained size");
            Branch head = all.roots().get(0).child("static Chains.HEAD").orElseThrow();
            Branch second = head.child(".next").orElseThrow();
            Branch third = second.child(".next").orElseThrow();
            assertEquals(List.of(3, 2, 1), List.of(head.count(), second.count(), third.count()));
            assertEquals(List.of(tree.retainedSize(t1), tree.retainedSize(t2), tree.retainedSize(t3)),
                    List.of(head.retainedSize(), second.retainedSize(), third.retainedSize()));

            MergedPaths ends = MergedPaths.of(paths, RoaringBitmap.bitmapOf(t1, t3), tree);
            assertEquals(tree.retainedSize(t1), ends.retainedSize());
            Branch middle = ends.roots().get(0).child("static Chains.HEAD").orElseThrow().child(".next").orElseThrow();
            assertEquals(1, middle.count());
            assertEquals(tree.retainedSize(t3), middle.retainedSize(), "t2 is not in the set: only t3's bytes below it");

            MergedPaths none = MergedPaths.of(paths, new RoaringBitmap(), tree);
            assertEquals(List.of(), none.roots());
            assertEquals(0, none.retainedSize());
        }
    }

    /** All {@code Leaked} objects of a real JVM hang from one branch: the static map. */
    @Test
    void aRealLeakIsOneBranchWithCountN() {
        try (Heap heap = Heap.open(RegistryLeakDump.get())) {
            ObjectGraph g = heap.graph();
            DominatorTree tree = DominatorTree.compute(g);
            RoaringBitmap leaked = heap.instanceIndices(RegistryLeakWorkload.Leaked.class.getName());
            MergedPaths merged = MergedPaths.of(ShortestPaths.compute(g), leaked, tree);
            int n = RegistryLeakDump.LEAKED;
            assertEquals(n, merged.withPath());
            assertEquals(1, merged.roots().size(), merged.toString());
            assertEquals(n, merged.roots().get(0).count());
            assertEquals(n * 80L, merged.retainedSize(), "each Leaked and its byte[40]: 24 + 56 bytes");

            // down a single chain of one-child branches to the static map, then the shape of a HashMap
            Branch b = merged.roots().get(0);
            while (!b.step().equals("static RegistryLeakWorkload$Registry.REGISTRY")) {
                assertEquals(1, b.children().size(), merged.toString());
                b = b.children().get(0);
                assertEquals(n, b.count());
            }
            assertEquals("java.util.HashMap", b.className());
            assertEquals(n * 80L, b.retainedSize());
            Branch nodes = b.child(".table").orElseThrow().child("[]").orElseThrow();
            assertEquals("java.util.HashMap$Node", nodes.className());
            assertEquals(n, nodes.count());

            // every leaf is the Leaked class, reached by .value; the leaves' counts add up to N
            int leaves = 0;
            ArrayDeque<Branch> stack = new ArrayDeque<>(List.of(nodes));
            List<String> steps = new ArrayList<>();
            while (!stack.isEmpty()) {
                Branch x = stack.pop();
                if (x.children().isEmpty()) {
                    assertEquals(".value", x.step());
                    assertEquals(RegistryLeakWorkload.Leaked.class.getName(), x.className());
                    leaves += x.count();
                } else {
                    steps.addAll(x.children().stream().map(Branch::step).toList());
                    stack.addAll(x.children());
                }
            }
            assertEquals(n, leaves);
            assertTrue(steps.stream().allMatch(s -> s.equals(".value") || s.equals(".next")), steps.toString());
            assertTrue(merged.toString().contains("static RegistryLeakWorkload$Registry.REGISTRY → java.util.HashMap"));
        }
    }
}

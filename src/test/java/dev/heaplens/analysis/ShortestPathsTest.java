package dev.heaplens.analysis;

import dev.heaplens.Heap;
import dev.heaplens.HeapOptions;
import dev.heaplens.analysis.ShortestPaths.Reachability;
import dev.heaplens.fixtures.RegistryLeakWorkload;
import dev.heaplens.graph.HeapInstance;
import dev.heaplens.graph.HeapObject;
import dev.heaplens.graph.HeapObjectArray;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.graph.VmLayout;
import dev.heaplens.hprof.HprofWriter;
import dev.heaplens.hprof.RootKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.heaplens.hprof.BasicType.INT;
import static dev.heaplens.hprof.BasicType.OBJECT;
import static dev.heaplens.hprof.HprofWriter.fields;
import static dev.heaplens.hprof.HprofWriter.frame;
import static dev.heaplens.hprof.HprofWriter.ref;
import static dev.heaplens.hprof.HprofWriter.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Exact shortest paths from GC roots on {@link HprofWriter} fixtures, a random-graph oracle, and a real leak. */
class ShortestPathsTest {
    @TempDir
    Path temp;

    private static Heap open(Path dump) {
        return Heap.open(dump, HeapOptions.defaults().layout(VmLayout.compressed()));
    }

    /** The classic: a system class's static map → table → bucket → node → session. */
    private HprofWriter registryFixture() {
        return HprofWriter.create(8)
                .classDump("com.acme.Registry")
                .classDump("com.acme.Map", fields("table", OBJECT))
                .classDump("com.acme.Node", fields("key", OBJECT, "value", OBJECT, "next", OBJECT))
                .classDump("com.acme.Session", fields("id", INT))
                .staticField("com.acme.Registry", "SESSIONS", ref(1))
                .instance(1, "com.acme.Map", ref(2))
                .objectArray(2, "com.acme.Node[]", ref(0), ref(3))
                .instance(3, "com.acme.Node", ref(0), ref(4), ref(0))
                .instance(4, "com.acme.Session", value(7))
                .stickyClassRoot("com.acme.Registry");
    }

    @Test
    void staticFieldOfASystemClassStartsThePathAndEveryHopIsNamed() throws IOException {
        try (Heap heap = open(registryFixture().write(temp))) {
            ObjectGraph g = heap.graph();
            ShortestPaths paths = ShortestPaths.compute(g);
            GcRootPath path = paths.pathTo(g.indexOf(4)).orElseThrow();

            RootStep root = path.root();
            assertEquals(RootKind.STICKY_CLASS, root.kind());
            assertEquals("com.acme.Registry", root.className());
            assertTrue(root.target().classObject());
            assertNull(root.threadName());
            List<PathStep> hops = path.steps().subList(1, path.steps().size());
            assertEquals(new StaticStep("com.acme.Registry", "SESSIONS", node(g, 1, "com.acme.Map", 16)), hops.get(0));
            assertEquals(new FieldStep("com.acme.Map", "table", node(g, 2, "com.acme.Node[]", 24)), hops.get(1));
            assertEquals(new ArrayStep(1, node(g, 3, "com.acme.Node", 24)), hops.get(2), "index 1: element 0 is null");
            assertEquals(new FieldStep("com.acme.Node", "value", node(g, 4, "com.acme.Session", 16)), hops.get(3));
            assertEquals(4, path.length());
            assertEquals(4, paths.distance(g.indexOf(4)));
            assertEquals(Reachability.STRONG, paths.reachability(g.indexOf(4)));

            assertEquals("""
                    GC root: system class com.acme.Registry
                      static Registry.SESSIONS  → com.acme.Map@0x1 (16 bytes)
                      .table                    → com.acme.Node[]@0x2 (24 bytes)
                      [1]                       → com.acme.Node@0x3 (24 bytes)
                      .value                    → com.acme.Session@0x4 (16 bytes)
                    """, path.toString());
            assertEquals(path.toString(), paths.explain(g.indexOf(4)));
        }
    }

    @Test
    void retainedSizesAnnotateEveryObjectWhenADominatorTreeIsGiven() throws IOException {
        try (Heap heap = open(registryFixture().write(temp))) {
            ObjectGraph g = heap.graph();
            DominatorTree tree = DominatorTree.compute(g);
            GcRootPath path = ShortestPaths.compute(g).pathTo(g.indexOf(4), tree).orElseThrow();
            for (PathNode n : path.nodes()) {
                assertEquals(tree.retainedSize(n.index()), n.retainedSize());
            }
            // the map retains the whole chain, and the class objects only these instances keep alive
            assertTrue(path.steps().get(1).target().retainedSize() >= 16 + 24 + 24 + 16);
            long session = tree.retainedSize(g.indexOf(4));
            assertTrue(path.toString().contains(".value                    → com.acme.Session@0x4 (16 bytes, retained "
                    + dev.heaplens.text.TextTable.humanBytes(session) + ")"),
                    path.toString());
        }
    }

    @Test
    void localVariableRootNamesTheThreadAndTheFrame() throws IOException {
        Path dump = HprofWriter.create(8)
                .classDump("com.acme.Worker", fields("task", OBJECT))
                .classDump("com.acme.Task")
                .instance(10, "com.acme.Worker", ref(11))
                .instance(11, "com.acme.Task")
                .thread(100, "worker-1", frame("java.lang.Thread", "sleep", -3),
                        frame("com.acme.Worker", "run", 42).locals(10))
                .write(temp);
        try (Heap heap = open(dump)) {
            ObjectGraph g = heap.graph();
            ShortestPaths paths = ShortestPaths.compute(g);
            GcRootPath path = paths.pathTo(g.indexOf(11)).orElseThrow();
            RootStep root = path.root();
            assertEquals(RootKind.JAVA_FRAME, root.kind());
            assertEquals("worker-1", root.threadName());
            assertEquals("com.acme.Worker", root.frame().className());
            assertEquals("run", root.frame().method());
            assertEquals(42, root.frame().line());
            assertNull(root.className());
            assertEquals(new FieldStep("com.acme.Worker", "task", node(g, 11, "com.acme.Task", 16)), path.steps().get(1));
            assertEquals("""
                    GC root: local variable in thread "worker-1" at com.acme.Worker.run(Worker.java:42) → com.acme.Worker@0xa (16 bytes)
                      .task  → com.acme.Task@0xb (16 bytes)
                    """, path.toString());
            assertEquals(Reachability.GC_ROOT, paths.reachability(g.indexOf(10)));
            assertEquals(0, paths.pathTo(g.indexOf(10)).orElseThrow().length());

            // the thread object is a root of its own, named too; its name string hangs from it
            int thread = g.indexOf(100);
            RootStep threadRoot = paths.pathTo(thread).orElseThrow().root();
            assertEquals(RootKind.THREAD_OBJECT, threadRoot.kind());
            assertEquals("worker-1", threadRoot.threadName());
            GcRootPath toName = paths.pathTo(g.indexOf(nameOf(heap, 100))).orElseThrow();
            assertEquals("name", ((FieldStep) toName.steps().get(1)).field());
            assertTrue(toName.toString().startsWith("GC root: thread \"worker-1\" → java.lang.Thread@0x64"), toName.toString());
        }
    }

    private static long nameOf(Heap heap, long threadId) {
        return ((HeapInstance) ((HeapInstance) heap.object(threadId)).get("name")).id();
    }

    @Test
    void jniGlobalRoot() throws IOException {
        Path dump = HprofWriter.create(8)
                .classDump("com.acme.Holder", fields("held", OBJECT))
                .instance(20, "com.acme.Holder", ref(21))
                .instance(21, "com.acme.Holder", ref(0))
                .jniGlobalRoot(20)
                .write(temp);
        try (Heap heap = open(dump)) {
            ObjectGraph g = heap.graph();
            GcRootPath path = ShortestPaths.compute(g).pathTo(g.indexOf(21)).orElseThrow();
            assertEquals(RootKind.JNI_GLOBAL, path.root().kind());
            assertEquals("""
                    GC root: JNI global → com.acme.Holder@0x14 (16 bytes)
                      .held  → com.acme.Holder@0x15 (16 bytes)
                    """, path.toString());
        }
    }

    @Test
    void referentsOfWeakAndSoftReferencesAreNeverFollowed() throws IOException {
        Path dump = HprofWriter.create(8)
                .classDump("com.acme.Cache", fields("weak", OBJECT, "soft", OBJECT, "weak2", OBJECT, "strong", OBJECT))
                .classDump("com.acme.Holder", fields("a", OBJECT))
                .classDump("com.acme.Payload")
                .classDump("com.acme.Queue")
                .instance(1, "com.acme.Cache", ref(2), ref(9), ref(8), ref(4))
                .instance(2, "java.lang.ref.WeakReference", Map.of("referent", ref(3), "queue", ref(6)))
                .instance(3, "com.acme.Payload")                          // only a weak referent holds it
                .instance(9, "java.lang.ref.SoftReference", Map.of("referent", ref(10)))
                .instance(10, "com.acme.Payload")                         // only a soft referent holds it
                .instance(8, "java.lang.ref.WeakReference", Map.of("referent", ref(7)))
                .instance(4, "com.acme.Holder", ref(5))
                .instance(5, "com.acme.Holder", ref(7))
                .instance(7, "com.acme.Payload")                          // weakly at 2 hops, strongly at 3
                .instance(6, "com.acme.Queue")
                .instance(11, "java.lang.ref.WeakReference", Map.of("referent", ref(12)))
                .instance(12, "com.acme.Payload")                         // referent of an unreachable reference
                .jniGlobalRoot(1)
                .write(temp);
        try (Heap heap = open(dump)) {
            ObjectGraph g = heap.graph();
            ShortestPaths paths = ShortestPaths.compute(g);
            int weakOnly = g.indexOf(3);
            assertTrue(paths.pathTo(weakOnly).isEmpty());
            assertEquals(ShortestPaths.UNREACHED, paths.parent(weakOnly));
            assertEquals(-1, paths.distance(weakOnly));
            assertEquals(Reachability.REFERENTS_ONLY, paths.reachability(weakOnly));
            assertEquals(Reachability.REFERENTS_ONLY, paths.reachability(g.indexOf(10)));
            assertEquals("No path from a GC root: com.acme.Payload@0x3 (16 bytes) is reachable only through the referent"
                    + " of a weak, soft, phantom or final reference\n", paths.explain(weakOnly));

            GcRootPath around = paths.pathTo(g.indexOf(7)).orElseThrow();
            assertEquals(3, around.length(), "the strong route, though the weak one is shorter");
            assertEquals(List.of("strong", "a", "a"), around.steps().subList(1, 4).stream().map(s -> ((FieldStep) s).field()).toList());

            // a reference's other fields are strong
            GcRootPath toQueue = paths.pathTo(g.indexOf(6)).orElseThrow();
            assertEquals(new FieldStep("java.lang.ref.Reference", "queue", node(g, 6, "com.acme.Queue", 16)), toQueue.steps().get(2));

            assertEquals(Reachability.UNREACHABLE, paths.reachability(g.indexOf(11)));
            assertEquals(Reachability.UNREACHABLE, paths.reachability(g.indexOf(12)), "its reference is garbage too");
            assertEquals("No path from a GC root: com.acme.Payload@0xc (16 bytes) is unreachable (garbage the next GC may reclaim)\n",
                    paths.explain(g.indexOf(12)));
            assertEquals(RoaringBitmap.bitmapOf(weakOnly, g.indexOf(10)), paths.referentsOnly());
        }
    }

    @Test
    void arrayIndicesAlongNestedArrays() throws IOException {
        Path dump = HprofWriter.create(4)
                .classDump("com.acme.Leaf")
                .objectArray(1, "java.lang.Object[]", ref(0), ref(0), ref(2))
                .objectArray(2, "java.lang.Object[]", ref(3), ref(3))
                .instance(3, "com.acme.Leaf")
                .jniGlobalRoot(1)
                .write(temp);
        try (Heap heap = open(dump)) {
            ObjectGraph g = heap.graph();
            GcRootPath path = ShortestPaths.compute(g).pathTo(g.indexOf(3)).orElseThrow();
            assertEquals(2, ((ArrayStep) path.steps().get(1)).index());
            assertEquals(0, ((ArrayStep) path.steps().get(2)).index(), "the first element holding it");
            assertTrue(path.toString().contains("  [2]  → java.lang.Object[]@0x2"), path.toString());
        }
    }

    @Test
    void cyclesEndTheSearchAndUnreachableCyclesHaveNoPath() throws IOException {
        Path dump = HprofWriter.create(8)
                .classDump("com.acme.Link", fields("next", OBJECT, "other", OBJECT))
                .instance(1, "com.acme.Link", ref(2), ref(0))
                .instance(2, "com.acme.Link", ref(1), ref(3))
                .instance(3, "com.acme.Link", ref(3), ref(1))
                .instance(4, "com.acme.Link", ref(5), ref(0))
                .instance(5, "com.acme.Link", ref(4), ref(4))
                .jniGlobalRoot(1)
                .write(temp);
        try (Heap heap = open(dump)) {
            ObjectGraph g = heap.graph();
            ShortestPaths paths = ShortestPaths.compute(g);
            GcRootPath path = paths.pathTo(g.indexOf(3)).orElseThrow();
            assertEquals(List.of("next", "other"), path.steps().subList(1, 3).stream().map(s -> ((FieldStep) s).field()).toList());
            assertEquals(g.indexOf(2), paths.parent(g.indexOf(3)));
            assertEquals(ShortestPaths.ROOT, paths.parent(g.indexOf(1)));
            assertEquals(Reachability.UNREACHABLE, paths.reachability(g.indexOf(4)));
            assertEquals(Reachability.UNREACHABLE, paths.reachability(g.indexOf(5)));
            assertTrue(paths.pathTo(g.indexOf(5)).isEmpty());
        }
    }

    @Test
    void theShorterOfTwoRoutesEvenIfTheLongerComesFirst() throws IOException {
        Path dump = HprofWriter.create(8)
                .classDump("com.acme.Root")
                .classDump("com.acme.Hop", fields("a", OBJECT))
                .staticField("com.acme.Root", "LONG", ref(1))
                .staticField("com.acme.Root", "SHORT", ref(3))
                .instance(1, "com.acme.Hop", ref(2))
                .instance(2, "com.acme.Hop", ref(4))
                .instance(3, "com.acme.Hop", ref(4))
                .instance(4, "com.acme.Hop", ref(0))
                .stickyClassRoot("com.acme.Root")
                .write(temp);
        try (Heap heap = open(dump)) {
            ObjectGraph g = heap.graph();
            ShortestPaths paths = ShortestPaths.compute(g);
            GcRootPath path = paths.pathTo(g.indexOf(4)).orElseThrow();
            assertEquals("SHORT", ((StaticStep) path.steps().get(1)).field());
            assertEquals(2, path.length());
            assertEquals(2, paths.distance(g.indexOf(4)));
        }
    }

    @Test
    void amongEquallyShortPathsTheMostTellingRootWins() throws IOException {
        Path dump = HprofWriter.create(8)
                .classDump("com.acme.Root")
                .classDump("com.acme.Hop", fields("a", OBJECT))
                .staticField("com.acme.Root", "HELD", ref(2))
                .instance(1, "com.acme.Hop", ref(2))
                .instance(2, "com.acme.Hop", ref(0))
                .unknownRoot(1)
                .jniGlobalRoot(1)
                .write(temp);
        HprofWriter fixture = HprofWriter.create(8)
                .classDump("com.acme.Root")
                .classDump("com.acme.Hop", fields("a", OBJECT))
                .staticField("com.acme.Root", "HELD", ref(2))
                .instance(1, "com.acme.Hop", ref(2))
                .instance(2, "com.acme.Hop", ref(0))
                .unknownRoot(1)
                .jniGlobalRoot(1);
        fixture.jniGlobalRoot(fixture.classIdOf("com.acme.Root")).stickyClassRoot("com.acme.Root");
        try (Heap heap = open(dump)) {
            ObjectGraph g = heap.graph();
            // only unknown and JNI global roots here: the JNI global explains more
            GcRootPath path = ShortestPaths.compute(g).pathTo(g.indexOf(2)).orElseThrow();
            assertEquals(RootKind.JNI_GLOBAL, path.root().kind());
        }
        try (Heap heap = open(fixture.write(temp))) {
            ObjectGraph g = heap.graph();
            ShortestPaths paths = ShortestPaths.compute(g);
            // both routes are one hop; the system class's static wins over the JNI global written first
            GcRootPath path = paths.pathTo(g.indexOf(2)).orElseThrow();
            assertEquals(RootKind.STICKY_CLASS, path.root().kind());
            assertEquals(new StaticStep("com.acme.Root", "HELD", node(g, 2, "com.acme.Hop", 16)), path.steps().get(1));
            // a class that is a JNI global and a system class is reported as the system class
            int rootClass = g.classes().classObjectIndex(g.classes().find("com.acme.Root"));
            assertEquals(RootKind.STICKY_CLASS, g.roots().kind(paths.rootEntry(rootClass)));
        }
    }

    @Test
    void anInstanceKeepsItsClassAndItsStaticsAndClassesTheirLoaders() throws IOException {
        Path dump = HprofWriter.create(8)
                .classDump("com.acme.Holder", fields("x", INT))
                .classDump("com.acme.Cached")
                .classDump("com.acme.Loader")
                .classDump("com.acme.Plugin")
                .staticField("com.acme.Holder", "CACHE", ref(31))
                .classLoader("com.acme.Plugin", 0x500)
                .instance(30, "com.acme.Holder", value(1))
                .instance(31, "com.acme.Cached")
                .instance(0x500, "com.acme.Loader")
                .jniGlobalRoot(30)
                .stickyClassRoot("com.acme.Plugin")
                .write(temp);
        try (Heap heap = open(dump)) {
            ObjectGraph g = heap.graph();
            ShortestPaths paths = ShortestPaths.compute(g);
            GcRootPath path = paths.pathTo(g.indexOf(31)).orElseThrow();
            assertEquals(ClassLinkStep.Link.CLASS, ((ClassLinkStep) path.steps().get(1)).link());
            assertTrue(path.steps().get(1).target().classObject());
            assertEquals(new StaticStep("com.acme.Holder", "CACHE", node(g, 31, "com.acme.Cached", 16)), path.steps().get(2));
            assertTrue(path.toString().contains("  <class>              → class com.acme.Holder@0x"), path.toString());

            GcRootPath toLoader = paths.pathTo(g.indexOf(0x500)).orElseThrow();
            assertEquals(RootKind.STICKY_CLASS, toLoader.root().kind());
            assertEquals(ClassLinkStep.Link.CLASS_LOADER, ((ClassLinkStep) toLoader.steps().get(1)).link());
        }
    }

    /**
     * Random graphs against an independent breadth-first search over the fixture's own adjacency:
     * every distance agrees, every hop of every path is a reference the fixture wrote, and objects
     * without a path are told apart by whether a referent reaches them.
     */
    @Test
    void randomGraphsAgreeWithAnIndependentSearch() throws IOException {
        for (int seed = 1; seed <= 12; seed++) {
            checkRandomGraph(new Random(seed), seed);
        }
    }

    private void checkRandomGraph(Random random, int seed) throws IOException {
        int nodes = 150 + random.nextInt(150);
        long base = 0x1000;
        // node i has id base + 8i: kind 0 an instance of N (fields f0..f2), 1 an Object[], 2 a WeakReference
        int[] kind = new int[nodes];
        long[][] refs = new long[nodes][];
        HprofWriter w = HprofWriter.create(8).classDump("N", fields("f0", OBJECT, "f1", OBJECT, "f2", OBJECT));
        for (int i = 0; i < nodes; i++) {
            int k = random.nextInt(10);
            kind[i] = k < 7 ? 0 : k < 9 ? 1 : 2;
            int width = kind[i] == 0 ? 3 : kind[i] == 1 ? 1 + random.nextInt(5) : 1;
            refs[i] = new long[width];
            for (int f = 0; f < width; f++) {
                refs[i][f] = random.nextInt(3) == 0 ? 0 : base + 8L * random.nextInt(nodes);
            }
        }
        long[] statics = new long[2];
        for (int s = 0; s < statics.length; s++) {
            statics[s] = base + 8L * random.nextInt(nodes);
            w.staticField("N", "S" + s, ref(statics[s]));
        }
        for (int i = 0; i < nodes; i++) {
            long id = base + 8L * i;
            HprofWriter.Value[] values = Arrays.stream(refs[i]).mapToObj(HprofWriter::ref).toArray(HprofWriter.Value[]::new);
            switch (kind[i]) {
                case 0 -> w.instance(id, "N", values);
                case 1 -> w.objectArray(id, "java.lang.Object[]", values);
                default -> w.instance(id, "java.lang.ref.WeakReference", Map.of("referent", values[0]));
            }
        }
        List<Long> roots = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            long id = base + 8L * random.nextInt(nodes);
            roots.add(id);
            if (r % 2 == 0) {
                w.jniGlobalRoot(id);
            } else {
                w.unknownRoot(id);
            }
        }
        boolean stickyN = random.nextBoolean();
        if (stickyN) {
            w.stickyClassRoot("N");
        }
        try (Heap heap = open(w.write(temp))) {
            ObjectGraph g = heap.graph();
            ShortestPaths paths = ShortestPaths.compute(g);
            int classN = g.classes().classObjectIndex(g.classes().find("N"));
            // the oracle's graph: nodes 0..n-1, the class N as node n (statics; every N instance points to it)
            int[] strong = bfs(nodes, kind, refs, statics, roots, stickyN, base, false);
            int[] any = bfs(nodes, kind, refs, statics, roots, stickyN, base, true);
            for (int i = 0; i < nodes; i++) {
                int obj = g.indexOf(base + 8L * i);
                String where = "seed " + seed + ", node " + i;
                assertEquals(strong[i], paths.distance(obj), where);
                if (strong[i] < 0) {
                    assertEquals(any[i] >= 0 ? Reachability.REFERENTS_ONLY : Reachability.UNREACHABLE, paths.reachability(obj), where);
                    continue;
                }
                GcRootPath path = paths.pathTo(obj).orElseThrow();
                assertEquals(strong[i], path.length(), where);
                assertEquals(obj, path.target().index());
                long from = path.root().target().id();
                assertTrue(roots.contains(from) || (stickyN && path.root().target().index() == classN), where);
                for (PathStep step : path.steps().subList(1, path.steps().size())) {
                    long to = step.target().id();
                    int f = (int) ((from - base) / 8);
                    if (step instanceof FieldStep field) {
                        assertEquals("N", field.declaringClass(), where);
                        assertEquals(to, refs[f][Integer.parseInt(field.field().substring(1))], where);
                    } else if (step instanceof ArrayStep array) {
                        assertEquals(to, refs[f][array.index()], where);
                        for (int e = 0; e < array.index(); e++) {
                            assertTrue(refs[f][e] != to, "the first element holding it, " + where);
                        }
                    } else if (step instanceof StaticStep st) {
                        assertEquals(to, statics[Integer.parseInt(st.field().substring(1))], where);
                    } else if (step instanceof ClassLinkStep link) {
                        assertEquals(ClassLinkStep.Link.CLASS, link.link(), where);
                        assertEquals(classN, step.target().index(), where);
                    } else {
                        fail("unexpected step " + step);
                    }
                    from = to;
                }
            }
            // every reached object agrees with the dominator tree that ignores referents
            DominatorTree tree = DominatorTree.compute(g, ReferencePolicy.EXCLUDE_REFERENTS);
            for (int obj = 0; obj < g.objectCount(); obj++) {
                assertEquals(tree.isReachable(obj), paths.hasPath(obj), "seed " + seed + ", object " + obj);
            }
        }
    }

    /** Distances from the roots in the fixture's own terms; -1 unreached. Node {@code n} is class N. */
    private static int[] bfs(int n, int[] kind, long[][] refs, long[] statics, List<Long> roots, boolean stickyN, long base,
                             boolean followReferents) {
        int[] dist = new int[n + 1];
        Arrays.fill(dist, -1);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (long id : roots) {
            int i = (int) ((id - base) / 8);
            if (dist[i] < 0) {
                dist[i] = 0;
                queue.add(i);
            }
        }
        if (stickyN && dist[n] < 0) {
            dist[n] = 0;
            queue.add(n);
        }
        while (!queue.isEmpty()) {
            int v = queue.poll();
            List<Integer> next = new ArrayList<>();
            if (v == n) {
                for (long s : statics) {
                    next.add((int) ((s - base) / 8));
                }
            } else {
                if (kind[v] != 2 || followReferents) {
                    for (long r : refs[v]) {
                        if (r != 0) {
                            next.add((int) ((r - base) / 8));
                        }
                    }
                }
                if (kind[v] == 0) {
                    next.add(n);
                }
            }
            for (int t : next) {
                if (dist[t] < 0) {
                    dist[t] = dist[v] + 1;
                    queue.add(t);
                }
            }
        }
        return dist;
    }

    /** A real JVM that leaks through {@code static final Map<String, Leaked> REGISTRY = new HashMap<>()}. */
    @Test
    void aRealLeakThroughAStaticHashMap() {
        try (Heap heap = Heap.open(RegistryLeakDump.get())) {
            ObjectGraph g = heap.graph();
            ShortestPaths paths = ShortestPaths.compute(g);
            String registry = RegistryLeakWorkload.Registry.class.getName();
            String leakedClass = RegistryLeakWorkload.Leaked.class.getName();
            RoaringBitmap leaked = heap.instanceIndices(leakedClass);
            assertEquals(RegistryLeakDump.LEAKED, leaked.getCardinality());
            DominatorTree tree = DominatorTree.compute(g);
            int viaNext = 0;
            for (int obj : leaked) {
                GcRootPath path = paths.pathTo(obj, tree).orElseThrow();
                List<PathStep> steps = path.steps();
                int s = indexOfStatic(steps, registry, "REGISTRY");
                assertTrue(s > 0, path.toString());
                PathNode registryClass = steps.get(s - 1).target();
                assertTrue(registryClass.classObject() && registryClass.className().equals(registry), path.toString());
                // static Registry.REGISTRY → HashMap .table → HashMap$Node[] [i] → HashMap$Node (.next → HashMap$Node)* .value → Leaked
                assertEquals("java.util.HashMap", steps.get(s).target().className());
                assertEquals(new FieldStep("java.util.HashMap", "table", steps.get(s + 1).target()), steps.get(s + 1));
                assertEquals("java.util.HashMap$Node[]", steps.get(s + 1).target().className());
                assertInstanceOf(ArrayStep.class, steps.get(s + 2));
                assertEquals("java.util.HashMap$Node", steps.get(s + 2).target().className());
                int k = s + 3;
                while (steps.get(k) instanceof FieldStep f && f.field().equals("next")) {
                    assertEquals("java.util.HashMap$Node", f.target().className());
                    viaNext++;
                    k++;
                }
                assertEquals(new FieldStep("java.util.HashMap$Node", "value", path.target()), steps.get(k));
                assertEquals(k, steps.size() - 1, path.toString());
                assertEquals(leakedClass, path.target().className());
                // the Leaked object and its byte[40] payload: 24 + 56 bytes with compressed oops (-Xmx64m)
                assertEquals(80, path.target().retainedSize());
                assertTrue(path.toString().contains("static RegistryLeakWorkload$Registry.REGISTRY"), path.toString());
            }
            // exact: the leaked object of the j-th node of bucket i is reached by [i] and j times .next
            HeapInstance map = (HeapInstance) heap.findClass(registry).staticValue("REGISTRY");
            HeapObjectArray table = (HeapObjectArray) map.get("table");
            int seen = 0;
            int chained = 0;
            for (int i = 0; i < table.length(); i++) {
                int j = 0;
                for (Object n = table.get(i); n != null; n = ((HeapInstance) n).get("next"), j++) {
                    HeapInstance entry = (HeapInstance) n;
                    List<PathStep> steps = paths.pathTo(((HeapObject) entry.get("value")).index()).orElseThrow().steps();
                    int s = indexOfStatic(steps, registry, "REGISTRY");
                    assertEquals(i, ((ArrayStep) steps.get(s + 2)).index());
                    assertEquals(s + 3 + j + 1, steps.size(), "bucket " + i + ", position " + j);
                    seen++;
                    chained += j > 0 ? 1 : 0;
                }
            }
            assertEquals(RegistryLeakDump.LEAKED, seen);
            assertTrue(chained > 0 && viaNext >= chained, "collisions show as .next hops: " + chained);

            // the local variable of main: a Java frame root, with its thread and frame
            int marker = heap.instanceIndices(RegistryLeakWorkload.StackMarker.class.getName()).first();
            GcRootPath toMarker = paths.pathTo(marker).orElseThrow();
            assertEquals(0, toMarker.length());
            assertEquals(RootKind.JAVA_FRAME, toMarker.root().kind());
            assertEquals("main", toMarker.root().threadName());
            assertEquals(RegistryLeakWorkload.class.getName(), toMarker.root().frame().className());
            assertEquals("main", toMarker.root().frame().method());
            assertTrue(toMarker.toString().startsWith("GC root: local variable in thread \"main\" at "
                    + RegistryLeakWorkload.class.getName() + ".main(RegistryLeakWorkload.java:"), toMarker.toString());

            // objects with a path are exactly those the dominator tree without referents reaches
            DominatorTree strong = DominatorTree.compute(g, ReferencePolicy.EXCLUDE_REFERENTS);
            int reached = 0;
            for (int obj = 0; obj < g.objectCount(); obj++) {
                assertEquals(strong.isReachable(obj), paths.hasPath(obj), "object " + obj);
                reached += paths.hasPath(obj) ? 1 : 0;
            }
            assertEquals(reached, paths.reachedCount());
            assertFalse(paths.referentsOnly().isEmpty(), "a real heap has objects held only by referents");
        }
    }

    private static int indexOfStatic(List<PathStep> steps, String className, String field) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof StaticStep s && s.className().equals(className) && s.field().equals(field)) {
                return i;
            }
        }
        return -1;
    }

    private static PathNode node(ObjectGraph g, long id, String className, long shallow) {
        return new PathNode(g.indexOf(id), id, className, false, shallow, -1);
    }
}

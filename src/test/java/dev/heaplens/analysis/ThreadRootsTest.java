package dev.heaplens.analysis;

import dev.heaplens.Heap;
import dev.heaplens.HeapOptions;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.graph.VmLayout;
import dev.heaplens.hprof.HprofWriter;
import dev.heaplens.hprof.RootKind;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.roaringbitmap.RoaringBitmap;

import java.io.IOException;
import java.nio.file.Path;

import static dev.heaplens.hprof.BasicType.INT;
import static dev.heaplens.hprof.BasicType.OBJECT;
import static dev.heaplens.hprof.HprofWriter.fields;
import static dev.heaplens.hprof.HprofWriter.frame;
import static dev.heaplens.hprof.HprofWriter.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thread-local roots (Java frame, JNI local, native stack, thread block) are attributed to their
 * thread in the dominator tree, as Eclipse MAT does: the {@code Thread} retains what only its stack
 * holds. Roots of other kinds, and locals of a thread the dump does not name, stay under the super-root.
 */
class ThreadRootsTest {
    @TempDir
    Path temp;

    private static final long WORKER = 100;
    private static final long OTHER = 200;

    /**
     * Thread 100 "worker": locals 10 (→ int[] 11), 20 (also a JNI global), 50 (also a local of thread
     * 200), 60 (in two frames); JNI local 40, native stack 41, thread block 42. Thread 200 "other":
     * local 50. Object 30 (→ int[] 31) is a local of thread serial 99, which no ROOT THREAD OBJECT names.
     */
    private Path fixture() throws IOException {
        return HprofWriter.create(8)
                .classDump("Holder", fields("o", OBJECT))
                .classDump("Leaf", fields("v", INT))
                .instance(10, "Holder", ref(11))
                .primitiveArray(11, INT, new int[100])
                .instance(20, "Holder", ref(21))
                .primitiveArray(21, INT, new int[10])
                .instance(30, "Holder", ref(31))
                .primitiveArray(31, INT, new int[20])
                .instance(40, "Holder", ref(0))
                .instance(41, "Holder", ref(0))
                .instance(42, "Holder", ref(0))
                .instance(50, "Holder", ref(0))
                .instance(60, "Holder", ref(0))
                .thread(WORKER, "worker", frame("Holder", "run", 42).locals(10, 20, 50, 60),
                        frame("java.lang.Thread", "run", 840).locals(60))
                .thread(OTHER, "other", frame("Holder", "run", 7).locals(50))
                .jniGlobalRoot(20)
                .jniLocalRoot(40, WORKER, 0)
                .nativeStackRoot(41, WORKER)
                .threadBlockRoot(42, WORKER)
                .heapRecords(w -> w.rootJavaFrame(30, 99, 0))
                .stickyClassRoot("Holder")
                .write(temp);
    }

    private static Heap open(Path dump) {
        return Heap.open(dump, HeapOptions.defaults().layout(VmLayout.compressed()));
    }

    @ParameterizedTest
    @EnumSource(ReferencePolicy.class)
    void aThreadRetainsWhatOnlyItsStackHolds(ReferencePolicy policy) throws IOException {
        try (Heap heap = open(fixture())) {
            ObjectGraph g = heap.graph();
            DominatorTree tree = DominatorTree.compute(g, policy);
            int worker = g.indexOf(WORKER);
            int other = g.indexOf(OTHER);
            assertEquals(DominatorTree.ROOT, tree.immediateDominator(worker), "a thread object is a root");
            assertEquals(DominatorTree.ROOT, tree.immediateDominator(other));

            // held only by the worker's stack: dominated by the worker, whatever the root kind
            for (long id : new long[] {10, 40, 41, 42, 60}) {
                assertEquals(worker, tree.immediateDominator(g.indexOf(id)), "object " + id);
            }
            assertEquals(g.indexOf(10), tree.immediateDominator(g.indexOf(11)));

            // also a JNI global: a top-level dominator still, retaining its own array
            assertEquals(DominatorTree.ROOT, tree.immediateDominator(g.indexOf(20)));
            assertEquals(g.indexOf(20), tree.immediateDominator(g.indexOf(21)));
            // locals of two threads: neither thread dominates it
            assertEquals(DominatorTree.ROOT, tree.immediateDominator(g.indexOf(50)));
            // a local of a thread the dump does not name: a root child, as before
            assertEquals(DominatorTree.ROOT, tree.immediateDominator(g.indexOf(30)));
            assertEquals(g.indexOf(30), tree.immediateDominator(g.indexOf(31)));

            // the worker's retained set: itself, its name (String and its array), and its stack's own objects
            RoaringBitmap expected = new RoaringBitmap();
            expected.add(worker);
            for (long id : new long[] {10, 11, 40, 41, 42, 60}) {
                expected.add(g.indexOf(id));
            }
            g.forEachReference(worker, name -> {
                expected.add(name);
                g.forEachReference(name, expected::add);
            });
            assertEquals(expected, tree.retainedSet(worker));
            long bytes = 0;
            for (int o : expected) {
                bytes += g.shallowSize(o);
            }
            assertEquals(bytes, tree.retainedSize(worker));
            assertTrue(tree.retainedSize(g.indexOf(10)) > 400, "the local retains its int[100]");
            assertTrue(tree.retainedSize(worker) >= tree.retainedSize(g.indexOf(10)) + g.shallowSize(worker),
                    "and the thread retains both");
            assertTrue(tree.childIndices(g.objectCount()).contains(g.indexOf(20)));
            assertFalse(tree.childIndices(g.objectCount()).contains(g.indexOf(10)));
            assertTrue(tree.childIndices(worker).contains(g.indexOf(10)));
        }
    }

    @Test
    void superRootSuccessorsLeaveOutAttributedLocalsAndThreadsGainThemAfterTheirClass() throws IOException {
        try (Heap heap = open(fixture())) {
            ObjectGraph g = heap.graph();
            for (ReferencePolicy policy : ReferencePolicy.values()) {
                GraphSuccessors s = new GraphSuccessors(g, policy);
                IntArrayList rootKids = IntArrayList.wrap(s.rootObjects());
                for (long id : new long[] {10, 40, 41, 42, 50, 60}) {
                    assertFalse(rootKids.contains(g.indexOf(id)), "attributed to a thread: " + id);
                }
                for (long id : new long[] {20, 30, WORKER, OTHER}) {
                    assertTrue(rootKids.contains(g.indexOf(id)), "a super-root successor: " + id);
                }
                int worker = g.indexOf(WORKER);
                IntArrayList succ = successors(s, worker);
                int fields = g.outDegree(worker);
                for (int k = 0; k < fields; k++) {
                    assertEquals(g.edgeTarget(g.edgeStart(worker) + k), succ.getInt(k), "references first");
                }
                assertEquals(g.classes().classObjectIndex(g.classOf(worker)), succ.getInt(fields), "then the class");
                IntArrayList extra = new IntArrayList(succ.subList(fields + 1, succ.size()));
                IntArrayList expected = new IntArrayList();
                for (long id : new long[] {10, 20, 40, 41, 42, 50, 60}) {
                    expected.add(g.indexOf(id));
                }
                extra.sort(null);
                expected.sort(null);
                assertEquals(expected, extra, "then each thread-local root once (60 is in two frames)");
                assertEquals(IntArrayList.of(g.indexOf(50)), new IntArrayList(
                        successors(s, g.indexOf(OTHER)).subList(g.outDegree(g.indexOf(OTHER)) + 1,
                                successors(s, g.indexOf(OTHER)).size())));
                int holder = g.indexOf(10);
                assertEquals(IntArrayList.of(g.indexOf(11), g.classes().classObjectIndex(g.classOf(holder))),
                        successors(s, holder), "an ordinary object is unchanged");
            }
        }
    }

    @Test
    void pathsStillStartAtLocalVariableRoots() throws IOException {
        try (Heap heap = open(fixture())) {
            ObjectGraph g = heap.graph();
            ShortestPaths paths = ShortestPaths.compute(g);
            GcRootPath path = paths.pathTo(g.indexOf(11)).orElseThrow();
            assertEquals(RootKind.JAVA_FRAME, path.root().kind());
            assertEquals("worker", path.root().threadName());
            assertEquals(g.indexOf(10), path.root().target().index());
            assertEquals(1, path.length());
            assertEquals(ShortestPaths.Reachability.GC_ROOT, paths.reachability(g.indexOf(10)));
        }
    }

    private static IntArrayList successors(Successors s, int node) {
        IntArrayList out = new IntArrayList();
        for (int k = 0, d = s.degree(node); k < d; k++) {
            out.add(s.target(node, k));
        }
        return out;
    }
}

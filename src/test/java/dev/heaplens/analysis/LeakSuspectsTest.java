package dev.heaplens.analysis;

import dev.heaplens.Heap;
import dev.heaplens.fixtures.LeakWorkload;
import dev.heaplens.graph.HeapClass;
import dev.heaplens.graph.HeapInstance;
import dev.heaplens.graph.HeapObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leak suspects on real dumps of child JVMs running {@link LeakWorkload}: a static map that leaks,
 * sessions held from two classes at once, and memory spread evenly over sixteen threads.
 */
class LeakSuspectsTest {
    private static final String REGISTRY = LeakWorkload.Registry.class.getName();
    private static final String SESSION = LeakWorkload.Session.class.getName();

    @Test
    void theStaticMapIsTheTopSuspectAccumulatedInItsTable() {
        try (Heap heap = Heap.open(LeakWorkload.dump("leak"))) {
            LeakSuspects suspects = heap.suspects();
            assertFalse(suspects.isEmpty(), suspects.toString());
            LeakSuspect top = suspects.get(0);
            HeapClass registry = heap.findClass(REGISTRY);

            // the suspect is the class holding the map in a static field
            assertEquals(LeakSuspect.Kind.OBJECT, top.kind(), top.toString());
            assertEquals(registry.index(), top.object().object(), top.toString());
            assertEquals("the app class loader", top.classLoader());
            assertTrue(top.percentOfHeap() > 80, top.toString());
            assertEquals(1, top.rank());

            // the accumulation point is the map's table
            HeapInstance map = (HeapInstance) registry.staticValue("SESSIONS");
            HeapObject table = (HeapObject) map.get("table");
            DominatorEntry point = top.accumulationPoint().orElseThrow();
            assertEquals(table.index(), point.object(), top.toString());
            assertEquals("java.util.HashMap$Node[]", point.className());
            assertEquals(List.of(registry.index(), map.index(), table.index()),
                    top.accumulation().stream().map(DominatorEntry::object).toList());

            // the path reaches the table, leaving the suspect through the static field, then .table
            GcRootPath path = top.pathFromRoot().orElseThrow();
            assertEquals(table.index(), path.target().index());
            List<PathStep> steps = path.steps();
            int at = indexOfTarget(steps, registry.index());
            assertTrue(at >= 0, path.toString());
            StaticStep field = assertInstanceOf(StaticStep.class, steps.get(at + 1), path.toString());
            assertEquals(REGISTRY, field.className());
            assertEquals("SESSIONS", field.field());
            assertEquals(map.index(), field.target().index());
            FieldStep tableStep = assertInstanceOf(FieldStep.class, steps.get(at + 2));
            assertEquals("table", tableStep.field());
            assertEquals(at + 3, steps.size(), path.toString());

            // said in words, with sizes
            String d = top.description();
            assertTrue(d.startsWith("The class " + REGISTRY + ", loaded by the app class loader, retains "), d);
            assertTrue(d.contains("accumulated in one java.util.HashMap$Node[]"), d);
            assertTrue(d.contains("static field LeakWorkload$Registry.SESSIONS"), d);
            assertTrue(d.matches("(?s).*retains \\d+\\.\\d MB \\(\\d+\\.\\d%\\) of the heap.*"), d);

            // the sessions are inside it, said once: no class suspect repeats them
            LeakSuspect.ClassShare sessions = top.contents().stream().filter(c -> c.className().equals(SESSION))
                    .findFirst().orElseThrow(() -> new AssertionError(top.toString()));
            assertEquals(LeakWorkload.SESSIONS, sessions.instances());
            assertEquals(1, suspects.size(), suspects.toString());
            double total = suspects.stream().mapToDouble(LeakSuspect::percentOfHeap).sum();
            assertTrue(total <= 100.0001, "no memory counted twice: " + total);

            String report = suspects.toString();
            assertTrue(report.startsWith("1 leak suspect (more than 10.0% of the "), report);
            assertTrue(report.contains("static LeakWorkload$Registry.SESSIONS"), report);
            assertTrue(report.contains("Accumulation point"), report);
        }
    }

    @Test
    void sessionsHeldFromTwoClassesAreAClassSuspect() {
        try (Heap heap = Heap.open(LeakWorkload.dump("shared"))) {
            LeakSuspects suspects = heap.suspects();
            assertEquals(1, suspects.size(), suspects.toString());
            LeakSuspect s = suspects.get(0);
            assertEquals(LeakSuspect.Kind.CLASS, s.kind(), s.toString());
            assertEquals(SESSION, s.className());
            assertEquals(LeakWorkload.SESSIONS, s.instanceCount());
            assertTrue(s.percentOfHeap() > 70, s.toString());
            assertTrue(s.accumulationPoint().isEmpty(), "no single object holds them: " + s);
            assertEquals(5, s.largestInstances().size());
            assertTrue(s.description().startsWith("20,000 instances of " + SESSION), s.description());
            assertTrue(s.description().contains("no single object holds them all"), s.description());
            // the path leads to its largest instance, from one of the two statics
            GcRootPath path = s.pathFromRoot().orElseThrow();
            assertEquals(s.largestInstances().get(0).object(), path.target().index());
            assertTrue(path.steps().stream().anyMatch(step -> step instanceof StaticStep st
                    && (st.field().equals("SESSIONS") || st.field().equals("LOG"))), path.toString());
            // their payloads are listed inside, not reported again
            assertTrue(s.contents().stream().anyMatch(c -> c.className().equals("byte[]")), s.toString());
        }
    }

    @Test
    void aClassSuspectsLargestInstancesAreTheLargestFirstTiesInIndexOrder() {
        try (Heap heap = Heap.open(LeakWorkload.dump("shared"))) {
            LeakSuspect s = heap.suspects().get(0);
            DominatorTree tree = heap.dominators();
            // the oracle: every instance of the class, stably sorted by retained size (none lies in another suspect)
            List<Integer> expected = heap.instancesOf(SESSION).stream().map(HeapObject::index)
                    .sorted((a, b) -> Long.compare(tree.retainedSize(b), tree.retainedSize(a))).limit(5).toList();
            assertEquals(expected, s.largestInstances().stream().map(DominatorEntry::object).toList(), s.toString());
        }
    }

    @Test
    void theClassSearchFindsTheSameOnTwoThreadsWithAByteMemoAsOnOneWithInts() {
        int classSuspects = 0;
        int contents = 0;
        for (String mode : List.of("leak", "shared", "twoStatics", "spread")) {
            try (Heap heap = Heap.open(LeakWorkload.dump(mode))) {
                for (double threshold : new double[] {LeakSuspects.DEFAULT_THRESHOLD_PERCENT, 2}) {
                    // one thread with an int per object for the owner memo, two with a byte
                    LeakSuspects one = LeakSuspects.find(heap.dominators(), heap.shortestPaths(), threshold, Integer.MAX_VALUE, true);
                    LeakSuspects two = LeakSuspects.find(heap.dominators(), heap.shortestPaths(), threshold, 0, false);
                    assertEquals(one.size(), two.size(), mode + " at " + threshold + "%: " + two);
                    for (int i = 0; i < one.size(); i++) {
                        LeakSuspect a = one.get(i);
                        LeakSuspect b = two.get(i);
                        assertEquals(a.description(), b.description(), mode);
                        assertEquals(a.contents(), b.contents(), mode + ": " + a);
                        assertEquals(a.largestInstances(), b.largestInstances(), mode + ": " + a);
                        assertEquals(a.instanceCount(), b.instanceCount(), mode + ": " + a);
                        assertEquals(a.overlapBytes(), b.overlapBytes(), mode + ": " + a);
                        classSuspects += a.kind() == LeakSuspect.Kind.CLASS ? 1 : 0;
                        contents += a.contents().size();
                    }
                }
            }
        }
        // the dumps exercise both halves of the search: class suspects of their own, and classes inside suspects
        assertTrue(classSuspects >= 2, "class suspects: " + classSuspects);
        assertTrue(contents >= 4, "contents: " + contents);
    }

    @Test
    void memorySpreadOverSixteenThreadsHasNoSuspect() {
        try (Heap heap = Heap.open(LeakWorkload.dump("spread"))) {
            LeakSuspects suspects = heap.suspects();
            assertTrue(suspects.isEmpty(), suspects.toString());
            assertTrue(suspects.largestObject().percentOfHeap() < 10, suspects.toString());
            assertTrue(suspects.toString().startsWith("No leak suspect: nothing retains more than 10.0% of the "), suspects.toString());

            // below each holder's share, each holder thread is a suspect (it owns its stack's list, as in
            // MAT), accumulated in the list's array
            LeakSuspects low = heap.suspects(5);
            assertEquals(LeakWorkload.THREADS, low.size(), low.toString());
            for (LeakSuspect s : low) {
                assertEquals("java.lang.Thread", s.className(), s.toString());
                assertEquals("java.lang.Object[]", s.accumulationPoint().orElseThrow().className());
            }
        }
    }

    @Test
    void theHistogramCarriesRetainedSizesAndSortsByThem() {
        try (Heap heap = Heap.open(LeakWorkload.dump("leak"))) {
            Histogram plain = heap.histogram();
            assertFalse(plain.hasRetained());
            assertEquals(HistogramRow.NOT_COMPUTED, plain.row(SESSION).retainedBytes());
            assertThrows(IllegalStateException.class, plain::sortedByRetained);

            Histogram h = heap.histogramWithRetained();
            assertTrue(h.hasRetained());
            assertEquals(plain.rows().stream().map(HistogramRow::className).toList(),
                    h.rows().stream().map(HistogramRow::className).toList(), "same order");
            HistogramRow sessions = h.row(SESSION);
            assertEquals(LeakWorkload.SESSIONS, sessions.count());
            assertTrue(sessions.retainedBytes() > sessions.shallowBytes() + LeakWorkload.SESSIONS * 1024L, sessions.toString());
            assertEquals(heap.dominators().classRetainedSize(sessions.classIndex()), sessions.retainedBytes());

            Histogram byRetained = h.sortedByRetained();
            long previous = Long.MAX_VALUE;
            for (HistogramRow r : byRetained.rows()) {
                assertTrue(r.retainedBytes() <= previous, "sorted by retained");
                previous = r.retainedBytes();
            }
            String table = byRetained.top(5).toString();
            assertTrue(table.lines().findFirst().orElseThrow().contains("retained bytes"), table);
            assertTrue(heap.histogram().toString().lines().findFirst().orElseThrow().endsWith("shallow bytes  class"));
        }
    }

    @Test
    void theFrontDoorAnswersPathsByObjectIndexIdAndClass() {
        try (Heap heap = Heap.open(LeakWorkload.dump("leak"))) {
            HeapObject session = heap.instancesOf(SESSION).get(0);
            GcRootPath byObject = heap.pathFromRoot(session);
            assertEquals(byObject, heap.pathFromRoot(session.index()));
            assertEquals(byObject, heap.pathFromRoot(session.id()));
            assertEquals(session.index(), byObject.target().index());
            assertTrue(byObject.target().hasRetainedSize());
            assertTrue(byObject.steps().stream().anyMatch(s -> s instanceof StaticStep st && st.field().equals("SESSIONS")));
            assertTrue(heap.dominators() == heap.dominators(), "computed once");

            MergedPaths merged = heap.mergedPaths(SESSION);
            assertEquals(LeakWorkload.SESSIONS, merged.objectCount());
            assertEquals(LeakWorkload.SESSIONS, merged.withPath());
            assertThrows(IllegalArgumentException.class, () -> heap.mergedPaths("com.example.NoSuchClass"));
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> heap.pathFromRoot(-1));
            assertTrue(wrong.getMessage().contains("pass a long"), wrong.getMessage());
            assertThrows(IllegalArgumentException.class, () -> heap.suspects(0));
            assertThrows(IllegalArgumentException.class, () -> heap.suspects(101));
        }
    }

    private static int indexOfTarget(List<PathStep> steps, int object) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).target().index() == object) {
                return i;
            }
        }
        return -1;
    }
}

package dev.heaplens.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heaplens.Heap;
import dev.heaplens.fixtures.LeakWorkload;
import dev.heaplens.graph.HeapClass;
import dev.heaplens.graph.HeapInstance;
import dev.heaplens.graph.HeapObject;
import dev.heaplens.report.DominatorJson;
import dev.heaplens.report.SuspectsJson;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first thing a person reads names the cause in their code's words: the static or instance field
 * that holds the memory, the collection and its entry count. Checked on child-JVM dumps of
 * {@link LeakWorkload}: two leaking statics of one class, a single static, an instance field of an
 * object in a local variable, and a heap spread evenly (no suspect at all).
 */
class SuspectNamesTest {
    private static final String LEAK_APP = LeakWorkload.LeakApp.class.getName();

    @Test
    void twoStaticsAreBothNamedLargestFirstWithTheirSizes() throws Exception {
        try (Heap heap = Heap.open(LeakWorkload.dump("twoStatics"))) {
            LeakSuspects suspects = heap.suspects();
            LeakSuspect top = suspects.get(0);
            HeapClass app = heap.findClass(LEAK_APP);
            assertEquals(app.index(), top.object().object(), suspects.toString());
            assertEquals(List.of("static LeakWorkload$LeakApp.CACHE", "static LeakWorkload$LeakApp.LISTENERS"),
                    top.holdings().stream().map(LeakSuspect.Holding::via).toList(), top.toString());
            LeakSuspect.Holding cache = top.holdings().get(0);
            LeakSuspect.Holding listeners = top.holdings().get(1);
            assertEquals(new CollectionSize(LeakWorkload.CACHED, "entries"), cache.size());
            assertEquals(new CollectionSize(LeakWorkload.LISTENERS, "elements"), listeners.size());
            assertEquals("java.util.HashMap", cache.object().className());
            assertEquals("java.util.HashMap$Node[]", cache.accumulationPoint().className());
            assertEquals("java.lang.Object[]", listeners.accumulationPoint().className());
            assertTrue(cache.object().retainedSize() > listeners.object().retainedSize(), top.toString());
            assertEquals(app.id(), cache.object().referrerId());
            assertTrue(top.shared().isEmpty(), top.toString());

            String d = top.description();
            assertTrue(d.startsWith("The class " + LEAK_APP + ", loaded by the app class loader, retains "), d);
            assertTrue(d.matches("(?s).* of the heap through static CACHE \\(java\\.util\\.HashMap, [\\d.]+ MB, 3,000 entries\\)"
                    + " and static LISTENERS \\(java\\.util\\.ArrayList, [\\d.]+ MB, 2,000 elements\\)\\. .*"), d);
            assertTrue(d.contains("Their memory accumulates: static CACHE in one java.util.HashMap$Node[] ("), d);
            assertTrue(d.contains("; static LISTENERS in one java.lang.Object[] ("), d);
            String report = top.toString();
            assertTrue(report.contains("  Held through:\n"), report);
            assertTrue(report.lines().anyMatch(l -> l.strip().startsWith("static LeakWorkload$LeakApp.CACHE")
                    && l.contains("java.util.HashMap@0x") && l.contains("3,000 entries") && l.contains("java.util.HashMap$Node[]@0x")),
                    report);

            // the path starts at the class, the loader folded into its first line; the full path stays in the API
            GcRootPath path = top.pathFromRoot().orElseThrow();
            GcRootPath.LoaderHold hold = path.loaderHold().orElseThrow();
            assertEquals("the app class loader", hold.loader());
            assertEquals(app.id(), hold.classObject().id());
            assertEquals(4, hold.steps());
            assertEquals("jdk.internal.loader.ClassLoaders$AppClassLoader", path.root().target().className());
            assertTrue(path.toString().startsWith("class " + LEAK_APP + "@0x" + Long.toHexString(app.id())
                    + " (120 bytes, retained "), path.toString());
            assertTrue(path.toString().lines().findFirst().orElseThrow().endsWith(", held by the app class loader (GC root: JNI global, "
                    + "jdk.internal.loader.ClassLoaders$AppClassLoader@0x" + Long.toHexString(path.root().target().id()) + ")"),
                    path.toString());

            // every dominator row says how it is held
            DominatorList dominators = heap.dominators().top(10);
            DominatorEntry map = dominators.stream().filter(e -> e.className().equals("java.util.HashMap")).findFirst().orElseThrow();
            assertEquals("static LeakWorkload$LeakApp.CACHE", map.heldBy());
            DominatorEntry table = dominators.stream().filter(e -> e.className().equals("java.util.HashMap$Node[]")).findFirst().orElseThrow();
            assertEquals("HashMap.table", table.heldBy());
            assertEquals(map.id(), table.referrerId());
            DominatorEntry loader = dominators.get(0);
            assertEquals("GC root: JNI global", loader.heldBy(), dominators.toString());
            assertTrue(dominators.toString().lines().anyMatch(l -> l.contains("java.util.HashMap@0x") && l.endsWith("static LeakWorkload$LeakApp.CACHE")),
                    dominators.toString());

            // the same in JSON
            JsonNode json = new ObjectMapper().readTree(SuspectsJson.render(suspects)).get("suspects").get(0);
            JsonNode holdings = json.get("holdings");
            assertEquals(2, holdings.size());
            assertEquals("static LeakWorkload$LeakApp.CACHE", holdings.get(0).get("via").asText());
            assertEquals(LeakWorkload.CACHED, holdings.get(0).get("size").get("count").asLong());
            assertEquals("entries", holdings.get(0).get("size").get("noun").asText());
            assertEquals("java.util.HashMap$Node[]", holdings.get(0).get("accumulationPoint").get("class").asText());
            assertEquals("elements", holdings.get(1).get("size").get("noun").asText());
            assertEquals(0, json.get("shared").size());
            assertEquals(4, json.get("path").get("shownFrom").get("steps").asInt());
            JsonNode rows = new ObjectMapper().readTree(DominatorJson.render(heap.dominators(), dominators)).get("dominators");
            JsonNode mapRow = null;
            for (JsonNode r : rows) {
                if (r.get("class").asText().equals("java.util.HashMap")) {
                    mapRow = r;
                }
            }
            assertNotNull(mapRow, rows.toString());
            assertEquals("static LeakWorkload$LeakApp.CACHE", mapRow.get("heldBy").asText());
            assertEquals("0x" + Long.toHexString(app.id()), mapRow.get("referrer").asText());
            assertTrue(rows.get(0).get("referrer").isNull(), "a GC root has no referrer");
        }
    }

    @Test
    void aSingleStaticIsNamedWithItsEntriesAndItsTable() {
        try (Heap heap = Heap.open(LeakWorkload.dump("leak"))) {
            LeakSuspect top = heap.suspects().get(0);
            assertEquals(1, top.holdings().size(), top.toString());
            LeakSuspect.Holding sessions = top.holdings().get(0);
            assertEquals("static LeakWorkload$Registry.SESSIONS", sessions.via());
            assertEquals(new CollectionSize(LeakWorkload.SESSIONS, "entries"), sessions.size());
            String d = top.description();
            assertTrue(d.matches("(?s).* of the heap through static SESSIONS \\(java\\.util\\.HashMap, [\\d.]+ MB, 20,000 entries\\)\\."
                    + " The memory is accumulated in one java\\.util\\.HashMap\\$Node\\[\\] \\([^)]*\\), referenced from static"
                    + " field LeakWorkload\\$Registry\\.SESSIONS, via \\.table\\..*"), d);
        }
    }

    @Test
    void anInstanceFieldIsNamedOnTheWayToTheAccumulationPoint() {
        try (Heap heap = Heap.open(LeakWorkload.dump("field"))) {
            LeakSuspects suspects = heap.suspects();
            LeakSuspect top = suspects.get(0);
            HeapInstance service = (HeapInstance) heap.instancesOf(LeakWorkload.Service.class.getName()).get(0);
            HeapObject cache = (HeapObject) service.get("cache");
            HeapObject table = (HeapObject) ((HeapInstance) cache).get("table");
            assertEquals(table.index(), top.accumulationPoint().orElseThrow().object(), suspects.toString());
            LeakSuspect.Holding held = top.holdings().get(0);
            assertEquals(new CollectionSize(LeakWorkload.CACHED, "entries"), held.size(), top.toString());
            String d = top.description();
            assertTrue(d.contains("(" + LeakWorkload.Service.class.getName() + ", "), d);
            assertTrue(d.contains(", 3,000 entries)"), d);
            assertTrue(d.startsWith("The thread \"main\" (java.lang.Thread), loaded by the bootstrap class loader, retains "), d);
            assertTrue(d.contains(" of the heap through local variable in thread \"main\" (" + LeakWorkload.Service.class.getName()), d);
            assertTrue(d.contains(", held through local variable in thread \"main\" → LeakWorkload$Service.cache → HashMap.table."), d);
            DominatorEntry map = heap.dominators().top(10).stream().filter(e -> e.object() == cache.index()).findFirst().orElseThrow();
            assertEquals("LeakWorkload$Service.cache", map.heldBy());
        }
    }

    @Test
    void anEvenlySpreadHeapStillHasNoSuspect() {
        try (Heap heap = Heap.open(LeakWorkload.dump("spread"))) {
            LeakSuspects suspects = heap.suspects();
            assertTrue(suspects.isEmpty(), suspects.toString());
            assertTrue(suspects.toString().startsWith("No leak suspect: nothing retains more than 10.0% of the "), suspects.toString());
        }
    }
}

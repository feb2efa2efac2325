package dev.heaplens.diff;

import dev.heaplens.fixtures.LruCacheWorkload;
import dev.heaplens.fixtures.SessionLeakWorkload;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static dev.heaplens.diff.GrowthDumps.LEAKED_PER_STEP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Growth across series of real dumps: a leak grows at every step, a full cache does not. */
class HeapGrowthTest {

    private static PathGrowth find(HeapGrowth growth, String field) {
        return growth.paths().stream()
                .filter(g -> g.path().length() > 1 && g.path().steps().get(1).name().equals(field))
                .findFirst().orElseThrow(() -> new AssertionError("no growing path from " + field + " in\n" + growth));
    }

    @Test
    void bothLeakingPathsGrowByTheirExactCountInEveryStepOfFourDumps() {
        List<Path> dumps = GrowthDumps.leak();
        HeapGrowth growth = HeapGrowth.of(dumps);
        List<Long> perStep = List.of((long) LEAKED_PER_STEP, (long) LEAKED_PER_STEP, (long) LEAKED_PER_STEP);

        PathGrowth map = find(growth, "SESSIONS");
        assertEquals("java.util.HashMap$Node", map.path().leaf().className());
        assertEquals(perStep, map.countDeltas());
        PathGrowth listeners = find(growth, "LISTENERS");
        assertEquals(SessionLeakWorkload.Listener.class.getName(), listeners.path().leaf().className());
        assertEquals(perStep, listeners.countDeltas());
        // the map first (sessions with their payloads retain more); what the entries bring is not listed apart
        assertEquals(List.of(map, listeners), growth.paths().subList(0, 2), growth.toString());
        assertEquals(2, growth.paths().stream().filter(g -> g.path().toString().contains("SessionLeakWorkload")).count(), growth.toString());
        assertTrue(map.retainedDeltas().stream().allMatch(d -> d > 0));

        ClassGrowth sessions = growth.classes().stream().filter(c -> c.key().className().equals(SessionLeakWorkload.Session.class.getName()))
                .findFirst().orElseThrow();
        assertEquals(perStep, sessions.countDeltas());

        // the same series read as a directory
        HeapGrowth fromDirectory = HeapGrowth.inDirectory(dumps.get(0).getParent());
        assertEquals(growth.paths(), fromDirectory.paths());
        assertTrue(growth.toString().contains("+1,000 +1,000 +1,000"), growth.toString());
    }

    @Test
    void aCacheIsReportedWhileItFillsAndNotOnceItHoldsSteady() {
        List<Path> dumps = GrowthDumps.cache();
        // filling (400, 800, 1000 entries): found, so the check below is not vacuous
        HeapGrowth filling = HeapGrowth.of(dumps.subList(0, 3));
        PathGrowth cache = find(filling, "CACHE");
        assertEquals(List.of(400L, 200L), cache.countDeltas(), filling.toString());
        assertEquals("java.util.LinkedHashMap$Entry", cache.path().leaf().className());

        // full: entries are replaced, never added; keys grow longer but the count holds
        HeapGrowth full = HeapGrowth.of(dumps.subList(2, 6));
        assertTrue(full.paths().isEmpty(), full.toString());
        assertTrue(full.classes().stream().noneMatch(c -> c.key().className().startsWith(LruCacheWorkload.class.getName())), full.toString());
        assertTrue(full.toString().contains("Nothing grew in every step."), full.toString());
    }

    @Test
    void aSeriesNeedsThreeDumps() {
        List<Path> dumps = GrowthDumps.leak();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HeapGrowth.of(dumps.subList(0, 2)));
        assertEquals("a growth series needs at least 3 dumps, not 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HeapGrowth.inDirectory(dumps.get(0)));
    }
}

package dev.heaplens.diff;

import dev.heaplens.fixtures.SessionLeakWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.heaplens.diff.GrowthDumps.LEAKED_PER_STEP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Diffs of real dumps of one leaking run: the leak is the top path, with its exact count; a dump against itself is no change. */
class HeapDiffTest {
    private static final String REGISTRY = SessionLeakWorkload.SessionRegistry.class.getName();
    @TempDir
    Path temp;

    @Test
    void theTopPathIsTheLeakingMapWithTheExactNumberOfEntriesAdded() {
        List<Path> leak = GrowthDumps.leak();
        HeapDiff diff = HeapDiff.of(leak.get(0), leak.get(1));
        PathDelta top = diff.paths().grown().get(0);
        RetentionPath path = top.path();
        assertEquals(new RetentionPath.Step(RetentionPath.Via.STATIC, "SESSIONS", ClassKey.bootstrap("java.util.HashMap")),
                path.steps().get(1), diff.toString());
        assertEquals(REGISTRY, path.root().target().className());
        assertEquals("java.util.HashMap$Node", path.leaf().className());
        assertEquals(RetentionPath.Via.ELEMENT, path.steps().get(path.length() - 1).via(), "the map's entries, not a chain of .next");
        assertEquals(LEAKED_PER_STEP, top.deltaCount(), diff.toString());
        assertEquals(LEAKED_PER_STEP, top.countBefore());
        assertTrue(top.deltaRetained() > top.deltaShallow(), "keys, sessions and payloads come with the entries");
        assertEquals("static SessionLeakWorkload$SessionRegistry.SESSIONS → HashMap.table → HashMap$Node[*] → java.util.HashMap$Node",
                path.toString());

        // the listener list is the other growth, with its exact count; the entries' contents are not listed apart
        PathDelta listeners = diff.paths().grown().get(1);
        assertEquals("static SessionLeakWorkload$SessionRegistry.LISTENERS → ArrayList.elementData → Object[*] → "
                + SessionLeakWorkload.Listener.class.getName(), listeners.path().toString());
        assertEquals(LEAKED_PER_STEP, listeners.deltaCount());
        assertTrue(diff.paths().grown().stream().noneMatch(d -> d.path().leaf().className().equals(SessionLeakWorkload.Session.class.getName())),
                "sessions come with the map's entries");
        // any path can be looked up, listed or not: the sessions under the entries grew by as many
        RetentionPath sessions = new RetentionPath(List.of(path.steps().get(0), path.steps().get(1), path.steps().get(2),
                path.steps().get(3), new RetentionPath.Step(RetentionPath.Via.FIELD, "value",
                        diff.classes().row(SessionLeakWorkload.Session.class.getName()).key())));
        assertEquals(LEAKED_PER_STEP, diff.paths().path(sessions).deltaCount(), diff.paths().path(sessions).toString());

        // the classes: as many more sessions and listeners
        assertEquals(LEAKED_PER_STEP, diff.classes().row(SessionLeakWorkload.Session.class.getName()).deltaCount());
        assertEquals(LEAKED_PER_STEP, diff.classes().row(SessionLeakWorkload.Listener.class.getName()).deltaCount());
        assertTrue(diff.toString().contains("Paths that grew"), diff.toString());
    }

    @Test
    void aDumpAgainstItselfOrAnIdenticalCopyIsNoChange() throws IOException {
        Path dump = GrowthDumps.leak().get(0);
        Path copy = Files.copy(dump, temp.resolve("copy.hprof"));
        for (HeapDiff diff : List.of(HeapDiff.of(dump, dump), HeapDiff.of(dump, copy))) {
            assertTrue(diff.isEmpty(), diff.toString());
            assertTrue(diff.classes().rows().isEmpty());
            assertTrue(diff.paths().grown().isEmpty() && diff.paths().shrunk().isEmpty());
            assertEquals(0, diff.paths().changedCount());
            assertTrue(diff.classes().unchangedCount() > 500);
            assertTrue(diff.toString().contains("No change in the heap."), diff.toString());
        }
        // while two steps of the same run do change: the check above can fail
        assertTrue(!HeapDiff.of(dump, GrowthDumps.leak().get(1)).isEmpty());
    }
}

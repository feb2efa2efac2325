package dev.heaplens.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heaplens.Snapshot;
import dev.heaplens.SnapshotSeries;
import dev.heaplens.capture.ProcessMemoryDiff;
import dev.heaplens.cli.Main;
import dev.heaplens.fixtures.SessionLeakWorkload;
import dev.heaplens.report.DiffJson;
import dev.heaplens.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots heaplens captured of a leaking child, step by step: the diff carries their process memory
 * from the sidecars (the same figures the captures read), the leak is still the top path with its
 * exact count, and a series grows along both leaking paths.
 */
class SnapshotDiffTest {
    private static final int PER_STEP = 500;

    @TempDir
    Path temp;

    @Test
    void snapshotsOfAChildDiffWithTheirProcessMemoryAndGrowAsASeries() throws Exception {
        Path dir = temp.resolve("series");
        try (ChildJvm child = ChildJvm.start(ChildJvm.currentJavaHome(), SessionLeakWorkload.class,
                List.of("-Xmx64m", "-XX:NativeMemoryTracking=summary"), String.valueOf(PER_STEP))) {
            SnapshotSeries series = SnapshotSeries.in(dir).ofProcess(child.pid());
            Snapshot first = series.take("first");
            child.step("step");
            Snapshot second = series.take("second");
            child.step("step");
            series.take("third");

            HeapDiff diff = HeapDiff.of(first, second);
            ProcessMemoryDiff memory = diff.processMemory().orElseThrow(() -> new AssertionError("no process memory:\n" + diff));
            assertEquals(first.memory().diff(second.memory()).changes(), memory.changes(), "the sidecars' figures are the captures'");
            assertTrue(memory.change("NMT total: committed").isPresent(), memory.toString());
            assertTrue(diff.toString().contains("Process memory"), diff.toString());
            assertEquals(PER_STEP, diff.paths().grown().get(0).deltaCount(), diff.toString());

            JsonNode json = new ObjectMapper().readTree(DiffJson.render(diff, 10));
            assertEquals(memory.changes().size(), json.get("processMemory").size());
            assertEquals("resident set", json.get("processMemory").get(0).get("item").asText());

            // the command line reads the sidecars too
            StringWriter out = new StringWriter();
            int status = Main.run(new String[] {"diff", "--format", "json", first.dump().toString(),
                    second.dump().toString()}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
            assertEquals(0, status);
            assertEquals(memory.changes().size(), new ObjectMapper().readTree(out.toString()).get("processMemory").size());

            // without sidecars there is nothing to say about the process
            Path a = Files.copy(first.dump(), temp.resolve("a.hprof"));
            Path b = Files.copy(second.dump(), temp.resolve("b.hprof"));
            HeapDiff plain = HeapDiff.of(a, b);
            assertTrue(plain.processMemory().isEmpty());
            assertTrue(new ObjectMapper().readTree(DiffJson.render(plain, 10)).get("processMemory").isNull());

            // the two leaks lead; a capture over JMX leaves a little of its own behind in the target
            // (an RMI task per connection), which grows too, by one object a step
            HeapGrowth growth = HeapGrowth.of(series);
            for (int i = 0; i < 2; i++) {
                PathGrowth p = growth.paths().get(i);
                assertEquals(List.of((long) PER_STEP, (long) PER_STEP), p.countDeltas(), growth.toString());
                assertTrue(p.path().toString().startsWith("static SessionLeakWorkload$SessionRegistry."), growth.toString());
            }
        }
    }
}

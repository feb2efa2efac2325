package dev.heaplens.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heaplens.alloc.AllocationProfile;
import dev.heaplens.alloc.AllocationRecorder;
import dev.heaplens.fixtures.AllocationWorkload;
import dev.heaplens.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.heaplens.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code heaplens alloc}: a recording file as text and JSON, a running JVM by pid, and bad input. */
class AllocCliTest {
    private static final String MARKER = AllocationWorkload.Marker.class.getName();

    @TempDir
    Path temp;

    @Test
    void aRecordingFileAsTextAndJson() throws Exception {
        AllocationProfile p = AllocationRecorder.record(AllocationRecorder.Options.defaults().samplesPerSecond(1000).in(temp),
                () -> {
                    AllocationWorkload.allocateMarkersInBatches(10_000_000, 100);
                    System.gc(); // a collection in the recording, however large this JVM's heap has grown
                });
        String jfr = p.recording().toString();
        CliTest.Run text = run("alloc", "--package", "dev.heaplens.", jfr);
        assertEquals(0, text.status(), text.err());
        String out = text.out();
        assertTrue(out.startsWith("Allocation profile of " + jfr + " (process " + ProcessHandle.current().pid() + "): "), out);
        assertTrue(out.contains("sampled, so bytes and objects are estimates"), out);
        assertTrue(out.contains("Allocations by type") && out.contains("Call tree (top-down)") && out.contains("Garbage collections"), out);
        assertTrue(out.contains("Backtraces of " + MARKER + " (bottom-up)"), out);
        assertTrue(out.contains("Hot allocation sites in dev.heaplens.") && out.contains(AllocationWorkload.class.getName() + ".allocateMarkers:"), out);

        CliTest.Run json = run("alloc", "--format", "json", "--type", MARKER, "--package", "dev.heaplens.", jfr);
        assertEquals(0, json.status(), json.err());
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertEquals(jfr, doc.get("recording").asText());
        assertTrue(doc.get("sampled").asBoolean());
        assertEquals(MARKER, doc.get("byType").get(0).get("class").asText());
        assertEquals(p.totalBytes(), doc.get("callTree").get(0).get("totalBytes").asLong());
        assertEquals(0, doc.get("callTree").get(0).get("depth").asInt());
        assertEquals(MARKER, doc.get("backtraces").get("class").asText());
        assertEquals(AllocationWorkload.class.getName() + ".allocateMarkers", doc.get("backtraces").get("nodes").get(1).get("frame").asText());
        assertEquals("dev.heaplens.", doc.get("hotSites").get("packages").get(0).asText());
        assertTrue(doc.get("collections").get("summary").size() > 0, doc.get("collections").toString());
    }

    @Test
    void aRunningJvmByPid() throws Exception {
        try (ChildJvm child = ChildJvm.start(ChildJvm.currentJavaHome(), AllocationWorkload.class, List.of("-Xmx64m"), "loop")) {
            CliTest.Run r = run("alloc", "--pid", Long.toString(child.pid()), "--duration", "1500ms", "--format", "json");
            assertEquals(0, r.status(), r.err());
            JsonNode doc = new ObjectMapper().readTree(r.out());
            assertEquals(child.pid(), doc.get("pid").asLong());
            assertEquals(MARKER, doc.get("byType").get(0).get("class").asText());
            Files.deleteIfExists(Path.of(doc.get("recording").asText()));
        }
    }

    @Test
    void badInputIsOneLine() throws Exception {
        Path notJfr = Files.writeString(temp.resolve("x.jfr"), "hello");
        CliTest.Run r = run("alloc", notJfr.toString());
        assertEquals(1, r.status());
        assertEquals("heaplens: " + notJfr + ": not a JFR recording (it does not start with JFR's magic bytes FLR\\0)", r.err().strip());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals(2, run("alloc").status());
        assertEquals(2, run("alloc", "--pid", "1", notJfr.toString()).status());
        assertEquals(2, run("alloc", "--pid", "1", "--duration", "soon").status());
    }
}

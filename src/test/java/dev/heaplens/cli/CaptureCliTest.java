package dev.heaplens.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heaplens.capture.ProcessMemory;
import dev.heaplens.fixtures.CaptureWorkload;
import dev.heaplens.testing.ChildJvm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.heaplens.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code capture}, {@code memory} and {@code analyze --pid} against a running child JVM. */
class CaptureCliTest {
    static ChildJvm child;
    static String pid;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() throws IOException {
        child = ChildJvm.start(ChildJvm.currentJavaHome(), CaptureWorkload.class, List.of("-Xmx64m"));
        pid = Long.toString(child.pid());
    }

    @AfterAll
    static void stop() {
        child.close();
    }

    @Test
    void captureToAFileAndIntoADirectory() throws Exception {
        Path out = temp.resolve("app.hprof");
        CliTest.Run r = run("capture", "--pid", pid, out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("Captured process " + pid + " ("), r.out());
        assertTrue(r.out().contains("metadata in app.hprof.json") && r.out().contains("memory pool"), r.out());
        assertTrue(Files.size(out) > 1_000_000 && Files.isRegularFile(temp.resolve("app.hprof.json")));

        CliTest.Run json = run("capture", "--pid", pid, "--gz", "--all", "--format", "json", temp.toString());
        assertEquals(0, json.status(), json.err());
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertTrue(doc.get("gzip").asBoolean() && !doc.get("liveOnly").asBoolean());
        assertTrue(doc.get("dump").asText().matches("heaplens-" + pid + "-\\d{8}-\\d{6}\\.hprof\\.gz"), doc.toString());
        assertTrue(Files.isRegularFile(temp.resolve(doc.get("dump").asText())));
        assertEquals(child.pid(), doc.get("jvm").get("pid").asLong());

        CliTest.Run again = run("capture", "--pid", pid, out.toString());
        assertEquals(1, again.status());
        assertEquals("heaplens: " + out + " already exists: heaplens never overwrites a file; choose another name or a directory",
                again.err().strip());
    }

    @Test
    void captureErrorsAndUsage() {
        CliTest.Run gone = run("capture", "--pid", "2147483646", temp.resolve("x.hprof").toString());
        assertEquals(1, gone.status());
        assertTrue(gone.err().startsWith("heaplens: no process with pid 2147483646"), gone.err());
        assertEquals(2, run("capture", temp.resolve("x.hprof").toString()).status());
        assertEquals(2, run("capture", "--pid", "abc", temp.resolve("x.hprof").toString()).status());
        assertEquals(2, run("memory").status());
    }

    @Test
    void memoryAsTextAndJson() throws Exception {
        CliTest.Run text = run("memory", "--pid", pid);
        assertEquals(0, text.status(), text.err());
        assertTrue(text.out().startsWith("Memory of process " + pid + " at "), text.out());
        assertTrue(text.out().lines().findFirst().orElseThrow().endsWith(" (from diagnostic commands)"), text.out());
        assertTrue(text.out().contains("NMT off: start the JVM with -XX:NativeMemoryTracking=summary"), text.out());
        assertTrue(text.out().contains("garbage-first heap") && text.out().contains("CodeHeap 'non-nmethods'"), text.out());
        assertTrue(text.out().contains(ProcessMemory.NO_BUFFER_POOLS), text.out());
        CliTest.Run json = run("memory", "--pid", pid, "--format", "json");
        assertEquals(0, json.status(), json.err());
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertEquals(child.pid(), doc.get("pid").asLong());
        assertTrue(doc.get("pools").size() > 2);
        assertTrue(doc.get("bufferPools").isNull(), "not known without JMX: " + doc);
        assertEquals("DIAGNOSTIC_COMMANDS", doc.get("source").asText());
        assertEquals(ProcessMemory.NO_BUFFER_POOLS, doc.get("notes").get(0).asText());
        assertEquals("OFF", doc.get("nativeMemory").get("tracking").asText());
    }

    /** {@code --jmx} goes through the JVM's JMX agent: buffer pools are known, and the agent stays (its own child). */
    @Test
    void memoryThroughJmxStartsTheAgentAndShowsBuffers() throws Exception {
        try (ChildJvm other = ChildJvm.start(ChildJvm.currentJavaHome(), CaptureWorkload.class, List.of("-Xmx64m"))) {
            CliTest.Run json = run("memory", "--pid", Long.toString(other.pid()), "--jmx", "--format", "json");
            assertEquals(0, json.status(), json.err());
            JsonNode doc = new ObjectMapper().readTree(json.out());
            assertEquals("JMX", doc.get("source").asText());
            JsonNode direct = null;
            for (JsonNode b : doc.get("bufferPools")) {
                if (b.get("name").asText().equals("direct")) {
                    direct = b;
                }
            }
            assertTrue(direct != null && direct.get("count").asLong() >= CaptureWorkload.DIRECT_BUFFERS, doc.toString());
            assertTrue(other.jcmd("Thread.print").contains("\"RMI TCP Accept-0\""), "the JMX agent keeps running in the target");
        }
    }

    @Test
    void analyzeCapturesThenAnalysesAndCleansUp() throws Exception {
        CliTest.Run r = run("analyze", "--pid", pid, "--top", "3", "--format", "json");
        assertEquals(0, r.status(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertTrue(doc.get("summary").get("objects").asLong() > 10_000, doc.get("summary").toString());
        Matcher m = Pattern.compile("Captured process " + pid + " \\(.*\\) to (\\S+)").matcher(r.err());
        assertTrue(m.find(), r.err());
        Path dump = Path.of(m.group(1));
        assertFalse(Files.exists(dump) || Files.exists(Path.of(dump + ".json")), "the captured dump is deleted after");

        CliTest.Run text = run("analyze", "--pid", pid, "--top", "3");
        assertEquals(0, text.status(), text.err());
        assertTrue(text.out().startsWith("Captured process " + pid), text.out());
        assertTrue(text.out().contains("(from the snapshot metadata)"), text.out());
        assertTrue(text.out().contains("Classes by retained size:"), text.out());

        assertEquals(2, run("analyze").status());
        CliTest.Run both = run("analyze", "--pid", pid, temp.resolve("x.hprof").toString());
        assertEquals(2, both.status());
        assertTrue(both.err().contains("give either a DUMP file or --pid PID (not both)"), both.err());
        assertEquals(2, run("analyze", "--keep", temp.resolve("x.hprof").toString()).status());
    }
}

package dev.heaplens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heaplens.capture.CaptureOptions;
import dev.heaplens.graph.VmLayout;
import dev.heaplens.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Heap#capture()} of this JVM, its sidecar, and the options: gzip, all objects, names. */
class SnapshotTest {
    /** Instances this test keeps alive to find in its own dumps. */
    static final class Kept {
        final int n;

        Kept(int n) {
            this.n = n;
        }
    }

    static final List<Kept> KEPT = new ArrayList<>();

    static {
        for (int i = 0; i < 321; i++) {
            KEPT.add(new Kept(i));
        }
    }

    @TempDir
    Path temp;

    @Test
    void captureThisJvmWithItsFlagsBesideTheDump() throws Exception {
        long pid = ProcessHandle.current().pid();
        Snapshot s = Heap.capture(CaptureOptions.defaults().in(temp));
        assertTrue(s.dump().getFileName().toString().matches("heaplens-" + pid + "-\\d{8}-\\d{6}\\.hprof"), s.dump().toString());
        assertEquals(temp.toAbsolutePath(), s.dump().getParent());
        assertTrue(s.liveOnly() && !s.gzip());
        assertEquals(pid, s.jvm().pid());
        assertEquals(System.getProperty("java.version"), s.jvm().javaVersion());

        // the sidecar, read by a real JSON parser, against the JVM's own flags (jcmd VM.flags)
        JsonNode json = new ObjectMapper().readTree(s.sidecar().toFile());
        Map<String, String> flags = ChildJvm.vmFlags(ChildJvm.currentJavaHome(), pid);
        assertEquals("heaplens-snapshot", json.get("format").asText());
        assertEquals(s.dump().getFileName().toString(), json.get("dump").asText());
        assertEquals(Files.size(s.dump()), json.get("dumpBytes").asLong());
        assertEquals(flags.get("UseCompressedOops"), json.get("jvm").get("compressedOops").asText());
        assertEquals(flags.get("UseCompressedClassPointers"), json.get("jvm").get("compressedClassPointers").asText());
        assertEquals(flags.get("ObjectAlignmentInBytes"), json.get("jvm").get("objectAlignmentInBytes").asText());
        assertTrue(json.get("jvm").get("compactObjectHeaders").isNull(), "JDK 17 has no UseCompactObjectHeaders");
        assertEquals(s.memory().pools().size(), json.get("memory").get("pools").size());

        assertEquals(s, Snapshot.read(s.dump()));
        assertEquals(VmLayout.ofCurrentJvm(), s.layout());
        try (Heap heap = s.open()) {
            assertEquals(s.layout(), heap.graph().layout());
            assertEquals(KEPT.size(), heap.instancesOf(Kept.class.getName()).size());
            assertTrue(heap.toString().contains("(from the snapshot metadata)"), heap.toString());
        }
        String text = s.toString();
        assertTrue(text.contains("UseCompressedOops") && text.contains("memory pool") && text.contains(s.dump().toString()), text);
    }

    @Test
    void freshNamesNeverOverwrite() throws Exception {
        // someone else's files on the names of the next seconds: the capture must pick "-2"
        DateTimeFormatter stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
        Instant now = Instant.now();
        List<Path> squatters = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            String base = "heaplens-" + ProcessHandle.current().pid() + "-" + stamp.format(now.plusSeconds(s));
            squatters.add(Files.writeString(temp.resolve(base + ".hprof"), "someone else's"));
        }
        Snapshot s = Heap.capture(CaptureOptions.defaults().in(temp));
        assertTrue(s.dump().getFileName().toString().endsWith("-2.hprof"), s.dump().toString());
        for (Path p : squatters) {
            assertEquals("someone else's", Files.readString(p));
            assertNotEquals(p, s.dump());
        }
        try (Heap heap = s.open()) {
            assertEquals(KEPT.size(), heap.instancesOf(Kept.class.getName()).size());
        }
    }

    @Test
    void gzipAllObjectsAndAnyFileName() throws Exception {
        Snapshot gz = Heap.capture(CaptureOptions.defaults().gzip(true).allObjects().in(temp));
        assertTrue(gz.dump().toString().endsWith(".hprof.gz") && gz.gzip() && !gz.liveOnly());
        try (InputStream in = Files.newInputStream(gz.dump())) {
            assertEquals(0x1f, in.read());
            assertEquals(0x8b, in.read());
        }
        try (Heap heap = gz.open()) {
            assertTrue(heap.instancesOf(Kept.class.getName()).size() >= KEPT.size());
            assertEquals(gz.layout(), heap.graph().layout());
        }
        Snapshot named = Heap.capture(CaptureOptions.defaults().to(temp.resolve("app.dump")));
        assertEquals(temp.resolve("app.dump").toAbsolutePath(), named.dump());
        assertEquals(temp.resolve("app.dump.json").toAbsolutePath(), named.sidecar());
        try (Stream<Path> files = Files.list(temp)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("app.dump", "app.dump.json", gz.dump().getFileName().toString(), gz.sidecar().getFileName().toString()),
                    names, "no partial file is left behind");
        }
    }

    @Test
    void readingADumpWithoutSidecar() throws Exception {
        Path bare = Files.writeString(temp.resolve("x.hprof"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Snapshot.read(bare));
        assertEquals(bare + " has no snapshot metadata (x.hprof.json): it was not captured by heaplens", e.getMessage());
        Files.writeString(Snapshot.sidecarOf(bare), "{\"format\": \"heaplens-snapshot\"");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Snapshot.read(bare));
        assertTrue(bad.getMessage().startsWith("ignored " + Snapshot.sidecarOf(bare) + ": bad JSON at offset "), bad.getMessage());
        assertTrue(Snapshot.find(bare).isEmpty());
    }
}

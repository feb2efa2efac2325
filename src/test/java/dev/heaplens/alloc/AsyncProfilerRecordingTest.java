package dev.heaplens.alloc;

import dev.heaplens.fixtures.AllocationWorkload;
import dev.heaplens.testing.ChildJvm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code .jfr} written by async-profiler's allocation mode ({@code event=alloc,jfr}: its own
 * {@code jdk.ObjectAllocationInNewTLAB}/{@code OutsideTLAB} events, no JDK settings): the agent
 * from its Maven Central jar, in a child JVM running {@link AllocationWorkload}.
 */
class AsyncProfilerRecordingTest {
    private static final String MARKER = AllocationWorkload.Marker.class.getName();

    @TempDir
    Path temp;

    @Test
    void itsAllocationRecordingReadsWithTheMarkerAndItsMethod() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the agent is extracted for linux-x64");
        Path agent = temp.resolve("libasyncProfiler.so");
        try (InputStream in = AsyncProfilerRecordingTest.class.getResourceAsStream("/linux-x64/libasyncProfiler.so")) {
            assertTrue(in != null, "tools.profiler:async-profiler on the test class path");
            Files.copy(in, agent);
        }
        Path jfr = temp.resolve("async.jfr");
        Process child = new ProcessBuilder(ChildJvm.currentJavaHome().resolve("bin/java").toString(), "-Xmx64m",
                "-agentpath:" + agent + "=start,event=alloc,jfr,file=" + jfr, "-cp", System.getProperty("java.class.path"),
                AllocationWorkload.class.getName()).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS) && child.exitValue() == 0, out);
        Matcher m = Pattern.compile("ALLOCATED (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        long allocated = Long.parseLong(m.group(1));

        AllocationProfile p = AllocationProfile.read(jfr);
        assertFalse(p.sampled());
        assertTrue(p.estimated(), "new-TLAB events stand for whole TLABs");
        assertEquals(child.pid(), p.pid().orElseThrow());
        TypeAllocation marker = p.byType().get(0);
        assertEquals(MARKER, marker.className(), p.byType().toString());
        long bytes = allocated * 24;
        assertTrue(marker.estimatedBytes() > bytes / 2 && marker.estimatedBytes() < bytes * 2, marker + " vs " + bytes);
        assertTrue(marker.estimatedObjects() > allocated / 2 && marker.estimatedObjects() < allocated * 2, marker + " vs " + allocated);
        assertEquals(AllocationWorkload.class.getName() + ".allocateMarkers", p.backtraces(MARKER).root().children().get(0).method());
        assertTrue(p.byType().toString().contains("estimated from TLAB events"), p.byType().toString());
        RecordingFileOracle.assertSameProfile(RecordingFileOracle.read(jfr), p);
    }
}

package dev.heaplens.alloc;

import dev.heaplens.fixtures.AllocationWorkload;
import dev.heaplens.testing.ChildJvm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * heaplens' own chunk reader against the JDK's parser ({@link RecordingFileOracle}) on real
 * recordings: every cell, count, time and view equal. The recordings cover sampled and TLAB
 * events, JFR's "profile" settings (hundreds of event types, GC events), JDK 17 and JDK 25
 * writers, and recordings of many chunks whose collections straddle chunk boundaries.
 */
class JfrChunkReaderTest {
    @TempDir
    Path temp;

    /**
     * The JDK's parser makes objects per event and grows this JVM's heap; the in-process recordings
     * of other tests expect a heap that collects while they run, so give it back.
     */
    @AfterAll
    static void shrinkTheHeap() {
        System.gc();
    }

    @Test
    void defaultSettingsInOneChunk() throws Exception {
        Path jfr = temp.resolve("default.jfr");
        run(ChildJvm.currentJavaHome(), "-XX:StartFlightRecording=filename=" + jfr + ",settings=default", "1500");
        AllocationProfile fast = AllocationProfile.read(jfr);
        assertTrue(fast.sampled() && fast.allocationEvents() > 20, fast.toString());
        RecordingFileOracle.assertSameProfile(RecordingFileOracle.read(jfr), fast);
    }

    /**
     * Clocks that do not tick a whole number of times a nanosecond: a real recording with its chunk
     * headers' tick rates rewritten (to 1,000,000,080 and to a TSC-like 2,999,999,999 a second) reads as
     * the JDK reads it, where converting a span and converting its two ends round a nanosecond apart.
     */
    @Test
    void tickRatesThatAreNotWholeTicksPerNanosecondConvertAsTheJdkDoes() throws Exception {
        Path jfr = temp.resolve("default.jfr");
        run(ChildJvm.currentJavaHome(), "-XX:StartFlightRecording=filename=" + jfr + ",settings=default", "500");
        byte[] b = Files.readAllBytes(jfr);
        for (long rate : new long[] {1_000_000_080L, 2_999_999_999L}) {
            java.nio.ByteBuffer chunk = java.nio.ByteBuffer.wrap(b);
            for (int at = 0; at < b.length; at += (int) chunk.getLong(at + 8)) {
                chunk.putLong(at + 56, rate); // the chunk header's ticks per second
            }
            Path odd = Files.write(temp.resolve("rate-" + rate + ".jfr"), b);
            RecordingFileOracle.assertSameProfile(RecordingFileOracle.read(odd), AllocationProfile.read(odd));
        }
    }

    @Test
    void profileSettingsInManySmallChunksOnJdk17() throws Exception {
        manyChunks(ChildJvm.currentJavaHome());
    }

    @Test
    void profileSettingsInManySmallChunksOnJdk25() throws Exception {
        manyChunks(ChildJvm.JDK25);
    }

    private void manyChunks(Path javaHome) throws Exception {
        Path jfr = temp.resolve("chunks.jfr");
        Path tlab = Files.writeString(temp.resolve("tlab.jfc"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <configuration version="2.0">
                  <event name="jdk.ObjectAllocationInNewTLAB"><setting name="enabled">true</setting><setting name="stackTrace">true</setting></event>
                  <event name="jdk.ObjectAllocationOutsideTLAB"><setting name="enabled">true</setting><setting name="stackTrace">true</setting></event>
                </configuration>
                """);
        // small fixed TLABs: an event every 4 KB, so the recording outgrows its 1 MB chunks however fast the child runs
        // (with adaptive TLABs a JDK 25 child once wrote less than a chunk in its 4 s)
        long pid = run(javaHome, "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,settings=" + tlab, "4000",
                "-XX:-ResizeTLAB", "-XX:TLABSize=4k");
        AllocationProfile fast = AllocationProfile.read(jfr);
        AllocationProfile jdk = RecordingFileOracle.read(jfr);
        assertTrue(chunks(jfr) >= 2, "chunks: " + chunks(jfr));
        assertTrue(fast.eventCounts().size() > 20 && !fast.collections().isEmpty(), fast.eventCounts().toString());
        assertEquals(pid, fast.pid().orElseThrow());
        RecordingFileOracle.assertSameProfile(jdk, fast);
    }

    /**
     * Damaged copies of a real recording: bytes overwritten at 300 seeded places (a run of 1–16 bytes
     * set to 0x00, 0xFF or random), each read either as a whole profile or refused with one line
     * naming the file; never another exception, never a hang.
     */
    @Test
    void damagedRecordingsAreReadOrRefusedWithOneLine() throws Exception {
        Path jfr = temp.resolve("default.jfr");
        run(ChildJvm.currentJavaHome(), "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile", "500");
        byte[] whole = Files.readAllBytes(jfr);
        java.util.Random random = new java.util.Random(20261206);
        Path mutant = temp.resolve("mutant.jfr");
        int refused = 0;
        for (int i = 0; i < 300; i++) {
            byte[] b = whole.clone();
            int at = random.nextInt(b.length);
            int run = 1 + random.nextInt(16);
            int mode = random.nextInt(3);
            for (int j = at; j < Math.min(b.length, at + run); j++) {
                b[j] = (byte) (mode == 0 ? 0 : mode == 1 ? 0xff : random.nextInt(256));
            }
            Files.write(mutant, b);
            String replay = "mutant " + i + " at " + at + " (" + run + " bytes, mode " + mode + ")";
            try {
                assertTrue(AllocationProfile.read(mutant).toString().length() > 0, replay);
            } catch (JfrFormatException e) {
                refused++;
                assertTrue(e.getMessage().startsWith(mutant + ": ") && !e.getMessage().contains("\n"), replay + ": " + e.getMessage());
            } catch (RuntimeException e) {
                // the recording is made afresh each run, so name the damage: it replays on a kept copy
                Files.copy(mutant, Path.of("target", "jfr-mutant-" + i + ".jfr"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                throw new AssertionError(replay + " (kept as target/jfr-mutant-" + i + ".jfr): " + e, e);
            }
        }
        assertTrue(refused > 0, "some of the damage is seen");
    }

    /** Runs {@link AllocationWorkload} for {@code millis} in a child JVM with a JFR option; returns its pid. */
    private static long run(Path javaHome, String jfrOption, String millis, String... flags) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString(), "-Xmx32m",
                "-XX:FlightRecorderOptions:maxchunksize=1m"));
        command.addAll(List.of(flags));
        command.addAll(List.of(jfrOption, "-cp", System.getProperty("java.class.path"), AllocationWorkload.class.getName(), millis));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS) && child.exitValue() == 0, out);
        return child.pid();
    }

    private static int chunks(Path jfr) throws Exception {
        byte[] b = Files.readAllBytes(jfr);
        int n = 0;
        for (long at = 0; at < b.length; n++) {
            at += java.nio.ByteBuffer.wrap(b, (int) at + 8, 8).getLong();
        }
        return n;
    }
}

package dev.heaplens.cli;

import dev.heaplens.fuzz.FuzzCorpus;
import dev.heaplens.testing.ChildJvm;
import dev.heaplens.testing.RealDumps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line on damaged dumps: a record claiming more than the file holds, a gzip stream cut
 * short, cut in its own header or with a flipped byte, and dumps cut inside the HPROF header. Every
 * analysing command prints one line on stderr naming the file, the offset and the record, and exits
 * 1; never a stack trace, also through the real {@code main} in a JVM of its own.
 */
class DamagedDumpCliTest {
    @TempDir
    static Path temp;

    private static byte[] plain;
    private static byte[] gzip;

    @BeforeAll
    static void seeds() {
        plain = FuzzCorpus.seed("jdk17.hprof").bytes();
        gzip = FuzzCorpus.seed("jdk17.hprof.gz").bytes();
    }

    /** A damaged dump, what its one line must say, and whether {@code --lenient} analyses what is left of it. */
    private record Damaged(Path file, String record, String problem, boolean lenientAnalyses) {
    }

    private static Damaged damaged(String name, byte[] bytes, String record, String problem, boolean lenientAnalyses) throws IOException {
        return new Damaged(Files.write(temp.resolve(name), bytes), record, problem, lenientAnalyses);
    }

    private static List<Damaged> damagedDumps() throws IOException {
        List<Damaged> all = new ArrayList<>();
        byte[] huge = plain.clone();
        int segment = firstHeapSegment(huge);
        ByteBuffer.wrap(huge).putInt(segment + 5, 0xFFFF_FFF0); // claims 4 GB
        all.add(damaged("huge-segment.hprof", huge, "HEAP DUMP SEGMENT", "record claims 4294967280 bytes but only", true));
        all.add(damaged("cut.hprof.gz", Arrays.copyOf(gzip, gzip.length * 3 / 5), "gzip",
                "gzip stream is damaged after", true));
        all.add(damaged("cut-in-gzip-header.hprof.gz", Arrays.copyOf(gzip, 6), "gzip", "the gzip header is cut short", false));
        byte[] flipped = gzip.clone();
        flipped[flipped.length / 2] ^= 0x10;
        all.add(damaged("flipped.hprof.gz", flipped, "gzip", "gzip stream is damaged after", true));
        all.add(damaged("cut-in-magic.hprof", Arrays.copyOf(plain, 10), "header", "not an HPROF file", false));
        all.add(damaged("cut-in-header.hprof", Arrays.copyOf(plain, 25), "header", "file ends inside the header", false));
        return all;
    }

    @Test
    void everyCommandPrintsOneLineNamingFileOffsetAndRecordAndExitsOne() throws IOException {
        for (Damaged d : damagedDumps()) {
            String file = d.file().toString();
            List<String[]> commands = List.of(new String[] {"analyze", file}, new String[] {"histogram", file},
                    new String[] {"dominators", file}, new String[] {"suspects", file}, new String[] {"path", "--to", "0x1", file},
                    new String[] {"analyze", "--format", "json", file}, new String[] {"diff", file, file});
            for (String[] args : commands) {
                CliTest.Run r = CliTest.run(args);
                String what = String.join(" ", args) + " -> " + r.err();
                assertEquals(1, r.status(), what);
                assertEquals("", r.out(), what);
                assertOneLine(r.err(), d, what);
            }
        }
    }

    @Test
    void aHeapTooSmallForTheDumpIsOneLineThatSaysWhatToDo() throws IOException, InterruptedException {
        // a real dump of 445,000 objects in a 24 MB heap: heaplens runs out of memory. The dump of
        // 20,000 sessions (165,000 objects) that this used to be needed 28-32 MB once the graph and the
        // tree got smaller, and fitted now and then, as the two analysis threads' peaks overlapped
        Path dump = RealDumps.series("session-leak-60k", dev.heaplens.fixtures.SessionLeakWorkload.class, List.of("-Xmx256m"), 1,
                "60000").get(0);
        List<String> cmd = List.of(ChildJvm.currentJavaHome().resolve("bin/java").toString(), "-Xmx24m", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "analyze", dump.toString());
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), err);
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("heaplens: out of memory: the Java heap's limit, 24 MB, is too small for this dump"), err);
        assertTrue(err.contains("java -Xmx1g -jar heaplens-cli.jar"), err);
    }

    @Test
    void theRealMainPrintsNoStackTrace() throws IOException, InterruptedException {
        for (Damaged d : damagedDumps()) {
            for (String lenient : new String[] {null, "--lenient"}) {
                List<String> cmd = new ArrayList<>(List.of(ChildJvm.currentJavaHome().resolve("bin/java").toString(), "-cp",
                        System.getProperty("java.class.path"), Main.class.getName(), "analyze"));
                if (lenient != null) {
                    cmd.add(lenient);
                }
                cmd.add(d.file().toString());
                Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(60, TimeUnit.SECONDS));
                String what = String.join(" ", cmd.subList(3, cmd.size())) + " -> " + err;
                if (lenient != null && d.lenientAnalyses()) {
                    // lenient mode analyses what came before the damage, and says what was lost
                    assertEquals(0, p.exitValue(), what);
                    assertTrue(err.lines().allMatch(l -> l.startsWith("warning: ")), what);
                    assertTrue(err.contains("warning: lenient: "), what);
                    continue;
                }
                assertEquals(1, p.exitValue(), what);
                assertOneLine(err, d, what);
            }
        }
    }

    /** Exactly one line: {@code heaplens: FILE: at byte N in RECORD: PROBLEM}. */
    private static void assertOneLine(String err, Damaged d, String what) {
        assertEquals(1, err.lines().count(), what);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), what);
        String prefix = "heaplens: " + d.file() + ": at byte ";
        assertTrue(err.startsWith(prefix), what);
        String rest = err.substring(prefix.length());
        assertTrue(rest.matches("(?s)\\d+ in " + java.util.regex.Pattern.quote(d.record()) + ": .*"), what);
        assertTrue(rest.contains(d.problem()), what);
    }

    /** Offset of the first HEAP DUMP SEGMENT record. */
    private static int firstHeapSegment(byte[] dump) {
        ByteBuffer b = ByteBuffer.wrap(dump);
        int nul = 0;
        while (dump[nul] != 0) {
            nul++;
        }
        int pos = nul + 13;
        while ((dump[pos] & 0xFF) != 0x1C) {
            pos += 9 + b.getInt(pos + 5);
        }
        return pos;
    }
}

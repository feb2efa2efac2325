package dev.heaplens.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heaplens.testing.RealDumps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line, run in-process through {@link Main#run}. */
class CliTest {
    @TempDir
    Path temp;

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void histogramAsJsonIsSortedByShallowBytesAndParses() throws Exception {
        Run r = run("histogram", "--format", "json", RealDumps.workload().toString());
        assertEquals(0, r.status(), r.err());
        JsonNode rows = new ObjectMapper().readTree(r.out());
        assertTrue(rows.isArray() && rows.size() > 300, "rows: " + rows.size());
        long previous = Long.MAX_VALUE;
        long strings = -1;
        for (JsonNode row : rows) {
            long bytes = row.get("shallowBytes").asLong();
            assertTrue(bytes <= previous, "sorted by shallowBytes descending");
            previous = bytes;
            assertTrue(row.get("count").asLong() > 0);
            if (row.get("class").asText().equals("java.lang.String")) {
                strings = row.get("count").asLong();
            }
        }
        assertTrue(strings > 1000, "strings: " + strings);
    }

    @Test
    void histogramTopPrintsATable() {
        Run r = run("histogram", "--top", "3", RealDumps.workload().toString());
        assertEquals(0, r.status(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(6, lines.length, r.out()); // header, rule, 3 rows, footer
        assertTrue(lines[0].contains("shallow bytes") && lines[5].contains("more classes"), r.out());
    }

    @Test
    void aBadDumpIsOneLineAndExitOne() throws Exception {
        Path notADump = Files.writeString(temp.resolve("notes.txt"), "not a heap dump");
        Run r = run("histogram", notADump.toString());
        assertEquals(1, r.status());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        assertTrue(r.err().startsWith("heaplens: " + notADump + ": at byte 0"), r.err());
        Run missing = run("histogram", temp.resolve("missing.hprof").toString());
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }

    @Test
    void aTruncatedDumpFailsAndIsReadLeniently() throws Exception {
        byte[] whole = Files.readAllBytes(RealDumps.workload());
        Path cut = Files.write(temp.resolve("cut.hprof"), Arrays.copyOf(whole, whole.length * 2 / 3));
        Run strict = run("histogram", cut.toString());
        assertEquals(1, strict.status());
        assertTrue(strict.err().contains("remain in the file") || strict.err().contains("truncated"), strict.err());
        Run lenient = run("histogram", "--lenient", "--top", "5", cut.toString());
        assertEquals(0, lenient.status(), lenient.err());
        assertTrue(lenient.err().contains("not analysed"), lenient.err());
        assertTrue(lenient.out().contains("byte[]"), lenient.out());
    }

    @Test
    void wrongArgumentsAreUsageErrors() {
        Run unknown = run("histogram", "--formt", "json", "x.hprof");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("Unknown option"), unknown.err());
        Run top = run("histogram", "--top", "0", "x.hprof");
        assertEquals(2, top.status());
        assertTrue(top.err().contains("--top must be at least 1"), top.err());
        Run format = run("histogram", "--format", "xml", "x.hprof");
        assertEquals(2, format.status());
        Run none = run("nosuchcommand");
        assertEquals(2, none.status());
    }

    @Test
    void demoFindsItsOwnLeak() {
        Run r = run("demo", "--sessions", "3000");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("DemoWorkload$Session: 3,000 instances"), r.out());
        assertTrue(r.out().contains("Top classes by shallow size"), r.out());
    }
}

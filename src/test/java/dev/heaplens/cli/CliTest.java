package dev.heaplens.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heaplens.fixtures.LeakWorkload;
import dev.heaplens.testing.RealDumps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        for (JsonNode row : rows) {
            assertTrue(row.get("retainedBytes").isIntegralNumber() && row.get("retainedBytes").asLong() >= 0, row.toString());
        }
    }

    @Test
    void histogramSortsByRetainedAndShowsTheColumn() throws Exception {
        Run r = run("histogram", "--sort", "retained", "--top", "20", "--format", "json", RealDumps.workload().toString());
        assertEquals(0, r.status(), r.err());
        JsonNode rows = new ObjectMapper().readTree(r.out());
        assertEquals(20, rows.size());
        long previous = Long.MAX_VALUE;
        for (JsonNode row : rows) {
            long retained = row.get("retainedBytes").asLong();
            assertTrue(retained <= previous, "sorted by retainedBytes descending");
            assertTrue(retained > 0);
            previous = retained;
        }
        Run text = run("histogram", "--sort", "retained", "--top", "3", RealDumps.workload().toString());
        assertTrue(text.out().lines().findFirst().orElseThrow().contains("retained bytes"), text.out());
        assertEquals(2, run("histogram", "--sort", "deep", RealDumps.workload().toString()).status());
    }

    @Test
    void dominatorsListTheLargestRetainedSizes() throws Exception {
        Run r = run("dominators", "--top", "5", "--format", "json", RealDumps.workload().toString());
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        JsonNode top = json.get("dominators");
        assertEquals(5, top.size());
        long reachable = json.get("reachableBytes").asLong();
        long previous = Long.MAX_VALUE;
        for (JsonNode e : top) {
            long retained = e.get("retainedBytes").asLong();
            assertTrue(retained <= previous && retained <= reachable && retained >= e.get("shallowBytes").asLong(), e.toString());
            assertTrue(e.get("id").asText().startsWith("0x"), e.toString());
            previous = retained;
        }
        Run text = run("dominators", "--top", "3", RealDumps.workload().toString());
        assertEquals(0, text.status(), text.err());
        assertTrue(text.out().startsWith("Largest retained sizes\n"), text.out());
        assertTrue(text.out().contains("reachable: "), text.out());
        assertEquals(2, run("dominators", "--top", "0", RealDumps.workload().toString()).status());
    }

    @Test
    void pathToAnIdInHexOrDecimal() throws Exception {
        String dump = LeakWorkload.dump("leak").toString();
        JsonNode suspects = new ObjectMapper().readTree(run("suspects", "--format", "json", dump).out());
        String hex = suspects.get("suspects").get(0).get("accumulationPoint").get("id").asText();
        Run r = run("path", "--to", hex, "--format", "json", dump);
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("STRONG", json.get("reachability").asText());
        JsonNode steps = json.get("path").get("steps");
        assertEquals("root", steps.get(0).get("kind").asText());
        assertEquals(hex, steps.get(steps.size() - 1).get("id").asText());
        assertEquals("java.util.HashMap$Node[]", steps.get(steps.size() - 1).get("class").asText());
        assertEquals(".table", steps.get(steps.size() - 1).get("via").asText());
        assertEquals("static LeakWorkload$Registry.SESSIONS", steps.get(steps.size() - 2).get("via").asText());
        assertEquals(json.get("path").get("length").asInt(), steps.size() - 1);

        String decimal = Long.toString(Long.parseLong(hex.substring(2), 16));
        Run text = run("path", "--to", decimal, dump);
        assertEquals(0, text.status(), text.err());
        assertTrue(text.out().startsWith("class dev.heaplens.fixtures.LeakWorkload$Registry@0x"), text.out());
        assertTrue(text.out().lines().findFirst().orElseThrow().contains(", held by the app class loader (GC root: JNI global, "
                + "jdk.internal.loader.ClassLoaders$AppClassLoader@0x"), text.out());
        assertEquals(4, json.get("path").get("shownFrom").get("steps").asInt(), "root, loader's .classes, .elementData, slot");
        assertEquals("the app class loader", json.get("path").get("shownFrom").get("loader").asText());
        assertEquals("dev.heaplens.fixtures.LeakWorkload$Registry", json.get("path").get("shownFrom").get("class").asText());
        assertEquals(steps.get(3).get("id").asText(), json.get("path").get("shownFrom").get("id").asText());
        assertTrue(text.out().contains("static LeakWorkload$Registry.SESSIONS"), text.out());

        Run missing = run("path", "--to", "0x10", dump);
        assertEquals(1, missing.status());
        assertTrue(missing.err().startsWith("heaplens: no object with id 0x10"), missing.err());
        assertEquals(2, run("path", dump).status());
    }

    @Test
    void pathToAClassMergesThePathsOfItsInstances() throws Exception {
        String dump = LeakWorkload.dump("leak").toString();
        String session = LeakWorkload.Session.class.getName();
        Run r = run("path", "--to", session, "--format", "json", dump);
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(LeakWorkload.SESSIONS, json.get("objects").asInt());
        assertEquals(LeakWorkload.SESSIONS, json.get("withPath").asInt());
        boolean viaStatic = false;
        for (JsonNode b : json.get("branches")) {
            viaStatic |= b.get("via").asText().equals("static LeakWorkload$Registry.SESSIONS")
                    && b.get("count").asInt() == LeakWorkload.SESSIONS;
        }
        assertTrue(viaStatic, r.out());
        Run text = run("path", "--to", session, dump);
        assertTrue(text.out().startsWith("Merged paths from GC roots to 20,000 objects"), text.out());
        Run unknown = run("path", "--to", "com.example.Nothing", dump);
        assertEquals(1, unknown.status());
        assertTrue(unknown.err().startsWith("heaplens: no class named com.example.Nothing"), unknown.err());
    }

    @Test
    void suspectsNameTheLeakItsTableAndItsPath() throws Exception {
        String dump = LeakWorkload.dump("leak").toString();
        Run r = run("suspects", "--format", "json", dump);
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(10.0, json.get("thresholdPercent").asDouble());
        JsonNode top = json.get("suspects").get(0);
        assertEquals("OBJECT", top.get("kind").asText());
        assertEquals("class " + LeakWorkload.Registry.class.getName(), top.get("class").asText());
        assertEquals("java.util.HashMap$Node[]", top.get("accumulationPoint").get("class").asText());
        assertTrue(top.get("percentOfHeap").asDouble() > 80, top.toString());
        assertTrue(top.get("description").asText().contains("static field LeakWorkload$Registry.SESSIONS"), top.toString());
        assertTrue(top.get("contents").size() > 0, top.toString());

        Run text = run("suspects", dump);
        assertTrue(text.out().startsWith("1 leak suspect"), text.out());
        Run none = run("suspects", LeakWorkload.dump("spread").toString());
        assertTrue(none.out().startsWith("No leak suspect"), none.out());
        Run lower = run("suspects", "--threshold", "5", "--format", "json", LeakWorkload.dump("spread").toString());
        assertEquals(LeakWorkload.THREADS, new ObjectMapper().readTree(lower.out()).get("suspects").size());
        Run bad = run("suspects", "--threshold", "0", dump);
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--threshold must be a percentage"), bad.err());
    }

    @Test
    void analyzeSummarisesTheHeap() throws Exception {
        String dump = LeakWorkload.dump("leak").toString();
        Run r = run("analyze", "--format", "json", dump);
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        JsonNode summary = json.get("summary");
        assertTrue(summary.get("objects").asLong() > 60_000, summary.toString());
        assertTrue(summary.get("reachableBytes").asLong() <= summary.get("shallowBytes").asLong());
        assertTrue(summary.get("complete").asBoolean());
        JsonNode classes = json.get("topClassesByRetained");
        assertEquals(10, classes.size());
        long previous = Long.MAX_VALUE;
        for (JsonNode c : classes) {
            assertTrue(c.get("retainedBytes").asLong() <= previous);
            previous = c.get("retainedBytes").asLong();
        }
        assertEquals(10, json.get("topDominators").size());
        assertEquals(1, json.get("suspects").get("suspects").size());

        Run text = run("analyze", "--top", "5", dump);
        assertEquals(0, text.status(), text.err());
        for (String part : new String[] {"objects", "reachable: ", "Classes by retained size:", "Largest retained sizes", "1 leak suspect"}) {
            assertTrue(text.out().contains(part), part + " in\n" + text.out());
        }
    }

    @Test
    void analyzeWritesOneHtmlPageAndNeverOverTheDump() throws Exception {
        Path dump = LeakWorkload.dump("leak");
        Path page = temp.resolve("report.html");
        Run r = run("analyze", "--format", "html", "-o", page.toString(), dump.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("Wrote the html report of " + dump + " to " + page), r.out());
        String html = Files.readString(page);
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.endsWith("</html>\n"), "a whole page");
        assertTrue(html.contains("id=\"suspect-1\"") && html.contains("id=\"treemap-data\""), "suspect and treemap");
        try (var left = Files.list(temp)) {
            assertEquals(List.of(page), left.toList(), "no temporary file left beside it");
        }
        Path plain = Files.writeString(temp.resolve("plain.txt"), "x");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(page), "as readable as any new file");
        Files.delete(plain);
        // the same report on stdout
        Run stdout = run("analyze", "--format", "html", dump.toString());
        assertTrue(stdout.out().startsWith("<!DOCTYPE html>"), stdout.out().substring(0, 40));

        byte[] before = Files.readAllBytes(dump);
        Run over = run("analyze", "--format", "html", "-o", dump.toString(), dump.toString());
        assertEquals(2, over.status());
        assertTrue(over.err().contains("is one of the inputs"), over.err());
        assertArrayEquals(before, Files.readAllBytes(dump), "the dump is untouched");

        Run nowhere = run("analyze", "--format", "html", "-o", temp.resolve("no/such/dir/r.html").toString(), dump.toString());
        assertEquals(1, nowhere.status());
        assertEquals(1, nowhere.err().strip().split("\n").length, nowhere.err());
        assertTrue(nowhere.err().contains("cannot write the report to " + temp.resolve("no/such/dir/r.html")), nowhere.err());
    }

    @Test
    void analyzeJsonCarriesTheTreemap() throws Exception {
        Run r = run("analyze", "--format", "json", RealDumps.workload().toString());
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        JsonNode map = json.get("treemap");
        assertEquals(json.get("summary").get("reachableBytes").asLong(), map.get("retainedBytes").asLong());
        long drawn = 0;
        for (JsonNode c : map.get("children")) {
            drawn += c.get("retainedBytes").asLong();
            assertTrue(c.get("id").asText().startsWith("0x"), c.toString());
        }
        assertEquals(map.get("retainedBytes").asLong(), drawn + map.get("otherBytes").asLong());
        assertTrue(json.get("jvm").isNull() && json.get("processMemory").isNull(), "not captured by heaplens");
    }

    @Test
    void everyNewCommandReadsATruncatedDumpLeniently() throws Exception {
        byte[] whole = Files.readAllBytes(RealDumps.workload());
        Path cut = Files.write(temp.resolve("cut.hprof"), Arrays.copyOf(whole, whole.length * 2 / 3));
        for (String command : new String[] {"dominators", "suspects", "analyze"}) {
            Run strict = run(command, cut.toString());
            assertEquals(1, strict.status(), command);
            assertEquals(1, strict.err().strip().split("\n").length, strict.err());
            Run lenient = run(command, "--lenient", "--format", "json", cut.toString());
            assertEquals(0, lenient.status(), command + ": " + lenient.err());
            assertTrue(lenient.err().contains("not analysed"), lenient.err());
            new ObjectMapper().readTree(lenient.out());
        }
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
        assertTrue(r.out().contains("Leak suspects:"), r.out());
        assertTrue(r.out().contains("Path from a GC root to one leaked session:"), r.out());
    }

    @Test
    void demoShowsTheSuspectAndThePathToTheLeak() {
        Run r = run("demo");
        assertEquals(0, r.status(), r.err());
        String out = r.out();
        String suspects = out.substring(out.indexOf("Leak suspects:"), out.indexOf("Path from a GC root to one leaked session:"));
        assertTrue(suspects.contains("Suspect 1: class dev.heaplens.cli.DemoWorkload@"), out);
        assertTrue(suspects.contains("The class dev.heaplens.cli.DemoWorkload, loaded by the app class loader, retains"), out);
        assertTrue(suspects.contains("20,000 dev.heaplens.cli.DemoWorkload$Session"), out);
        // the sentence names the statics, their collections' sizes, and what they hold together
        String sentence = suspects.replaceAll("\\s+", " ");
        assertTrue(sentence.matches("(?s).*retains [\\d.]+ MB \\([\\d.]+%\\) of the heap through static SESSIONS \\(java\\.util\\.HashMap,"
                + " [\\d.]+ KB, 20,000 entries\\) and static LISTENERS \\(java\\.util\\.ArrayList, [\\d.]+ KB, 20,000 elements\\),"
                + " which both hold 20,000 dev\\.heaplens\\.cli\\.DemoWorkload\\$Session \\(.*"), sentence);
        assertTrue(suspects.contains("class dev.heaplens.cli.DemoWorkload@") && suspects.contains(", held by the app class loader (GC root: JNI global, "),
                out);
        String path = out.substring(out.indexOf("Path from a GC root to one leaked session:"));
        assertTrue(path.contains("static DemoWorkload.SESSIONS") || path.contains("static DemoWorkload.LISTENERS"), path);
        assertTrue(path.strip().endsWith("retained 1.0 KB)") && path.contains("DemoWorkload$Session@0x"), path);
        assertFalse(out.contains("Dump kept at"), out);
    }
}

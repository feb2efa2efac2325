package dev.heaplens.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heaplens.cli.CliTest.Run;
import dev.heaplens.diff.GrowthDumps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.heaplens.cli.CliTest.run;
import static dev.heaplens.diff.GrowthDumps.LEAKED_PER_STEP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code heaplens diff} and {@code heaplens growth}, run in-process, text and JSON (parsed back with Jackson). */
class DiffCliTest {
    @TempDir
    Path temp;

    @Test
    void diffPrintsTheGrownPathsAndClassesAsTextAndJson() throws Exception {
        List<Path> leak = GrowthDumps.leak();
        Run text = run("diff", "--top", "5", leak.get(0).toString(), leak.get(1).toString());
        assertEquals(0, text.status(), text.err());
        assertTrue(text.out().contains("static SessionLeakWorkload$SessionRegistry.SESSIONS → HashMap.table → HashMap$Node[*] → java.util.HashMap$Node"),
                text.out());
        assertTrue(text.out().contains("Classes that changed"), text.out());

        Run json = run("diff", "--format", "json", "--top", "3", leak.get(0).toString(), leak.get(1).toString());
        assertEquals(0, json.status(), json.err());
        JsonNode root = new ObjectMapper().readTree(json.out());
        JsonNode top = root.get("grownPaths").get(0);
        assertEquals(LEAKED_PER_STEP, top.get("deltaCount").asLong());
        assertEquals(top.get("countAfter").asLong() - top.get("countBefore").asLong(), top.get("deltaCount").asLong());
        assertEquals("STATIC", top.get("steps").get(1).get("via").asText());
        assertEquals("SESSIONS", top.get("steps").get(1).get("name").asText());
        assertEquals("bootstrap", top.get("steps").get(1).get("loader").asText());
        assertTrue(root.get("grownPaths").size() <= 3 && root.get("classes").size() == 3, json.out());
        assertTrue(root.get("processMemory").isNull());
        assertTrue(root.get("after").get("objects").asLong() > root.get("before").get("objects").asLong());
    }

    @Test
    void growthReadsDumpsOrADirectoryAndNeedsThree() throws Exception {
        List<Path> leak = GrowthDumps.leak();
        List<String> args = new ArrayList<>(List.of("growth", "--format", "json"));
        leak.forEach(p -> args.add(p.toString()));
        Run json = run(args.toArray(String[]::new));
        assertEquals(0, json.status(), json.err());
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertEquals(4, root.get("dumps").size());
        JsonNode first = root.get("paths").get(0);
        assertEquals("SESSIONS", first.get("steps").get(1).get("name").asText());
        assertEquals(List.of((long) LEAKED_PER_STEP, (long) LEAKED_PER_STEP, (long) LEAKED_PER_STEP),
                new ObjectMapper().convertValue(first.get("countDeltas"), List.class).stream().map(n -> ((Number) n).longValue()).toList());

        Run dir = run("growth", leak.get(0).getParent().toString());
        assertEquals(0, dir.status(), dir.err());
        assertTrue(dir.out().contains("+1,000 +1,000 +1,000"), dir.out());

        Run two = run("growth", leak.get(0).toString(), leak.get(1).toString());
        assertEquals(2, two.status());
        assertTrue(two.err().contains("growth needs at least 3 dumps, got 2"), two.err());
        Path small = Files.createDirectories(temp.resolve("two"));
        Files.copy(leak.get(0), small.resolve("a.hprof"));
        Files.copy(leak.get(1), small.resolve("b.hprof.gz.not"));
        Run tooFew = run("growth", small.toString());
        assertEquals(2, tooFew.status());
        assertTrue(tooFew.err().contains("holds 1"), tooFew.err());
        assertEquals(2, run("diff", leak.get(0).toString()).status());
        Run missing = run("diff", leak.get(0).toString(), temp.resolve("nope.hprof").toString());
        assertEquals(1, missing.status());
        assertTrue(missing.err().startsWith("heaplens: ") && missing.err().contains("nope.hprof"), missing.err());
    }
}

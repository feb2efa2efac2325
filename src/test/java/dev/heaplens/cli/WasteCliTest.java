package dev.heaplens.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heaplens.fixtures.WasteWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code heaplens waste}, run in-process on a dump of {@link WasteWorkload}. */
class WasteCliTest {
    @TempDir
    Path temp;

    @Test
    void textNamesTheDuplicateItsHolderAndTheEmptyMaps() {
        CliTest.Run r = CliTest.run("waste", "--top", "3", WasteWorkload.dump().toString());
        assertEquals(0, r.status(), r.err());
        String first = r.out().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("Duplicate strings: ") && first.contains("\"Springfield\" ×10,00")
                && first.contains("held by " + WasteWorkload.Address.class.getName() + ".city ×10,000"), first);
        assertTrue(r.out().contains("… "), "more values than the 3 listed:\n" + r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("Collections: ") && l.contains("most in java.util.HashMap")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("In all, fixing these would save ")), r.out());
    }

    @Test
    void jsonParsesAndListsTopValues() throws Exception {
        CliTest.Run r = CliTest.run("waste", "--top", "2", "--format", "json", WasteWorkload.dump().toString());
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        JsonNode groups = json.get("duplicateStrings").get("groups");
        assertEquals(2, groups.size());
        assertEquals("Springfield", groups.get(0).get("value").asText());
        assertEquals(WasteWorkload.Address.class.getName() + ".city", groups.get(0).get("holders").get(0).get("holder").asText());
        assertTrue(json.get("totalSavableBytes").asLong() > json.get("duplicateStrings").get("wastedBytes").asLong());
    }

    @Test
    void badArgumentsAndMissingDumps() {
        assertEquals(2, CliTest.run("waste", "--top", "0", WasteWorkload.dump().toString()).status());
        CliTest.Run missing = CliTest.run("waste", temp.resolve("nope.hprof").toString());
        assertEquals(1, missing.status());
        assertTrue(missing.err().startsWith("heaplens: "), missing.err());
    }
}

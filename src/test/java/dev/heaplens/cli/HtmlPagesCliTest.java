package dev.heaplens.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.heaplens.alloc.AllocationProfile;
import dev.heaplens.alloc.AllocationRecorder;
import dev.heaplens.diff.GrowthDumps;
import dev.heaplens.fixtures.AllocationWorkload;
import dev.heaplens.testing.HeadlessBrowser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The other commands' pages, made by the command line as a user makes them ({@code diff},
 * {@code growth}, {@code alloc} with {@code --format html -o}), opened in headless Chromium: no
 * script error, no request beyond the page, the finding on the screen, a table that sorts.
 */
class HtmlPagesCliTest {
    private static HeadlessBrowser browser;

    @TempDir
    Path temp;

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private static HeadlessBrowser open(Path page) {
        if (browser == null) {
            browser = HeadlessBrowser.startOrSkip(1400, 1000);
        }
        browser.open(page);
        return browser;
    }

    private static void healthy(HeadlessBrowser b, Path page) {
        assertEquals(List.of(), b.scriptErrors());
        assertEquals(List.of(page.toAbsolutePath().toUri().toString()), b.requests());
    }

    @Test
    void theDiffPageShowsTheGrownPathFirstAndSorts() {
        List<Path> leak = GrowthDumps.leak();
        Path page = temp.resolve("diff.html");
        CliTest.Run r = CliTest.run("diff", "--format", "html", "-o", page.toString(), leak.get(0).toString(), leak.get(1).toString());
        assertEquals(0, r.status(), r.err());
        HeadlessBrowser b = open(page);
        String first = b.evaluate("document.querySelector('#grown-table tbody tr').innerText").asText();
        assertTrue(first.contains("static SessionLeakWorkload$SessionRegistry.SESSIONS → HashMap.table"), first);
        assertTrue(first.contains(String.format("+%,d", GrowthDumps.LEAKED_PER_STEP)), first);
        String column = "Array.from(document.querySelectorAll('#classes-table tbody tr')).map(r => Number(r.cells[2].dataset.v))";
        b.click("#classes-table thead th:nth-child(3)");
        List<Long> descending = longs(b.evaluate(column));
        assertEquals(descending.stream().sorted((x, y) -> Long.compare(y, x)).toList(), descending);
        b.click("#classes-table thead th:nth-child(3)");
        List<Long> ascending = longs(b.evaluate(column));
        assertEquals(ascending.stream().sorted().toList(), ascending);
        healthy(b, page);
    }

    @Test
    void theGrowthPageShowsWhatGrewInEveryStep() {
        List<Path> leak = GrowthDumps.leak();
        Path page = temp.resolve("growth.html");
        List<String> args = new ArrayList<>(List.of("growth", "--format", "html", "-o", page.toString()));
        leak.forEach(p -> args.add(p.toString()));
        CliTest.Run r = CliTest.run(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        HeadlessBrowser b = open(page);
        String first = b.evaluate("document.querySelector('#paths-table tbody tr').innerText").asText();
        assertTrue(first.contains("SESSIONS"), first);
        assertTrue(b.evaluate("document.querySelector('header .file').innerText").asText().startsWith(leak.size() + " dumps: "));
        healthy(b, page);
    }

    @Test
    void theAllocationPageShowsTheMarkerItsMethodAndTheCollections() {
        AllocationProfile p = AllocationRecorder.record(AllocationRecorder.Options.defaults().samplesPerSecond(1000).in(temp),
                () -> {
                    AllocationWorkload.allocateMarkersInBatches(10_000_000, 100);
                    System.gc();
                });
        Path page = temp.resolve("alloc.html");
        CliTest.Run r = CliTest.run("alloc", "--format", "html", "-o", page.toString(), "--package", "dev.heaplens.",
                p.recording().toString());
        assertEquals(0, r.status(), r.err());
        HeadlessBrowser b = open(page);
        String marker = AllocationWorkload.Marker.class.getName();
        assertEquals(marker, b.evaluate("document.querySelector('#types-table tbody tr td').innerText").asText());
        String sites = b.evaluate("document.querySelector('#sites-table tbody tr').innerText").asText();
        assertTrue(sites.contains(AllocationWorkload.class.getName() + ".allocateMarkers:"), sites);
        String backtraces = b.evaluate("document.getElementById('backtraces').innerText").asText();
        assertTrue(backtraces.contains(AllocationWorkload.class.getName() + ".allocateMarkers"), backtraces);
        assertTrue(b.evaluate("document.querySelectorAll('#gc-summary tbody tr').length").asInt() > 0, "a collection");
        healthy(b, page);
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }
}

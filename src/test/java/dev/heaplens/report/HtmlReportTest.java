package dev.heaplens.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.heaplens.Heap;
import dev.heaplens.fixtures.SessionLeakWorkload;
import dev.heaplens.testing.HeadlessBrowser;
import dev.heaplens.testing.RealDumps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTML report of a real child JVM's dump with a known leak (sessions in a static map, listeners
 * in a static list), opened in a real headless Chromium: it loads without a script error and
 * without a single request beyond itself, the suspect's sentence and path are on the screen,
 * the tables sort on a click, the treemap fills its box and drills down. The page is kept as
 * {@code target/report/session-leak.html} with a screenshot beside it ({@code docs/report.png} is
 * a copy).
 *
 * <p>The browser tests need Chromium (the OS package; .ci/run installs it). Without it they are
 * skipped, unless {@code HEAPLENS_REQUIRE_BROWSER=true} in the environment (set by .ci/run once
 * Chromium is installed) or {@code -Dheaplens.requireBrowser=true} makes that a failure.
 */
class HtmlReportTest {
    private static final int SESSIONS = 20_000;
    private static final Path OUT = Path.of("target", "report");
    private static Path page;
    private static String html;
    private static HeadlessBrowser browser;

    @BeforeAll
    static void render() throws IOException {
        Path dump = RealDumps.series("session-leak-report", SessionLeakWorkload.class, List.of("-Xmx128m"), 1,
                Integer.toString(SESSIONS)).get(0);
        Files.createDirectories(OUT);
        try (Heap heap = Heap.open(dump)) {
            page = heap.report().writeHtml(OUT.resolve("session-leak.html"));
        }
        html = Files.readString(page);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private static HeadlessBrowser browser() {
        if (browser == null) {
            browser = HeadlessBrowser.startOrSkip(1400, 1000);
        }
        browser.open(page);
        return browser;
    }

    @Test
    void thePageNamesNothingOutsideItself() {
        // every src and href in the page, and every url() and @import in its style
        Matcher m = Pattern.compile("(?i)\\b(src|href)\\s*=\\s*[\"']?([^\"'\\s>]*)").matcher(html);
        List<String> links = new ArrayList<>();
        while (m.find()) {
            links.add(m.group(2));
        }
        assertFalse(links.isEmpty(), "the navigation links are found");
        for (String link : links) {
            assertTrue(link.startsWith("#"), "a link to outside the page: " + link);
        }
        assertFalse(Pattern.compile("(?i)url\\s*\\(|@import").matcher(html).find(), "no url() or @import");
        assertTrue(html.length() < 2_000_000, "size: " + html.length());
    }

    @Test
    void theSuspectWithItsHoldingsAndPathIsOnTheScreen() {
        HeadlessBrowser b = browser();
        String description = b.evaluate("document.querySelector('#suspect-1 .description').innerText").asText();
        assertTrue(description.contains("SessionLeakWorkload$SessionRegistry"), description);
        assertTrue(description.contains("static SESSIONS") && description.contains("20,000 entries"), description);
        String text = b.evaluate("document.body.innerText").asText();
        assertTrue(text.contains("static SessionLeakWorkload$SessionRegistry.SESSIONS"), "the holding, as a user reads it");
        String path = b.evaluate("document.querySelector('#suspect-1 pre.path').innerText").asText();
        assertTrue(path.startsWith("GC root:") || path.contains("held by"), path);
        assertTrue(path.contains("SESSIONS") || path.contains("LISTENERS"), path);
        assertTrue(b.evaluate("document.querySelector('#suspect-1').getBoundingClientRect().height").asDouble() > 100,
                "the suspect is laid out, not hidden");
        assertEquals(List.of(), b.scriptErrors());
    }

    @Test
    void clickingAHeaderSortsTheTable() {
        HeadlessBrowser b = browser();
        String column = "Array.from(document.querySelectorAll('#classes-table tbody tr')).map(r => Number(r.cells[1].dataset.v))";
        List<Long> before = longs(b.evaluate(column));
        assertTrue(before.size() > 30, "rows: " + before.size());
        b.click("#classes-table thead th:nth-child(2)");
        List<Long> descending = longs(b.evaluate(column));
        assertEquals(before.stream().sorted((x, y) -> Long.compare(y, x)).toList(), descending, "objects, most first");
        assertNotEquals(before, descending, "the order changed: the table was by retained size");
        b.click("#classes-table thead th:nth-child(2)");
        assertEquals(before.stream().sorted().toList(), longs(b.evaluate(column)), "a second click: fewest first");
        assertEquals(25, b.evaluate("document.querySelectorAll('#classes-table tbody tr:not(.hidden)').length").asInt(),
                "the first 25 rows show, the rest wait for 'show all'");
        b.click("button.more[data-table='classes-table']");
        assertEquals(before.size(), b.evaluate("document.querySelectorAll('#classes-table tbody tr:not(.hidden)').length").asInt());
        b.click("#classes-table thead th:nth-child(1)");
        JsonNode names = b.evaluate("Array.from(document.querySelectorAll('#classes-table tbody tr')).map(r => r.cells[0].innerText)");
        for (int i = 1; i < names.size(); i++) {
            assertTrue(names.get(i - 1).asText().compareToIgnoreCase(names.get(i).asText()) <= 0, "by name: " + names);
        }
        assertEquals(List.of(), b.scriptErrors());
    }

    @Test
    void theTreemapFillsItsBoxAndDrillsDown() throws IOException {
        HeadlessBrowser b = browser();
        JsonNode top = b.evaluate("(() => { const c = document.getElementById('treemap-canvas').getBoundingClientRect();"
                + " const cells = Array.from(document.querySelectorAll('#treemap-canvas .cell'));"
                + " return {area: c.width * c.height, cells: cells.length, covered: cells.reduce((s, e) => s + e.offsetWidth * e.offsetHeight, 0),"
                + " largest: cells.length ? cells[0].innerText : ''}; })()");
        assertTrue(top.get("cells").asInt() >= 2, top.toString());
        double covered = top.get("covered").asDouble() / top.get("area").asDouble();
        assertTrue(covered > 0.97 && covered < 1.03, "cells cover the box: " + top);
        String crumbs = b.evaluate("document.getElementById('treemap-crumbs').innerText").asText();
        assertTrue(crumbs.startsWith("All reachable objects"), crumbs);

        // down the largest cells, as a user would, to the map the leak accumulates in
        String held = "static SessionLeakWorkload$SessionRegistry.SESSIONS";
        String found = null;
        for (int click = 0; click < 8 && found == null; click++) {
            b.click("#treemap-canvas .cell.open");
            JsonNode cells = b.evaluate("Array.from(document.querySelectorAll('#treemap-canvas .cell')).map(e => e.innerText)");
            for (JsonNode cell : cells) {
                if (cell.asText().contains(held)) {
                    found = cell.asText();
                }
            }
        }
        assertTrue(found != null && found.contains("HashMap") && found.contains("6.4 MB"), "the leaking map, drawn: " + found);
        String down = b.evaluate("document.getElementById('treemap-crumbs').innerText").asText();
        assertTrue(down.startsWith("All reachable objects") && down.contains(" › "), down);
        b.click("#treemap-crumbs a");
        assertEquals(crumbs, b.evaluate("document.getElementById('treemap-crumbs').innerText").asText(), "and back up");
        assertEquals(List.of(), b.scriptErrors());
        Files.write(OUT.resolve("session-leak.png"), b.screenshot(1500));
    }

    @Test
    void theWasteSectionShowsTheSessionsZeroPayloads() {
        // each session holds a byte[200] it never writes: 20,000 arrays of zeros, 4,320,000 bytes a lazy allocation would save
        HeadlessBrowser b = browser();
        JsonNode row = b.evaluate("Array.from(document.querySelectorAll('#waste-zeros tbody tr')).map(r => Array.from(r.cells).map(c => c.dataset.v || c.innerText))"
                + ".find(r => r[0] === 'byte[]')");
        assertTrue(row.isArray(), "a byte[] row: " + row);
        assertTrue(row.get(3).asLong() >= SESSIONS, "all-zero byte[]: " + row);
        assertTrue(row.get(5).asLong() >= SESSIONS * 216L, "saved bytes: " + row);
        String text = b.evaluate("document.getElementById('waste').innerText").asText();
        assertTrue(text.contains("Duplicate strings") && text.contains("Empty and sparse collections") && text.contains("Boxed primitives"), text);
        assertEquals(List.of(), b.scriptErrors());
    }

    @Test
    void theBrowserFetchesNothingButThePage() {
        HeadlessBrowser b = browser();
        b.evaluate("new Promise(r => setTimeout(r, 300))");
        List<String> requests = b.requests();
        assertEquals(List.of(page.toAbsolutePath().toUri().toString()), requests);
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }
}

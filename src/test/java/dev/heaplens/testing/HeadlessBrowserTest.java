package dev.heaplens.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test browser cleans up after itself: CI once failed in {@code HtmlPagesCliTest}'s teardown
 * because Chromium's helper processes, left running by {@code close()}, renamed a file in the profile
 * while it was being deleted ({@code NoSuchFileException} from inside the walk).
 */
class HeadlessBrowserTest {
    @TempDir
    Path temp;

    @Test
    void closingEndsEveryHelperProcessAndDeletesTheProfile() throws Exception {
        Path page = Files.writeString(temp.resolve("page.html"), "<!doctype html><title>t</title><p id=p>hello</p>");
        HeadlessBrowser browser = HeadlessBrowser.startOrSkip(400, 300);
        browser.open(page);
        assertEquals("hello", browser.evaluate("document.getElementById('p').innerText").asText());
        List<ProcessHandle> processes = browser.processes();
        assertTrue(processes.size() > 1, "Chromium runs helper processes: " + processes);
        Path profile = browser.profile();
        browser.close();
        for (ProcessHandle p : processes) {
            assertFalse(p.isAlive(), () -> "still running after close: " + p.pid() + " " + p.info().commandLine().orElse("?"));
        }
        assertFalse(Files.exists(profile), "profile deleted");
    }
}

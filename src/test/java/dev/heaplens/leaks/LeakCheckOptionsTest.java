package dev.heaplens.leaks;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three settings: defaults, overrides by key, and the messages for values that cannot be read. */
class LeakCheckOptionsTest {

    @Test
    void defaults() {
        LeakCheckOptions d = LeakCheckOptions.defaults();
        assertEquals(Duration.ofSeconds(1), d.gcTimeout());
        assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "heaplens-leak-dumps"), d.dumpDirectory());
        assertTrue(d.keepDumps());
    }

    @Test
    void settingsOverrideTheDefaultsKeyByKey() {
        LeakCheckOptions o = LeakCheckOptions.defaults().overriddenBy(Map.of(
                "heaplens.leaks.gc-timeout", "250 ms",
                "heaplens.leaks.dump-dir", "target/leak-dumps",
                "heaplens.leaks.keep-dumps", "FALSE")::get);
        assertEquals(new LeakCheckOptions(Duration.ofMillis(250), Path.of("target/leak-dumps"), false), o);
        LeakCheckOptions onlyTimeout = LeakCheckOptions.defaults().overriddenBy(Map.of("heaplens.leaks.gc-timeout", "3")::get);
        assertEquals(LeakCheckOptions.defaults().gcTimeout(Duration.ofSeconds(3)), onlyTimeout);
    }

    @Test
    void durationsAreReadAsJUnitReadsTimeoutsOrInIso8601() {
        assertEquals(Duration.ofMillis(500), LeakCheckOptions.parseDuration("k", "500ms"));
        assertEquals(Duration.ofMillis(500), LeakCheckOptions.parseDuration("k", " 500 ms "));
        assertEquals(Duration.ofSeconds(2), LeakCheckOptions.parseDuration("k", "2 s"));
        assertEquals(Duration.ofSeconds(2), LeakCheckOptions.parseDuration("k", "2"));
        assertEquals(Duration.ofMinutes(1), LeakCheckOptions.parseDuration("k", "1 m"));
        assertEquals(Duration.ofMillis(1500), LeakCheckOptions.parseDuration("k", "PT1.5S"));
        assertEquals(Duration.ZERO, LeakCheckOptions.parseDuration("k", "0 ms"));
    }

    @Test
    void unreadableValuesNameTheirKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LeakCheckOptions.defaults().overriddenBy(Map.of("heaplens.leaks.gc-timeout", "soon")::get));
        assertEquals("heaplens.leaks.gc-timeout = 'soon' is not a duration; write e.g. '500 ms', '2 s', '1 m' or 'PT2S'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LeakCheckOptions.parseDuration("k", "-PT1S"));
        e = assertThrows(IllegalArgumentException.class,
                () -> LeakCheckOptions.defaults().overriddenBy(Map.of("heaplens.leaks.keep-dumps", "yes")::get));
        assertEquals("heaplens.leaks.keep-dumps = 'yes' must be true or false", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LeakCheckOptions.defaults().gcTimeout(Duration.ofMillis(-1)));
    }
}

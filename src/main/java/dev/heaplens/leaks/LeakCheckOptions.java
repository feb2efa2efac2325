package dev.heaplens.leaks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How leak checks wait for the garbage collector and what they do with heap dumps. Immutable; each
 * {@code with…}-style method returns a copy.
 *
 * <pre>{@code
 * LeakWatcher watcher = new LeakWatcher(LeakCheckOptions.defaults()
 *         .gcTimeout(Duration.ofSeconds(5))           // code under test releases objects asynchronously
 *         .dumpDirectory(Path.of("target/leak-dumps"))
 *         .keepDumps(false));                         // CI: say where the leak is, keep no dump
 * }</pre>
 *
 * <p>The same three settings can be given as system properties ({@link #fromSystemProperties()},
 * what {@code new LeakWatcher()} and {@link HeapAssertions} use) or, for the JUnit extension, as
 * JUnit configuration parameters (which include system properties and
 * {@code junit-platform.properties}):
 *
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>key</th><th>value</th><th>default</th></tr>
 *   <tr><td>{@value #GC_TIMEOUT_KEY}</td><td>a duration: {@code 500 ms}, {@code 2 s}, {@code 1 m}, a bare
 *       number of seconds, or ISO-8601 ({@code PT2S})</td><td>{@code 1 s}</td></tr>
 *   <tr><td>{@value #DUMP_DIRECTORY_KEY}</td><td>a directory (created if missing)</td>
 *       <td>{@code heaplens-leak-dumps} in {@code java.io.tmpdir}</td></tr>
 *   <tr><td>{@value #KEEP_DUMPS_KEY}</td><td>{@code true} or {@code false}</td><td>{@code true}</td></tr>
 * </table>
 *
 * @param gcTimeout     how long a check waits, collecting garbage at growing intervals, for watched
 *                      objects to be reclaimed before it dumps the heap to see what holds them; one
 *                      collection is always tried, even with {@link Duration#ZERO}
 * @param dumpDirectory where heap dumps are written; the dump of a check that passes is always deleted
 * @param keepDumps     whether the dump of a failed check is kept (its path is in the failure message)
 *                      or deleted once the message is written
 */
public record LeakCheckOptions(Duration gcTimeout, Path dumpDirectory, boolean keepDumps) {
    /** Setting for {@link #gcTimeout()}. */
    public static final String GC_TIMEOUT_KEY = "heaplens.leaks.gc-timeout";
    /** Setting for {@link #dumpDirectory()}. */
    public static final String DUMP_DIRECTORY_KEY = "heaplens.leaks.dump-dir";
    /** Setting for {@link #keepDumps()}. */
    public static final String KEEP_DUMPS_KEY = "heaplens.leaks.keep-dumps";

    /** The default {@link #gcTimeout()}. */
    public static final Duration DEFAULT_GC_TIMEOUT = Duration.ofSeconds(1);

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)?");

    /** Checks the values. */
    public LeakCheckOptions {
        Objects.requireNonNull(gcTimeout, "gcTimeout");
        Objects.requireNonNull(dumpDirectory, "dumpDirectory");
        if (gcTimeout.isNegative()) {
            throw new IllegalArgumentException("gcTimeout must not be negative: " + gcTimeout);
        }
    }

    /** A 1 s GC timeout, dumps in {@code <java.io.tmpdir>/heaplens-leak-dumps}, dumps of failed checks kept. */
    public static LeakCheckOptions defaults() {
        return new LeakCheckOptions(DEFAULT_GC_TIMEOUT,
                Path.of(System.getProperty("java.io.tmpdir"), "heaplens-leak-dumps"), true);
    }

    /** {@link #defaults()} with whatever of the three settings is set as a system property. */
    public static LeakCheckOptions fromSystemProperties() {
        return defaults().overriddenBy(System::getProperty);
    }

    /**
     * These options with each setting that {@code settings} has (it returns {@code null} for a key it
     * lacks): how the JUnit extension applies its configuration parameters.
     *
     * @throws IllegalArgumentException naming the key, for a value that cannot be read
     */
    public LeakCheckOptions overriddenBy(Function<String, String> settings) {
        LeakCheckOptions o = this;
        String timeout = settings.apply(GC_TIMEOUT_KEY);
        if (timeout != null && !timeout.isBlank()) {
            o = o.gcTimeout(parseDuration(GC_TIMEOUT_KEY, timeout));
        }
        String dir = settings.apply(DUMP_DIRECTORY_KEY);
        if (dir != null && !dir.isBlank()) {
            o = o.dumpDirectory(Path.of(dir.strip()));
        }
        String keep = settings.apply(KEEP_DUMPS_KEY);
        if (keep != null && !keep.isBlank()) {
            o = o.keepDumps(parseBoolean(KEEP_DUMPS_KEY, keep));
        }
        return o;
    }

    /** These options with another GC timeout. */
    public LeakCheckOptions gcTimeout(Duration gcTimeout) {
        return new LeakCheckOptions(gcTimeout, dumpDirectory, keepDumps);
    }

    /** These options with another dump directory. */
    public LeakCheckOptions dumpDirectory(Path dumpDirectory) {
        return new LeakCheckOptions(gcTimeout, dumpDirectory, keepDumps);
    }

    /** These options keeping, or deleting, the dumps of failed checks. */
    public LeakCheckOptions keepDumps(boolean keepDumps) {
        return new LeakCheckOptions(gcTimeout, dumpDirectory, keepDumps);
    }

    /**
     * Reads a duration as JUnit reads its timeouts ({@code 500 ms}, {@code 2 s}, {@code 1 m}; a bare
     * number is seconds) or in ISO-8601 ({@code PT0.5S}).
     *
     * @param key for the message, the setting the text came from
     */
    static Duration parseDuration(String key, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                return switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                };
            }
            Duration d = Duration.parse(text.strip());
            if (!d.isNegative()) {
                return d;
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + " = '" + text + "' is not a duration; write e.g. '500 ms', '2 s', '1 m' or 'PT2S'");
    }

    private static boolean parseBoolean(String key, String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " = '" + text + "' must be true or false");
        };
    }
}

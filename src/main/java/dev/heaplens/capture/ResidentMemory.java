package dev.heaplens.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The resident set of a process as the operating system sees it: what the JVM really occupies in
 * RAM, heap and native together. Read from {@code /proc/<pid>/status} on Linux ({@code VmRSS},
 * {@code VmHWM}); {@link #UNAVAILABLE} elsewhere.
 *
 * @param residentBytes     current resident set size, or {@code -1} if unknown
 * @param peakResidentBytes the largest resident set size so far ("high water mark"), or {@code -1}
 */
public record ResidentMemory(long residentBytes, long peakResidentBytes) {
    /** No figures: not Linux, or {@code /proc} not readable. */
    public static final ResidentMemory UNAVAILABLE = new ResidentMemory(-1, -1);

    /** Whether the figures are known. */
    public boolean available() {
        return residentBytes >= 0;
    }

    /** Reads {@code /proc/<pid>/status}; {@link #UNAVAILABLE} if it cannot. */
    public static ResidentMemory of(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            return parse(Files.readString(status, StandardCharsets.ISO_8859_1));
        } catch (IOException | RuntimeException e) {
            return UNAVAILABLE;
        }
    }

    /** The {@code VmRSS} and {@code VmHWM} lines of a {@code /proc/<pid>/status} text ({@code kB}, i.e. KiB). */
    static ResidentMemory parse(String status) {
        long rss = -1;
        long peak = -1;
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                rss = kibibytes(line);
            } else if (line.startsWith("VmHWM:")) {
                peak = kibibytes(line);
            }
        }
        return rss < 0 ? UNAVAILABLE : new ResidentMemory(rss, peak);
    }

    private static long kibibytes(String line) {
        String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        long value = Long.parseLong(parts[0]);
        return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
    }
}

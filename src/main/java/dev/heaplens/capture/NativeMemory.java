package dev.heaplens.capture;

import dev.heaplens.text.TextTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HotSpot's Native Memory Tracking (NMT) summary, parsed into numbers: reserved and committed bytes
 * per category, and the total. Available when the JVM runs with
 * {@code -XX:NativeMemoryTracking=summary} (or {@code detail}); otherwise {@link Tracking#OFF}.
 *
 * <pre>{@code
 * NativeMemory nmt = ProcessMemory.of(pid).nativeMemory();
 * nmt.category("Thread").map(NativeCategory::committed)
 * }</pre>
 *
 * <p>Read through the {@code DiagnosticCommand} MBean as {@code VM.native_memory summary scale=b}, so
 * every figure is exact in bytes and the categories add up to the total.
 *
 * @param tracking       whether NMT was on, and at which level
 * @param categories     the categories in NMT's order (empty unless tracking)
 * @param totalReserved  NMT's total reserved bytes ({@code -1} unless tracking)
 * @param totalCommitted NMT's total committed bytes ({@code -1} unless tracking)
 * @param problem        why the summary is {@link Tracking#UNAVAILABLE}, else {@code null}
 */
public record NativeMemory(Tracking tracking, List<NativeCategory> categories, long totalReserved, long totalCommitted,
                           String problem) {

    /** Whether NMT was on, and how much of it heaplens could read. */
    public enum Tracking {
        /** {@code -XX:NativeMemoryTracking=off} (the default): no native breakdown. */
        OFF,
        /** {@code -XX:NativeMemoryTracking=summary}. */
        SUMMARY,
        /** {@code -XX:NativeMemoryTracking=detail} (heaplens reads its summary). */
        DETAIL,
        /** Tracking was on but its report could not be read; {@link #problem()} says why. */
        UNAVAILABLE
    }

    /** What NMT prints when it is off. */
    static final String NOT_ENABLED = "Native memory tracking is not enabled";
    /** The hint printed in place of the table when NMT is off. */
    public static final String OFF_HINT = "NMT off: start the JVM with -XX:NativeMemoryTracking=summary";

    private static final Pattern TOTAL = Pattern.compile(
            "^Total:\\s+reserved=(\\d+)\\s*([KMG]?B?),\\s+committed=(\\d+)\\s*([KMG]?B?)", Pattern.MULTILINE);
    private static final Pattern CATEGORY = Pattern.compile(
            "^-\\s*(\\S.*?)\\s+\\(reserved=(\\d+)\\s*([KMG]?B?),\\s+committed=(\\d+)\\s*([KMG]?B?)", Pattern.MULTILINE);

    /** Copies the category list. */
    public NativeMemory {
        categories = List.copyOf(categories);
    }

    /** NMT was off in the target JVM. */
    public static NativeMemory off() {
        return new NativeMemory(Tracking.OFF, List.of(), -1, -1, null);
    }

    /** NMT was on but its report could not be read. */
    public static NativeMemory unavailable(String problem) {
        return new NativeMemory(Tracking.UNAVAILABLE, List.of(), -1, -1, problem);
    }

    /**
     * Parses the output of {@code VM.native_memory summary} (any {@code scale=}; only {@code scale=b}
     * is exact). The format is HotSpot's {@code MemSummaryReporter}: a {@code Total:} line, then one
     * {@code -  <category> (reserved=N, committed=N)} line per category, each followed by indented
     * details that are not kept. JDK 17 and 25 differ only in the details.
     *
     * @param tracking the level the JVM reports for {@code -XX:NativeMemoryTracking}
     * @throws IllegalArgumentException if the text is neither a summary nor NMT's "not enabled"
     */
    public static NativeMemory parse(Tracking tracking, String output) {
        if (output.contains(NOT_ENABLED)) {
            return off();
        }
        Matcher total = TOTAL.matcher(output);
        if (!total.find()) {
            String first = output.strip().lines().findFirst().orElse("(empty)");
            throw new IllegalArgumentException("not an NMT summary (no 'Total:' line): " + first);
        }
        List<NativeCategory> categories = new ArrayList<>();
        Matcher m = CATEGORY.matcher(output);
        while (m.find()) {
            categories.add(new NativeCategory(m.group(1), bytes(m.group(2), m.group(3)), bytes(m.group(4), m.group(5))));
        }
        return new NativeMemory(tracking, categories, bytes(total.group(1), total.group(2)),
                bytes(total.group(3), total.group(4)), null);
    }

    private static long bytes(String number, String unit) {
        long n = Long.parseLong(number);
        return switch (unit.toUpperCase(Locale.ROOT)) {
            case "", "B" -> n;
            case "KB", "K" -> n << 10;
            case "MB", "M" -> n << 20;
            case "GB", "G" -> n << 30;
            default -> throw new IllegalArgumentException("unknown NMT unit " + unit);
        };
    }

    /** Whether the categories are known. */
    public boolean tracked() {
        return tracking == Tracking.SUMMARY || tracking == Tracking.DETAIL;
    }

    /** The category of this name ({@code Java Heap}, {@code Thread}, ...), if NMT reported it. */
    public Optional<NativeCategory> category(String name) {
        return categories.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** A table of the categories, largest committed first, with the total; or why there is none. */
    @Override
    public String toString() {
        return switch (tracking) {
            case OFF -> OFF_HINT + "\n";
            case UNAVAILABLE -> "NMT unavailable: " + problem + "\n";
            case SUMMARY, DETAIL -> {
                TextTable t = new TextTable("native memory (NMT)", "reserved", "committed").alignRight(1, 2);
                categories.stream()
                        .sorted((a, b) -> Long.compare(b.committed(), a.committed()))
                        .forEach(c -> t.row(c.name(), TextTable.bytes(c.reserved()), TextTable.bytes(c.committed())));
                t.footer(String.format(Locale.ROOT, "total: reserved %s bytes, committed %s bytes (%s)",
                        TextTable.bytes(totalReserved), TextTable.bytes(totalCommitted), TextTable.humanBytes(totalCommitted)));
                yield t.toString();
            }
        };
    }
}

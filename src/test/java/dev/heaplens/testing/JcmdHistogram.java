package dev.heaplens.testing;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code jcmd <pid> GC.class_histogram} output into per-class counts and bytes, summed over loaders. */
public final class JcmdHistogram {
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");

    /** Count and bytes of one class. */
    public record Entry(long count, long bytes) {
        Entry plus(Entry o) {
            return new Entry(count + o.count, bytes + o.bytes);
        }
    }

    private JcmdHistogram() {
    }

    /** Rows by JVM class name ({@code [Ljava.lang.Object;}, {@code java.lang.String}). */
    public static Map<String, Entry> parse(String output) {
        Map<String, Entry> rows = new TreeMap<>();
        for (String line : output.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                rows.merge(m.group(3), new Entry(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))), Entry::plus);
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no histogram rows in jcmd output: " + output);
        }
        return rows;
    }
}

package dev.heaplens.capture;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM's flags as {@code VM.flags -all} prints them ({@code bool UseCompressedOops = true {product} {ergonomic}}),
 * by name.
 */
final class VmFlags {
    private static final Pattern FLAG = Pattern.compile("^\\s*\\w+\\s+(\\w+)\\s+:?=\\s*(.*?)\\s+\\{.*$", Pattern.MULTILINE);

    private final Map<String, String> values;

    private VmFlags(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses the output of {@code VM.flags -all}.
     *
     * @throws IllegalArgumentException if it lists no flag
     */
    static VmFlags parse(String output) {
        Map<String, String> values = new TreeMap<>();
        Matcher m = FLAG.matcher(output);
        while (m.find()) {
            values.put(m.group(1), m.group(2));
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("VM.flags -all listed no flag: " + output.strip().lines().findFirst().orElse("(empty)"));
        }
        return new VmFlags(values);
    }

    /** The flag's value as printed, if the JVM has it. */
    Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** A boolean flag, or {@code absent} if the JVM has no such flag. */
    boolean bool(String name, boolean absent) {
        return value(name).map(Boolean::parseBoolean).orElse(absent);
    }

    /** A size flag in bytes, or {@code -1} if absent or too large for a {@code long} (HotSpot's "no limit"). */
    long size(String name) {
        try {
            return value(name).map(Long::parseLong).orElse(-1L);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

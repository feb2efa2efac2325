package dev.heaplens.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The string counters of a HotSpot JVM's performance data file ({@code hsperfdata_<user>/<pid>} in
 * its {@code /tmp}), read from the file: the target is not asked anything. This is the file
 * {@code jcmd PerfCounter.print} and {@code jstat} read; it holds, for example, the
 * {@code java.property.java.vm.vendor} the JVM started with.
 *
 * <p>Layout (HotSpot's {@code perfMemory.hpp}): a prologue of magic {@code 0xcafec0c0}, byte order,
 * versions, then at byte 24 the offset of the first entry and the entry count; each entry starts
 * with its length, the offset of its NUL-terminated name, its vector length, its type
 * ({@code 'B'} for byte vectors, which strings are), flags, units, variability and the offset of
 * its data.
 */
final class PerfCounters {
    private static final int MAGIC = 0xcafec0c0;
    private static final int PROLOGUE_BYTES = 32;
    private static final int ENTRY_HEADER_BYTES = 20;

    private PerfCounters() {
    }

    /** The string counters of process {@code pid}'s performance data, empty if there is none or it cannot be read. */
    static Map<String, String> strings(long pid) {
        return file(pid).map(PerfCounters::read).orElse(Map.of());
    }

    private static Optional<Path> file(long pid) {
        String name = Long.toString(TargetProcess.namespacePid(pid));
        for (Path tmp : new Path[] {Path.of("/proc", Long.toString(pid), "root", "tmp"), Path.of("/tmp")}) {
            try (Stream<Path> dirs = Files.list(tmp)) {
                Optional<Path> found = dirs.filter(d -> d.getFileName().toString().startsWith("hsperfdata_"))
                        .map(d -> d.resolve(name)).filter(Files::isRegularFile).findFirst();
                if (found.isPresent()) {
                    return found;
                }
            } catch (IOException | RuntimeException e) {
                // not listable from here: try the next
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> read(Path file) {
        try {
            return parse(ByteBuffer.wrap(Files.readAllBytes(file)));
        } catch (IOException | RuntimeException e) {
            return Map.of(); // gone, unreadable or not performance data: no counters
        }
    }

    /** The string counters of a performance data buffer; empty if it is not one. */
    static Map<String, String> parse(ByteBuffer data) {
        Map<String, String> out = new TreeMap<>();
        if (data.remaining() < PROLOGUE_BYTES || data.getInt(0) != MAGIC) {
            return out;
        }
        data.order(data.get(4) == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int entry = data.getInt(24);
        int count = data.getInt(28);
        for (int i = 0; i < count && entry >= PROLOGUE_BYTES && entry + ENTRY_HEADER_BYTES <= data.limit(); i++) {
            int length = data.getInt(entry);
            if (length < ENTRY_HEADER_BYTES || entry + length > data.limit()) {
                break;
            }
            int nameOffset = data.getInt(entry + 4);
            int vectorLength = data.getInt(entry + 8);
            byte type = data.get(entry + 12);
            int dataOffset = data.getInt(entry + 16);
            if (type == 'B' && vectorLength > 0 && dataOffset + vectorLength <= length && nameOffset < dataOffset) {
                out.put(cString(data, entry + nameOffset, entry + dataOffset), cString(data, entry + dataOffset, entry + dataOffset + vectorLength));
            }
            entry += length;
        }
        return out;
    }

    private static String cString(ByteBuffer data, int from, int limit) {
        int end = from;
        while (end < limit && data.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - from];
        data.get(from, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

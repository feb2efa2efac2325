package dev.heaplens.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM's memory pools as HotSpot's diagnostic commands print them, parsed into {@link MemoryPool}s:
 * the heap from {@code GC.heap_info}, Metaspace from {@code VM.metaspace scale=1}, the code heaps
 * from {@code Compiler.codecache}. Each figure is the command's own, in its own precision: the heap
 * in KB (ZGC: MB), Metaspace in bytes, code heaps used in KB and committed in bytes (from their
 * address bounds).
 */
final class DiagnosticPools {
    private static final String SIZE = "(\\d+)\\s?([BKMG])";

    /**
     * G1, Parallel and Serial: {@code NAME total [reserved R, committed] C, used U [low, high[, end])}.
     * The address range is what the pool may grow to: its maximum.
     */
    private static final Pattern GENERATION = Pattern.compile("^\\s*(\\S.*?)\\s+total (?:reserved " + SIZE + ", committed )?"
            + SIZE + ", used " + SIZE + "\\s*\\[(0x\\p{XDigit}+),\\s*(0x\\p{XDigit}+)(?:,\\s*(0x\\p{XDigit}+))?", Pattern.MULTILINE);
    /** ZGC: {@code ZHeap used U, capacity C, max capacity M}. */
    private static final Pattern Z_HEAP = Pattern.compile("^\\s*(ZHeap)\\s+used " + SIZE + ", capacity " + SIZE
            + ", max capacity " + SIZE, Pattern.MULTILINE);
    /** Shenandoah: {@code Shenandoah Heap} then {@code M max, S soft max, C committed, U used}. */
    private static final Pattern SHENANDOAH = Pattern.compile("^\\s*(Shenandoah Heap)\\s*\\R\\s*" + SIZE + " max, " + SIZE
            + " soft max, " + SIZE + " committed, " + SIZE + " used", Pattern.MULTILINE);

    /** {@code Both:} (or, without a class space, the only) line of {@code Total Usage}: its used bytes. */
    private static final Pattern METASPACE_USED = Pattern.compile("^\\s*(?:(Non-Class|Class|Both):)?\\s*\\d+ chunks?,.*?"
            + "(\\d+) bytes \\(\\s*<?\\d+%\\) used", Pattern.MULTILINE);
    /** A line of {@code Virtual space:}: reserved and committed bytes. */
    private static final Pattern METASPACE_SPACE = Pattern.compile("^\\s*(?:(Non-class space|Class space|Both):)?\\s*"
            + "(\\d+) bytes reserved,\\s*(\\d+) bytes \\(\\s*<?\\d+%\\) committed", Pattern.MULTILINE);

    /** {@code CodeHeap 'NAME': size=S used=U max_used=M free=F} (or {@code CodeCache: ...}), then {@code bounds [low, high, end]}. */
    private static final Pattern CODE_HEAP = Pattern.compile("^(CodeHeap '[^']+'|CodeCache):\\s+size=(\\d+)Kb,? used=(\\d+)Kb,?"
            + "[^\\n]*\\R\\s*bounds \\[(0x\\p{XDigit}+),\\s*(0x\\p{XDigit}+),\\s*(0x\\p{XDigit}+)\\]", Pattern.MULTILINE);

    private DiagnosticPools() {
    }

    /**
     * The heap pools of {@code GC.heap_info}: one per generation for Serial and Parallel, one for the
     * whole heap of G1, ZGC and Shenandoah, named as the command names them.
     *
     * @throws IllegalArgumentException if the text shows no heap this parser knows
     */
    static List<MemoryPool> heap(String heapInfo) {
        List<MemoryPool> pools = new ArrayList<>();
        Matcher g = GENERATION.matcher(heapInfo);
        while (g.find()) {
            long low = hex(g.group(8));
            long end = hex(g.group(10) != null ? g.group(10) : g.group(9));
            pools.add(new MemoryPool(g.group(1), true, bytes(g.group(6), g.group(7)), bytes(g.group(4), g.group(5)), end - low));
        }
        Matcher z = Z_HEAP.matcher(heapInfo);
        if (z.find()) {
            pools.add(new MemoryPool(z.group(1), true, bytes(z.group(2), z.group(3)), bytes(z.group(4), z.group(5)),
                    bytes(z.group(6), z.group(7))));
        }
        Matcher s = SHENANDOAH.matcher(heapInfo);
        if (s.find()) {
            pools.add(new MemoryPool(s.group(1), true, bytes(s.group(8), s.group(9)), bytes(s.group(6), s.group(7)),
                    bytes(s.group(2), s.group(3))));
        }
        if (pools.isEmpty()) {
            throw new IllegalArgumentException("GC.heap_info shows no heap heaplens can read: "
                    + heapInfo.strip().lines().findFirst().orElse("(empty)"));
        }
        return pools;
    }

    /**
     * {@code Metaspace} (class space included, as the MXBean counts it) and, with compressed class
     * pointers, {@code Compressed Class Space}, from {@code VM.metaspace scale=1}: used bytes from
     * {@code Total Usage}, committed and reserved bytes from {@code Virtual space}.
     *
     * @param maxMetaspace {@code -XX:MaxMetaspaceSize}, or {@code -1} for no limit
     * @throws IllegalArgumentException if the text is not a {@code VM.metaspace} report in bytes
     */
    static List<MemoryPool> metaspace(String report, long maxMetaspace) {
        long totalUsed = -1;
        long classUsed = -1;
        Matcher u = METASPACE_USED.matcher(report);
        while (u.find()) {
            String label = u.group(1);
            long used = Long.parseLong(u.group(2));
            if (label == null || label.equals("Both")) {
                totalUsed = used;
                break; // the first "Both" is the total; later sections repeat per loader
            }
            if (label.equals("Class")) {
                classUsed = used;
            }
        }
        long totalCommitted = -1;
        long classCommitted = -1;
        long classReserved = -1;
        Matcher v = METASPACE_SPACE.matcher(report);
        while (v.find() && totalCommitted < 0) {
            String label = v.group(1);
            if (label == null || label.equals("Both")) {
                totalCommitted = Long.parseLong(v.group(3));
            } else if (label.equals("Class space")) {
                classReserved = Long.parseLong(v.group(2));
                classCommitted = Long.parseLong(v.group(3));
            }
        }
        if (totalUsed < 0 || totalCommitted < 0) {
            throw new IllegalArgumentException("VM.metaspace printed no total usage in bytes: "
                    + report.strip().lines().findFirst().orElse("(empty)"));
        }
        List<MemoryPool> pools = new ArrayList<>();
        pools.add(new MemoryPool("Metaspace", false, totalUsed, totalCommitted, maxMetaspace));
        if (classUsed >= 0 && classCommitted >= 0) {
            pools.add(new MemoryPool("Compressed Class Space", false, classUsed, classCommitted, classReserved));
        }
        return pools;
    }

    /**
     * The code heaps of {@code Compiler.codecache} ({@code CodeHeap 'non-nmethods'}, ..., or one
     * {@code CodeCache} without a segmented code cache): used as printed, committed from the bounds.
     *
     * @throws IllegalArgumentException if the text shows no code heap
     */
    static List<MemoryPool> codeHeaps(String codeCache) {
        List<MemoryPool> pools = new ArrayList<>();
        Matcher m = CODE_HEAP.matcher(codeCache);
        while (m.find()) {
            long low = hex(m.group(4));
            pools.add(new MemoryPool(m.group(1), false, Long.parseLong(m.group(3)) << 10, hex(m.group(5)) - low,
                    Long.parseLong(m.group(2)) << 10));
        }
        if (pools.isEmpty()) {
            throw new IllegalArgumentException("Compiler.codecache shows no code heap: "
                    + codeCache.strip().lines().findFirst().orElse("(empty)"));
        }
        return pools;
    }

    private static long hex(String value) {
        return Long.parseUnsignedLong(value.substring(2), 16);
    }

    private static long bytes(String number, String unit) {
        long n = Long.parseLong(number);
        return switch (unit.toUpperCase(Locale.ROOT)) {
            case "B" -> n;
            case "K" -> n << 10;
            case "M" -> n << 20;
            case "G" -> n << 30;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
    }
}

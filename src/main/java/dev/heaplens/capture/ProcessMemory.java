package dev.heaplens.capture;

import dev.heaplens.text.TextTable;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A JVM's memory beside its heap dump: the heap and non-heap pools, NIO buffer pools, Native Memory
 * Tracking by category (when the JVM runs with {@code -XX:NativeMemoryTracking=summary}), and the
 * resident set the operating system reports. Prints as tables; two readings can be
 * {@linkplain #diff(ProcessMemory) diffed}.
 *
 * <p>Where each figure comes from depends on the {@link Source}:
 * <ul>
 *   <li>{@link Source#DIAGNOSTIC_COMMANDS} (another JVM, {@link JvmConnection#attach(long)}): heap
 *       pools from {@code GC.heap_info} (one per generation for Serial and Parallel, the whole heap
 *       for G1, ZGC and Shenandoah; in KB, ZGC in MB; the maximum from the reserved address range),
 *       {@code Metaspace} and {@code Compressed Class Space} from {@code VM.metaspace scale=1} (bytes),
 *       code heaps from {@code Compiler.codecache} (used in KB, committed from the heap's bounds), NMT
 *       from {@code VM.native_memory summary scale=b}. NIO buffer pools are not available: HotSpot
 *       reports them only to JMX ({@link #bufferPoolsKnown()} is false; with NMT on, direct buffers
 *       are part of its {@code Other} category).</li>
 *   <li>{@link Source#JMX} (this JVM, or {@link JvmConnection#attachViaJmx(long)}): pools and buffer
 *       pools from their MXBeans, in bytes; NMT through the {@code DiagnosticCommand} MBean.</li>
 * </ul>
 * The resident set is always read from {@code /proc/<pid>/status}.
 *
 * <pre>{@code
 * ProcessMemory before = ProcessMemory.of(pid);
 * // ... run the scenario ...
 * System.out.println(before.diff(ProcessMemory.of(pid)));   // what grew, item by item
 * }</pre>
 *
 * @param pid          the process
 * @param time         when it was read
 * @param pools        memory pools, heap first, in the JVM's order
 * @param bufferPools  NIO buffer pools ({@code direct}, {@code mapped}, ...)
 * @param nativeMemory the NMT summary, or why there is none
 * @param resident     resident set size and its peak, where the OS reports them
 * @param source       how the figures were read
 * @param notes        what could not be read, and why (empty when everything was)
 */
public record ProcessMemory(long pid, Instant time, List<MemoryPool> pools, List<BufferPool> bufferPools,
                           NativeMemory nativeMemory, ResidentMemory resident, Source source, List<String> notes) {

    /** How a reading was taken. */
    public enum Source {
        /** The JVM's MXBeans: this JVM's own, or another's through its JMX agent. */
        JMX,
        /** HotSpot's diagnostic commands through the attach listener, as {@code jcmd} prints them. */
        DIAGNOSTIC_COMMANDS
    }

    /** The note of a reading without NIO buffer pools. */
    public static final String NO_BUFFER_POOLS = "NIO buffer pools: not available without JMX (HotSpot reports them only"
            + " through BufferPoolMXBean; with NMT on, direct buffers are in its category Other)";

    /** Copies the lists. */
    public ProcessMemory {
        pools = List.copyOf(pools);
        bufferPools = List.copyOf(bufferPools);
        notes = List.copyOf(notes);
    }

    /** A reading through JMX, complete. */
    public ProcessMemory(long pid, Instant time, List<MemoryPool> pools, List<BufferPool> bufferPools,
                         NativeMemory nativeMemory, ResidentMemory resident) {
        this(pid, time, pools, bufferPools, nativeMemory, resident, Source.JMX, List.of());
    }

    /** Reads the memory of the running JVM. */
    public static ProcessMemory ofCurrentJvm() {
        return JvmConnection.self().memory();
    }

    /**
     * Reads the memory of the JVM with this pid through its attach listener, as {@code jcmd} does:
     * nothing is started or left in it.
     *
     * @throws CaptureException if the process cannot be attached to
     */
    public static ProcessMemory of(long pid) {
        try (JvmConnection jvm = JvmConnection.attach(pid)) {
            return jvm.memory();
        }
    }

    /** Bytes used in the heap pools. */
    public long heapUsed() {
        return pools.stream().filter(MemoryPool::heap).mapToLong(MemoryPool::used).sum();
    }

    /** Bytes committed for the heap pools. */
    public long heapCommitted() {
        return pools.stream().filter(MemoryPool::heap).mapToLong(MemoryPool::committed).sum();
    }

    /** Bytes used in the non-heap pools (Metaspace, code heaps, ...). */
    public long nonHeapUsed() {
        return pools.stream().filter(p -> !p.heap()).mapToLong(MemoryPool::used).sum();
    }

    /** The pool of this name, if the JVM has it. */
    public Optional<MemoryPool> pool(String name) {
        return pools.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Whether the reading has the NIO buffer pools (only a reading through JMX has). */
    public boolean bufferPoolsKnown() {
        return source == Source.JMX;
    }

    /** The buffer pool of this name ({@code direct}, {@code mapped}), if the JVM has it. */
    public Optional<BufferPool> bufferPool(String name) {
        return bufferPools.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * What changed from this reading to {@code later}: every pool, buffer pool, NMT category and the
     * resident set, with its value in each and the difference ({@code later - this}).
     */
    public ProcessMemoryDiff diff(ProcessMemory later) {
        return ProcessMemoryDiff.between(this, later);
    }

    /** The readings as tables: resident set, pools, buffer pools, native memory. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append("Memory of process ").append(pid).append(" at ").append(time)
                .append(source == Source.JMX ? " (from JMX)" : " (from diagnostic commands)").append('\n');
        if (resident.available()) {
            b.append(String.format(Locale.ROOT, "resident set: %s bytes (%s), peak %s bytes (%s)%n",
                    TextTable.bytes(resident.residentBytes()), TextTable.humanBytes(resident.residentBytes()),
                    TextTable.bytes(resident.peakResidentBytes()), TextTable.humanBytes(resident.peakResidentBytes())));
        } else {
            b.append("resident set: not available (no /proc/").append(pid).append("/status)\n");
        }
        b.append('\n');
        TextTable p = new TextTable("memory pool", "kind", "used", "committed", "max").alignRight(2, 3, 4);
        for (MemoryPool pool : pools) {
            p.row(pool.name(), pool.heap() ? "heap" : "non-heap", TextTable.bytes(pool.used()), TextTable.bytes(pool.committed()),
                    pool.max() < 0 ? "-" : TextTable.bytes(pool.max()));
        }
        p.footer(String.format(Locale.ROOT, "heap: %s used (%s committed); non-heap: %s used",
                TextTable.humanBytes(heapUsed()), TextTable.humanBytes(heapCommitted()), TextTable.humanBytes(nonHeapUsed())));
        b.append(p).append('\n');
        if (bufferPoolsKnown()) {
            TextTable buffers = new TextTable("buffer pool", "count", "used", "capacity").alignRight(1, 2, 3);
            for (BufferPool pool : bufferPools) {
                buffers.row(pool.name(), TextTable.number(pool.count()), TextTable.bytes(pool.used()), TextTable.bytes(pool.capacity()));
            }
            b.append(buffers).append('\n');
        }
        b.append(nativeMemory);
        for (String note : notes) {
            b.append(note).append('\n');
        }
        return b.toString();
    }
}

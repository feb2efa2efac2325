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
 */
public record ProcessMemory(long pid, Instant time, List<MemoryPool> pools, List<BufferPool> bufferPools,
                           NativeMemory nativeMemory, ResidentMemory resident) {

    /** Copies the lists. */
    public ProcessMemory {
        pools = List.copyOf(pools);
        bufferPools = List.copyOf(bufferPools);
    }

    /** Reads the memory of the running JVM. */
    public static ProcessMemory ofCurrentJvm() {
        return JvmConnection.self().memory();
    }

    /**
     * Reads the memory of the JVM with this pid, attaching to it.
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
        b.append("Memory of process ").append(pid).append(" at ").append(time).append('\n');
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
        TextTable buffers = new TextTable("buffer pool", "count", "used", "capacity").alignRight(1, 2, 3);
        for (BufferPool pool : bufferPools) {
            buffers.row(pool.name(), TextTable.number(pool.count()), TextTable.bytes(pool.used()), TextTable.bytes(pool.capacity()));
        }
        b.append(buffers).append('\n');
        b.append(nativeMemory);
        return b.toString();
    }
}

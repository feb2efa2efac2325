package dev.heaplens.capture;

/**
 * One of the JVM's memory pools ({@code MemoryPoolMXBean}): a heap generation or space, or a
 * non-heap area such as Metaspace or a code heap.
 *
 * @param name      the pool's name, e.g. {@code G1 Old Gen}, {@code Metaspace}
 * @param heap      whether the pool is part of the Java heap
 * @param used      bytes in use
 * @param committed bytes the JVM has committed for the pool
 * @param max       the pool's limit in bytes, or {@code -1} if it has none
 */
public record MemoryPool(String name, boolean heap, long used, long committed, long max) {
}

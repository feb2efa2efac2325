package dev.heaplens.capture;

/**
 * A pool of NIO buffers outside the Java heap ({@code BufferPoolMXBean}): {@code direct}
 * ({@code ByteBuffer.allocateDirect}) or {@code mapped} (memory-mapped files).
 *
 * @param name     {@code direct}, {@code mapped}, or another pool the JVM reports
 * @param count    buffers in the pool
 * @param used     bytes the JVM uses for them
 * @param capacity total capacity of the buffers in bytes
 */
public record BufferPool(String name, long count, long used, long capacity) {
}

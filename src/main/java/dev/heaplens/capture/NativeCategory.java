package dev.heaplens.capture;

/**
 * One Native Memory Tracking category ({@code Java Heap}, {@code Class}, {@code Thread},
 * {@code Code}, {@code GC}, ...), in bytes.
 *
 * @param name      the category as NMT names it
 * @param reserved  address space reserved
 * @param committed memory committed
 */
public record NativeCategory(String name, long reserved, long committed) {
}

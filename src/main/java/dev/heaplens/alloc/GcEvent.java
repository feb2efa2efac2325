package dev.heaplens.alloc;

import java.time.Duration;
import java.time.Instant;

/**
 * One garbage collection of a recording ({@code jdk.GarbageCollection}, with the heap from the
 * {@code jdk.GCHeapSummary} events before and after it).
 *
 * @param gcId        the JVM's number for it
 * @param collector   {@code G1New}, {@code G1Old}, {@code ParallelScavenge}, {@code SerialOld}, ...
 * @param cause       {@code G1 Evacuation Pause}, {@code System.gc()}, {@code Allocation Failure}, ...
 * @param start       when it started
 * @param duration    from start to end
 * @param pauses      the sum of its stop-the-world pauses
 * @param longestPause its longest pause
 * @param heapBefore  heap used before it, in bytes, or {@code -1} if not recorded
 * @param heapAfter   heap used after it, in bytes, or {@code -1} if not recorded
 */
public record GcEvent(long gcId, String collector, String cause, Instant start, Duration duration, Duration pauses,
                      Duration longestPause, long heapBefore, long heapAfter) {

    /** Bytes it freed ({@code heapBefore - heapAfter}), or {@code -1} if either is unknown. */
    public long freed() {
        return heapBefore < 0 || heapAfter < 0 ? -1 : heapBefore - heapAfter;
    }
}

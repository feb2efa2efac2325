package dev.heaplens.alloc;

/**
 * What one class's allocations weigh in a recording.
 *
 * @param className        Java name ({@code byte[]}, {@code com.acme.Session})
 * @param events           allocation events recorded for it
 * @param estimatedBytes   bytes they stand for (exact only for outside-TLAB events)
 * @param estimatedObjects objects they stand for, or {@code -1} when only samples were recorded and no
 *                         object size is known for the class
 * @param percent          {@code estimatedBytes} as a percentage of all bytes in the recording
 */
public record TypeAllocation(String className, long events, long estimatedBytes, long estimatedObjects, double percent) {
}

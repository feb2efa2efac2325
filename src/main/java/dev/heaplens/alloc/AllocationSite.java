package dev.heaplens.alloc;

/**
 * A place in the user's own code that allocates: the first frame of a stack, from the allocating
 * end, in one of the packages asked for.
 *
 * @param method         {@code com.acme.Loader.load}
 * @param line           its line number, or {@code -1}
 * @param topClass       the class allocated most from here
 * @param estimatedBytes bytes allocated through here
 * @param events         allocation events through here
 * @param percent        {@code estimatedBytes} as a percentage of all bytes in the recording
 */
public record AllocationSite(String method, int line, String topClass, long estimatedBytes, long events, double percent) {
    /** {@code com.acme.Loader.load:42}. */
    public String location() {
        return line < 0 ? method : method + ":" + line;
    }
}

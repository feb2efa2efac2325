package dev.heaplens.leaks;

/**
 * Steers the route this JVM's next leak check takes, for tests outside this package whose scenarios
 * would otherwise take whichever route the costs learnt by earlier tests choose.
 */
public final class CollectionRoutes {
    private CollectionRoutes() {
    }

    /**
     * Makes the next check fill eden before its full collection: a full collection is taught to cost
     * far more than any fill, and a fill is then never cut short. The check's own full collection
     * measures the real cost again, so the checks after it choose as before.
     */
    public static void nextCheckFillsEdenFirst() {
        GcRounds.costs().collectedFully(1, Long.MAX_VALUE / 4, true);
    }
}

package dev.heaplens.diff;

/**
 * One retention path in a {@link PathDiff}: its objects and bytes before and after.
 *
 * <pre>{@code
 * PathDelta top = diff.paths().grown().get(0);
 * System.out.println(top.path() + ": " + top.deltaCount() + " objects, " + top.deltaRetained() + " bytes");
 * }</pre>
 *
 * @param path           the path
 * @param countBefore    objects on the path in the first dump
 * @param countAfter     objects on it in the second dump
 * @param shallowBefore  their shallow bytes in the first dump
 * @param shallowAfter   their shallow bytes in the second dump
 * @param retainedBefore bytes the path's objects and the longer paths below it hold, first dump
 * @param retainedAfter  the same in the second dump
 */
public record PathDelta(RetentionPath path, long countBefore, long countAfter, long shallowBefore, long shallowAfter,
                        long retainedBefore, long retainedAfter) {

    /** Objects gained on the path (negative: lost). */
    public long deltaCount() {
        return countAfter - countBefore;
    }

    /** Shallow bytes gained by the path's own objects. */
    public long deltaShallow() {
        return shallowAfter - shallowBefore;
    }

    /** Bytes gained by the path and what hangs below it. */
    public long deltaRetained() {
        return retainedAfter - retainedBefore;
    }
}

package dev.heaplens.diff;

/**
 * One class in a {@link HistogramDiff}: its instances, shallow and retained bytes before and after.
 *
 * <pre>{@code
 * ClassDelta d = diff.classes().row("com.acme.Session");
 * System.out.println(d.deltaCount() + " more sessions, " + d.deltaRetained() + " bytes more retained");
 * }</pre>
 *
 * @param key            the class: name and loader
 * @param before         whether the first dump has the class (loaded, with or without instances)
 * @param after          whether the second dump has it
 * @param countBefore    instances in the first dump
 * @param countAfter     instances in the second dump
 * @param shallowBefore  their shallow bytes in the first dump
 * @param shallowAfter   their shallow bytes in the second dump
 * @param retainedBefore retained size of the set of its instances in the first dump
 * @param retainedAfter  the same in the second dump
 */
public record ClassDelta(ClassKey key, boolean before, boolean after, long countBefore, long countAfter, long shallowBefore,
                         long shallowAfter, long retainedBefore, long retainedAfter) {

    /** The class's Java name. */
    public String className() {
        return key.className();
    }

    /** Instances gained (negative: lost). */
    public long deltaCount() {
        return countAfter - countBefore;
    }

    /** Shallow bytes gained. */
    public long deltaShallow() {
        return shallowAfter - shallowBefore;
    }

    /** Retained bytes gained. */
    public long deltaRetained() {
        return retainedAfter - retainedBefore;
    }

    /** Whether only the second dump has the class. */
    public boolean isNew() {
        return after && !before;
    }

    /** Whether only the first dump has the class. */
    public boolean isVanished() {
        return before && !after;
    }

    /** Whether anything about the class changed. */
    public boolean changed() {
        return before != after || countBefore != countAfter || shallowBefore != shallowAfter || retainedBefore != retainedAfter;
    }
}

package dev.heaplens.analysis;

/**
 * One object of the dominator tree with its sizes.
 *
 * @param object        dense object index
 * @param id            object id
 * @param className     the object's class (for a class object: {@code class Foo})
 * @param shallowSize   its own bytes
 * @param retainedSize  bytes it keeps alive, itself included
 * @param percentOfHeap retained size as a percentage of all reachable bytes
 */
public record DominatorEntry(int object, long id, String className, long shallowSize, long retainedSize,
                             double percentOfHeap) {
}

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
 * @param heldBy        how its immediate dominator holds it, as MAT's dominator tree names the attribute:
 *                      {@code static LeakApp.CACHE}, {@code HashMap.table}, {@code Object[][182]}, or for a
 *                      top-level object its GC root ({@code GC root: JNI global}); {@code null} when the
 *                      dominator reaches it only through other objects
 * @param referrerId    the id of the object holding it through {@code heldBy} (its immediate dominator), or
 *                      0 for a GC root or when {@code heldBy} is null
 */
public record DominatorEntry(int object, long id, String className, long shallowSize, long retainedSize,
                             double percentOfHeap, String heldBy, long referrerId) {
}

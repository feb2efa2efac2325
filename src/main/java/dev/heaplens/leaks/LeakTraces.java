package dev.heaplens.leaks;

import dev.heaplens.analysis.ShortestPaths.Reachability;
import dev.heaplens.graph.HeapInstance;
import dev.heaplens.graph.HeapObject;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds, in a live dump of this JVM, the objects of some {@link WatchedReference}s (by their
 * {@link WatchedReference#key() key}) and sorts them into three groups:
 * <ul>
 *   <li><b>leaks</b>: strongly reachable, with the trace from their GC root;</li>
 *   <li><b>not strongly reachable</b>: still in the dump, but only through the referent of a soft (or
 *       weak, phantom, final) reference: a collection under memory pressure reclaims them, so they are
 *       not leaks;</li>
 *   <li>the rest were reclaimed by the collection the live dump starts with: the reference in the dump
 *       has no referent.</li>
 * </ul>
 */
final class LeakTraces {
    /** From this many retained sizes on, one dominator tree costs less than a pair of searches each. */
    private static final int TREE_FROM = 3;

    private final List<LeakTrace> leaks;
    private final List<WatchedReference> notStronglyReachable;

    private LeakTraces(List<LeakTrace> leaks, List<WatchedReference> notStronglyReachable) {
        this.leaks = List.copyOf(leaks);
        this.notStronglyReachable = List.copyOf(notStronglyReachable);
    }

    static LeakTraces find(StrongPaths strong, List<WatchedReference> refs) {
        Long2IntOpenHashMap byKey = new Long2IntOpenHashMap();
        byKey.defaultReturnValue(-1);
        for (HeapObject o : strong.heap().instancesOf(WatchedReference.class.getName())) {
            byKey.put((long) ((HeapInstance) o).get("key"), o.index());
        }
        IntArrayList leakedObjects = new IntArrayList();
        List<WatchedReference> leakedRefs = new ArrayList<>();
        List<WatchedReference> softOnly = new ArrayList<>();
        for (WatchedReference ref : refs) {
            int inDump = byKey.get(ref.key());
            if (inDump < 0) {
                throw new IllegalStateException("the watched reference to " + ref + " (key " + ref.key()
                        + ") is missing from the heap dump " + strong.heap().path());
            }
            int obj = StrongPaths.referenceField((HeapInstance) strong.heap().objectAt(inDump), "referent");
            if (obj < 0) {
                continue; // cleared by the dump's own collection
            }
            if (strong.stronglyReachable(obj)) {
                leakedObjects.add(obj);
                leakedRefs.add(ref);
            } else if (strong.reachability(obj) == Reachability.REFERENTS_ONLY) {
                softOnly.add(ref);
            }
            // else unreachable garbage the dump still held: reclaimed by the next collection
        }
        // retained sizes for the traces the message writes out: a search pair each, or one tree for several
        int sized = Math.min(FailureMessage.MAX_TRACES, leakedObjects.size());
        if (sized >= TREE_FROM) {
            strong.rankByRetainedSize();
        }
        List<LeakTrace> leaks = new ArrayList<>(leakedObjects.size());
        for (int i = 0; i < leakedObjects.size(); i++) {
            String description = leakedRefs.get(i).description();
            leaks.add(i < sized ? strong.trace(leakedObjects.getInt(i), description)
                    : strong.trace(leakedObjects.getInt(i), description, -1));
        }
        return new LeakTraces(leaks, softOnly);
    }

    /**
     * The traces of the strongly reachable watched objects, in the order given; the first
     * {@value FailureMessage#MAX_TRACES} (those the message writes out) with the leaked object's
     * retained size, the rest without.
     */
    List<LeakTrace> leaks() {
        return leaks;
    }

    /** Watched objects reachable only through referents: not leaks. */
    List<WatchedReference> notStronglyReachable() {
        return notStronglyReachable;
    }
}

package dev.heaplens.analysis;

import dev.heaplens.graph.ObjectGraph;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntList;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an object holds through two or more of its references at once: objects it dominates that no
 * single reference does, such as sessions kept both in a class's static map and in its static
 * listener list. The dominator tree puts them straight under the object, so no child names them;
 * here each is traced back to the object's direct references that reach it (a breadth-first search
 * from each, inside the object's retained set), and they are grouped by those references and class.
 *
 * <pre>{@code
 * // the class DemoWorkload: 20,000 Session shared by static SESSIONS and static LISTENERS
 * }</pre>
 */
final class SharedHoldings {
    /** Direct references traced; one bit each. */
    static final int MAX_REFERENCES = 8;

    private SharedHoldings() {
    }

    /**
     * The groups of {@code holder}'s dominator children that none of its direct references dominates,
     * largest first, keeping those that retain more than {@code minBytes}.
     *
     * @param heads the holder's direct references to trace (its dominator children it references
     *              itself, largest first, with their {@link DominatorEntry#heldBy()}), at most
     *              {@value #MAX_REFERENCES}
     */
    static List<LeakSuspect.Shared> of(DominatorTree tree, int holder, List<DominatorEntry> heads, long minBytes) {
        ObjectGraph graph = tree.graph();
        RoaringBitmap inside = tree.retainedSet(holder);
        byte[] reachedBy = new byte[graph.objectCount()];
        boolean skipReferents = tree.policy() == ReferencePolicy.EXCLUDE_REFERENTS;
        IntArrayList queue = new IntArrayList();
        for (int r = 0; r < heads.size() && r < MAX_REFERENCES; r++) {
            byte bit = (byte) (1 << r);
            int head = heads.get(r).object();
            queue.clear();
            queue.add(head);
            reachedBy[head] |= bit;
            for (int next = 0; next < queue.size(); next++) {
                int v = queue.getInt(next);
                long start = graph.edgeStart(v) + (skipReferents && graph.hasReferentEdge(v) ? 1 : 0);
                for (long e = start, end = graph.edgeEnd(v); e < end; e++) {
                    int w = graph.edgeTarget(e);
                    // inside the holder's memory, and not yet reached through this reference
                    if (w != holder && (reachedBy[w] & bit) == 0 && inside.contains(w)) {
                        reachedBy[w] |= bit;
                        queue.add(w);
                    }
                }
            }
        }
        Map<String, long[]> groups = new LinkedHashMap<>();
        Map<String, List<String>> vias = new LinkedHashMap<>();
        Map<String, String> classOf = new LinkedHashMap<>();
        IntList kids = tree.childIndices(holder);
        for (int i = 0; i < kids.size(); i++) {
            int kid = kids.getInt(i);
            int mask = reachedBy[kid] & 0xff;
            if (Integer.bitCount(mask) < 2) {
                continue; // dominated by one reference (a head itself), or reached by none traced
            }
            String className = tree.className(kid);
            String key = mask + " " + className;
            long[] g = groups.computeIfAbsent(key, k -> new long[2]);
            g[0]++;
            g[1] += tree.retainedSize(kid);
            classOf.putIfAbsent(key, className);
            vias.computeIfAbsent(key, k -> {
                List<String> names = new ArrayList<>();
                for (int b = 0; b < heads.size() && b < MAX_REFERENCES; b++) {
                    if ((mask & (1 << b)) != 0) {
                        names.add(heads.get(b).heldBy());
                    }
                }
                return names;
            });
        }
        List<LeakSuspect.Shared> out = new ArrayList<>();
        double reachable = tree.reachableBytes();
        groups.forEach((key, g) -> {
            if (g[1] > minBytes) {
                out.add(new LeakSuspect.Shared(vias.get(key), classOf.get(key), g[0], g[1],
                        reachable == 0 ? 0 : 100.0 * g[1] / reachable));
            }
        });
        out.sort((a, b) -> Long.compare(b.retainedBytes(), a.retainedBytes()));
        return out;
    }
}

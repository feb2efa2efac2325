package dev.heaplens.analysis;

import dev.heaplens.graph.ClassTable;
import dev.heaplens.graph.GcRoots;
import dev.heaplens.graph.ObjectGraph;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;

/**
 * How each object of a dominator list is held by its immediate dominator, as MAT's dominator tree
 * names the attribute: {@code static LeakApp.CACHE}, {@code HashMap.table}, {@code Object[][182]}, or
 * for a top-level object its GC root ({@code GC root: JNI global}). {@code null} when the immediate
 * dominator reaches it only through other objects.
 *
 * <p>Objects are grouped by dominator, so each dominator's references are read once: a list of the
 * children of one large array costs one pass over the array.
 */
final class Holders {
    private Holders() {
    }

    /** One holder per object of {@code objects}, in order; {@code referrers[i]} gets the referrer's index or -1. */
    static String[] of(DominatorTree tree, IntArrayList objects, int[] referrers) {
        ObjectGraph graph = tree.graph();
        String[] out = new String[objects.size()];
        java.util.Arrays.fill(referrers, -1);
        Int2ObjectOpenHashMap<IntArrayList> byParent = new Int2ObjectOpenHashMap<>();
        IntArrayList topLevel = new IntArrayList();
        for (int i = 0; i < objects.size(); i++) {
            int parent = tree.immediateDominator(objects.getInt(i));
            if (parent == DominatorTree.ROOT) {
                topLevel.add(i);
            } else if (parent >= 0) {
                byParent.computeIfAbsent(parent, k -> new IntArrayList()).add(i);
            }
        }
        byParent.forEach((parent, positions) -> {
            Int2IntOpenHashMap wanted = new Int2IntOpenHashMap();
            wanted.defaultReturnValue(-1);
            for (int i = 0; i < positions.size(); i++) {
                wanted.putIfAbsent(objects.getInt(positions.getInt(i)), positions.getInt(i));
            }
            int p = parent;
            References.forEachReference(graph, p, (via, target) -> {
                int at = wanted.get(target);
                if (at >= 0 && out[at] == null) {
                    out[at] = label(graph, p, via);
                    referrers[at] = p;
                }
            });
            // a target listed twice (the same object in one list) gets its label at each place
            for (int i = 0; i < positions.size(); i++) {
                int at = positions.getInt(i);
                int first = wanted.get(objects.getInt(at));
                if (out[at] == null && first >= 0) {
                    out[at] = out[first];
                    referrers[at] = referrers[first];
                }
            }
        });
        localVariables(graph, objects, out, tree);
        if (!topLevel.isEmpty()) {
            Int2IntOpenHashMap wanted = new Int2IntOpenHashMap();
            wanted.defaultReturnValue(-1);
            for (int i = 0; i < topLevel.size(); i++) {
                wanted.putIfAbsent(objects.getInt(topLevel.getInt(i)), topLevel.getInt(i));
            }
            GcRoots roots = graph.roots();
            for (int r = 0; r < roots.size(); r++) {
                int at = wanted.get(roots.object(r));
                if (at >= 0 && out[at] == null) {
                    out[at] = "GC root: " + GcRootPath.kindWords(roots.kind(r));
                }
            }
            for (int i = 0; i < topLevel.size(); i++) {
                int at = topLevel.getInt(i);
                int first = wanted.get(objects.getInt(at));
                if (out[at] == null && first >= 0) {
                    out[at] = out[first];
                }
            }
        }
        return out;
    }

    /**
     * Objects a thread dominates through its stack, which no field of the thread references: named by
     * their root, {@code local variable in thread "main"} (HPROF records no variable names).
     */
    private static void localVariables(ObjectGraph graph, IntArrayList objects, String[] out, DominatorTree tree) {
        Int2IntOpenHashMap wanted = new Int2IntOpenHashMap();
        wanted.defaultReturnValue(-1);
        for (int i = 0; i < objects.size(); i++) {
            if (out[i] == null && tree.immediateDominator(objects.getInt(i)) >= 0) {
                wanted.putIfAbsent(objects.getInt(i), i);
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        GcRoots roots = graph.roots();
        for (int r = 0; r < roots.size(); r++) {
            int at = wanted.get(roots.object(r));
            if (at >= 0 && out[at] == null && switch (roots.kind(r)) {
                case JAVA_FRAME, JNI_LOCAL, NATIVE_STACK, THREAD_BLOCK -> true;
                default -> false;
            }) {
                String thread = ShortestPaths.threadName(graph, graph.stackTraces().threadObject(roots.threadSerial(r)));
                out[at] = GcRootPath.kindWords(roots.kind(r)) + " in thread \"" + (thread == null ? "?" : thread) + "\"";
            }
        }
        for (int i = 0; i < objects.size(); i++) {
            int first = wanted.get(objects.getInt(i));
            if (out[i] == null && first >= 0) {
                out[i] = out[first];
            }
        }
    }

    /** {@code static Registry.SESSIONS}, {@code HashMap.table}, {@code Object[][3]}, {@code ArrayList <class>}. */
    static String label(ObjectGraph graph, int referrer, String via) {
        ClassTable classes = graph.classes();
        if (via.startsWith("static ")) {
            String declaring = classes.name(classes.indexOfId(graph.id(referrer)));
            return "static " + GcRootPath.simpleName(declaring) + "." + via.substring("static ".length());
        }
        String referrerClass = graph.isClassObject(referrer)
                ? "class " + GcRootPath.simpleName(classes.name(classes.indexOfId(graph.id(referrer))))
                : GcRootPath.simpleName(classes.name(graph.classOf(referrer)));
        return referrerClass + (via.startsWith("<") ? " " + via : via);
    }
}

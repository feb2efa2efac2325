package dev.heaplens.analysis;

import dev.heaplens.graph.ClassTable;
import dev.heaplens.graph.GcRoots;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.hprof.RootKind;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntList;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;

import java.util.EnumSet;
import java.util.Set;

/**
 * How each object of a dominator list is held by its immediate dominator, as MAT's dominator tree
 * names the attribute: {@code static LeakApp.CACHE}, {@code HashMap.table}, {@code Object[][182]}, or
 * for a top-level object its GC root ({@code GC root: JNI global}). {@code null} when the immediate
 * dominator reaches it only through other objects.
 *
 * <p>Objects are grouped by dominator, so each dominator's references are read once: a list of the
 * children of one large array costs one pass over the array; the GC roots are read once for all
 * the objects no field holds.
 */
final class Holders {
    private Holders() {
    }

    /** One holder per object of {@code objects}, in order; {@code referrers[i]} gets the referrer's index or -1. */
    static String[] of(DominatorTree tree, IntList objects, int[] referrers) {
        ObjectGraph graph = tree.graph();
        Int2ObjectOpenHashMap<String> labels = new Int2ObjectOpenHashMap<>();
        Int2IntOpenHashMap referrerOf = new Int2IntOpenHashMap();
        referrerOf.defaultReturnValue(-1);
        Int2ObjectOpenHashMap<IntOpenHashSet> byParent = new Int2ObjectOpenHashMap<>();
        for (int i = 0; i < objects.size(); i++) {
            int parent = tree.immediateDominator(objects.getInt(i));
            if (parent >= 0) {
                byParent.computeIfAbsent(parent, k -> new IntOpenHashSet()).add(objects.getInt(i));
            }
        }
        byParent.forEach((parent, wanted) -> References.forEachReference(graph, parent, (via, target) -> {
            if (wanted.contains(target) && !labels.containsKey(target)) {
                labels.put(target, label(graph, parent, via));
                referrerOf.put(target, (int) parent);
            }
        }));
        // what no field holds: a top-level object is named by its GC root, a thread's by its stack
        IntOpenHashSet unnamed = new IntOpenHashSet();
        for (int i = 0; i < objects.size(); i++) {
            int obj = objects.getInt(i);
            if (!labels.containsKey(obj) && tree.immediateDominator(obj) != DominatorTree.UNREACHABLE) {
                unnamed.add(obj);
            }
        }
        GcRoots roots = graph.roots();
        for (int r = 0; r < roots.size() && !unnamed.isEmpty(); r++) {
            int obj = roots.object(r);
            if (!unnamed.contains(obj)) {
                continue;
            }
            if (tree.immediateDominator(obj) == DominatorTree.ROOT) {
                labels.put(obj, "GC root: " + GcRootPath.kindWords(roots.kind(r)));
                unnamed.remove(obj);
            } else if (THREAD_LOCAL.contains(roots.kind(r))) {
                String thread = ShortestPaths.threadName(graph, graph.stackTraces().threadObject(roots.threadSerial(r)));
                labels.put(obj, GcRootPath.kindWords(roots.kind(r)) + " in thread \"" + (thread == null ? "?" : thread) + "\"");
                unnamed.remove(obj);
            }
        }
        String[] out = new String[objects.size()];
        for (int i = 0; i < objects.size(); i++) {
            out[i] = labels.get(objects.getInt(i));
            referrers[i] = referrerOf.get(objects.getInt(i));
        }
        return out;
    }

    /** Roots that stand for a thread's stack: a thread holds what they hold, through no field. */
    private static final Set<RootKind> THREAD_LOCAL = EnumSet.of(RootKind.JAVA_FRAME, RootKind.JNI_LOCAL,
            RootKind.NATIVE_STACK, RootKind.THREAD_BLOCK);

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

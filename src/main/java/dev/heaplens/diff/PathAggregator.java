package dev.heaplens.diff;

import dev.heaplens.analysis.DominatorTree;
import dev.heaplens.diff.RetentionPath.Via;
import dev.heaplens.graph.ClassKind;
import dev.heaplens.graph.ClassTable;
import dev.heaplens.graph.FieldInfo;
import dev.heaplens.graph.GcRoots;
import dev.heaplens.graph.HeapInstance;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.graph.StackTraces;
import dev.heaplens.graph.StaticFieldInfo;
import dev.heaplens.hprof.BasicType;
import dev.heaplens.hprof.HprofBuffer;
import dev.heaplens.hprof.RootKind;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;

import java.util.Arrays;
import java.util.List;

/**
 * Folds one dump's dominator tree into retention paths: every reachable object gets the path of its
 * immediate dominator plus one step (how the dominator holds it), and each path node counts its
 * objects and their shallow bytes. See {@link HeapSummary} for the rules.
 *
 * <p>Linear: one pass over the edges marks objects their dominator references directly, then each
 * object's path is found once, by a walk up the dominator tree that stops at the first object
 * already placed; a placed object costs two hash lookups (step, node) and, when its dominator is an
 * instance, a read of the dominator's reference fields. Per object it holds an {@code int} (the
 * object's path node) and a bit, only while it runs.
 */
final class PathAggregator {
    private static final int UNSET = -1;
    /** Root kinds in the order a root object's kind is reported, most telling first (as {@code ShortestPaths}). */
    private static final RootKind[] ROOT_ORDER = {RootKind.STICKY_CLASS, RootKind.JAVA_FRAME, RootKind.THREAD_OBJECT,
            RootKind.JNI_LOCAL, RootKind.NATIVE_STACK, RootKind.THREAD_BLOCK, RootKind.MONITOR_USED, RootKind.JNI_GLOBAL,
            RootKind.UNKNOWN};
    private static final int[] RANK = new int[RootKind.values().length];

    static {
        for (int i = 0; i < ROOT_ORDER.length; i++) {
            RANK[ROOT_ORDER[i].ordinal()] = i;
        }
    }

    private final ObjectGraph graph;
    private final DominatorTree tree;
    private final ClassTable classes;
    private final PathTable table;
    /** Class index → class id in {@link #table}. */
    private final int[] classIdOf;
    private final long[] classObjects;
    private final long[] direct;
    /** Root object → best (rank, kind) packed as {@code rank << 8 | kind}, for objects the super-root dominates. */
    private final Int2IntOpenHashMap rootKindOf = new Int2IntOpenHashMap();
    /** (thread object, object) of a thread-local root → its kind ordinal. */
    private final Long2IntOpenHashMap localKindOf = new Long2IntOpenHashMap();
    private final int[][] refOffsets;
    private final int[][] refLabels;
    private final int elementLabel;
    private final int insideLabel;
    private final int classLabel;
    private final int idSize;
    private final HprofBuffer buffer;
    final LongArrayList count = new LongArrayList();
    final LongArrayList shallow = new LongArrayList();

    private PathAggregator(ObjectGraph graph, DominatorTree tree, ClassKey[] keys, PathTable table) {
        this.graph = graph;
        this.tree = tree;
        this.classes = graph.classes();
        this.table = table;
        this.idSize = graph.file().idSize();
        this.buffer = graph.file().buffer();
        int n = graph.objectCount();
        this.classIdOf = new int[classes.size()];
        this.classObjects = new long[(n + 63) >>> 6];
        for (int c = 0; c < classes.size(); c++) {
            classIdOf[c] = table.classId(keys[c]);
            int mirror = classes.classObjectIndex(c);
            if (mirror >= 0) {
                classObjects[mirror >>> 6] |= 1L << mirror;
            }
        }
        this.refOffsets = new int[classes.size()][];
        this.refLabels = new int[classes.size()][];
        this.direct = new long[(n + 63) >>> 6];
        this.elementLabel = table.label(Via.ELEMENT, "[*]");
        this.insideLabel = table.label(Via.INSIDE, "*");
        this.classLabel = table.label(Via.CLASS, "");
        rootKindOf.defaultReturnValue(Integer.MAX_VALUE);
        localKindOf.defaultReturnValue(-1);
    }

    /** Aggregates {@code tree} (of {@code graph}) into {@code table}; {@link #count} and {@link #shallow} are per node. */
    static PathAggregator run(ObjectGraph graph, DominatorTree tree, ClassKey[] keys, PathTable table) {
        PathAggregator a = new PathAggregator(graph, tree, keys, table);
        a.indexRoots();
        a.markDirect();
        a.place();
        return a;
    }

    private boolean isClassObject(int obj) {
        return (classObjects[obj >>> 6] & (1L << obj)) != 0;
    }

    private boolean isDirect(int obj) {
        return (direct[obj >>> 6] & (1L << obj)) != 0;
    }

    private void indexRoots() {
        GcRoots roots = graph.roots();
        StackTraces traces = graph.stackTraces();
        for (int r = 0; r < roots.size(); r++) {
            RootKind kind = roots.kind(r);
            int o = roots.object(r);
            boolean local = kind == RootKind.JAVA_FRAME || kind == RootKind.JNI_LOCAL || kind == RootKind.NATIVE_STACK
                    || kind == RootKind.THREAD_BLOCK;
            int thread = local ? traces.threadObject(roots.threadSerial(r)) : -1;
            // a local of a known thread makes the thread, not the super-root, its holder: rank it after other kinds
            int packed = ((RANK[kind.ordinal()] + (thread >= 0 ? ROOT_ORDER.length : 0)) << 8) | kind.ordinal();
            if (packed < rootKindOf.get(o)) {
                rootKindOf.put(o, packed);
            }
            if (thread >= 0) {
                long pair = ((long) thread << 32) | o;
                int known = localKindOf.get(pair);
                if (known < 0 || RANK[kind.ordinal()] < RANK[known]) {
                    localKindOf.put(pair, kind.ordinal());
                }
            }
        }
    }

    /** Marks every object its immediate dominator references directly: one pass over the edges. */
    private void markDirect() {
        for (int v = 0, n = graph.objectCount(); v < n; v++) {
            for (long e = graph.edgeStart(v), end = graph.edgeEnd(v); e < end; e++) {
                int t = graph.edgeTarget(e);
                if (tree.immediateDominator(t) == v) {
                    direct[t >>> 6] |= 1L << t;
                }
            }
        }
    }

    private void place() {
        int n = graph.objectCount();
        int[] pathOf = new int[n];
        Arrays.fill(pathOf, UNSET);
        IntArrayList stack = new IntArrayList();
        for (int o = 0; o < n; o++) {
            if (pathOf[o] != UNSET || !tree.isReachable(o)) {
                continue;
            }
            // up the dominator tree to a placed object or a path start; then down, parents first
            int v = o;
            while (true) {
                stack.add(v);
                int d = tree.immediateDominator(v);
                if (isClassObject(v) || d == DominatorTree.ROOT || pathOf[d] != UNSET) {
                    break;
                }
                v = d;
            }
            while (!stack.isEmpty()) {
                int x = stack.popInt();
                int node = nodeOf(x, pathOf);
                pathOf[x] = node;
                if (node == count.size()) {
                    count.add(0);
                    shallow.add(0);
                }
                count.set(node, count.getLong(node) + 1);
                shallow.set(node, shallow.getLong(node) + graph.shallowSize(x));
            }
        }
    }

    /** The path node of {@code x}, whose dominator (if an object) is placed already. */
    private int nodeOf(int x, int[] pathOf) {
        if (isClassObject(x)) {
            return table.node(-1, classLabel, classIdOf[classes.indexOfId(graph.id(x))]);
        }
        int cls = classIdOf[graph.classOf(x)];
        int d = tree.immediateDominator(x);
        if (d == DominatorTree.ROOT) {
            return table.node(-1, rootLabel(x), cls);
        }
        // a link of a chain (HashMap$Node.next, TreeMap$Entry.left) stays on its first link's path
        if (!isClassObject(d) && graph.classOf(d) == graph.classOf(x)) {
            return pathOf[d];
        }
        return table.node(pathOf[d], stepLabel(d, x), cls);
    }

    private int rootLabel(int x) {
        int packed = rootKindOf.get(x);
        if (packed == Integer.MAX_VALUE) {
            // not a root itself: reached from several roots, so only the super-root dominates it
            return table.label(Via.ROOT, RetentionPath.SEVERAL_ROOTS);
        }
        RootKind kind = RootKind.values()[packed & 0xFF];
        if (kind == RootKind.THREAD_OBJECT) {
            return table.label(Via.THREAD, threadName(x));
        }
        return table.label(Via.ROOT, kind.description());
    }

    /** How {@code d} holds {@code x}, which it dominates. */
    private int stepLabel(int d, int x) {
        if (isDirect(x)) {
            if (isClassObject(d)) {
                return classLink(d, x);
            }
            int c = graph.classOf(d);
            if (classes.kind(c) == ClassKind.OBJECT_ARRAY) {
                return elementLabel;
            }
            int label = fieldLabel(d, c, graph.id(x));
            if (label >= 0) {
                return label;
            }
        }
        int local = localKindOf.get(((long) d << 32) | x);
        if (local >= 0) {
            return table.label(Via.LOCAL, RootKind.values()[local].description());
        }
        return insideLabel;
    }

    /** The first reference field of instance {@code d} (of class {@code c}) holding {@code id}, or -1. */
    private int fieldLabel(int d, int c, long id) {
        int[] offsets = refOffsets[c];
        if (offsets == null) {
            List<FieldInfo> fields = classes.allFields(c);
            IntArrayList off = new IntArrayList();
            IntArrayList lab = new IntArrayList();
            for (FieldInfo f : fields) {
                if (f.type() == BasicType.OBJECT) {
                    off.add(f.dumpOffset());
                    lab.add(table.label(Via.FIELD, f.name()));
                }
            }
            offsets = refOffsets[c] = off.toIntArray();
            refLabels[c] = lab.toIntArray();
        }
        // INSTANCE DUMP: tag, object id, stack trace serial, class id, data length, then the field data
        long data = graph.recordOffset(d) + 1 + 2L * idSize + 8;
        for (int i = 0; i < offsets.length; i++) {
            if (buffer.id(data + offsets[i], idSize) == id) {
                return refLabels[c][i];
            }
        }
        return -1;
    }

    /** How class object {@code d} references {@code x}: a static, or one of its class's links. */
    private int classLink(int d, int x) {
        long id = graph.id(x);
        int c = classes.indexOfId(graph.id(d));
        for (StaticFieldInfo f : classes.staticFields(c)) {
            if (f.type() == BasicType.OBJECT && f.value() == id) {
                return table.label(Via.STATIC, f.name());
            }
        }
        int superclass = classes.superClass(c);
        if (superclass >= 0 && classes.classObjectIndex(superclass) == x) {
            return table.label(Via.LINK, "<superclass>");
        }
        if (classes.loaderId(c) == id) {
            return table.label(Via.LINK, "<classloader>");
        }
        // CLASS DUMP: tag, class id, stack trace serial, superclass id, loader id, signers id, protection domain id
        long signers = graph.recordOffset(d) + 1 + idSize + 4 + 2L * idSize;
        if (buffer.id(signers, idSize) == id) {
            return table.label(Via.LINK, "<signers>");
        }
        if (buffer.id(signers + idSize, idSize) == id) {
            return table.label(Via.LINK, "<protection domain>");
        }
        return insideLabel;
    }

    private String threadName(int thread) {
        if (new HeapInstance(graph, thread).getOrDefault("name", null) instanceof HeapInstance name && name.isString()) {
            String s = name.asString();
            if (s != null) {
                return s;
            }
        }
        return "?";
    }
}

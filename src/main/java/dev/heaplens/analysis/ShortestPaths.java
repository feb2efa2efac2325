package dev.heaplens.analysis;

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
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Shortest paths from the GC roots to every object, following strong references only: one
 * breadth-first search from all root objects at once, computed once, then any number of
 * {@link #pathTo} queries, each a walk up a parent array.
 *
 * <p><b>What is followed.</b> Every out-edge of the graph (instance fields, array elements, a class
 * object's superclass, loader, signers, protection domain and statics) except the {@code referent}
 * of a {@code java.lang.ref.Reference}, which does not keep its target alive; then, last, the edge
 * from an object to its class object (an instance keeps its class loaded). The edge set is the one
 * {@link DominatorTree} uses under {@link ReferencePolicy#EXCLUDE_REFERENTS}, so an object has a
 * path exactly when that tree calls it reachable. Objects reached only through referents have no
 * path; {@link #reachability} tells them from garbage.
 *
 * <p><b>Which shortest path.</b> The search is level by level (FIFO), so every path is as short as
 * any. Among equally short paths the first found wins, and the order is chosen to explain most:
 * roots enter the queue by kind, most telling first — system class (its static fields), local
 * variable, thread, JNI local, native stack, thread block, busy monitor, JNI global, unknown —
 * then in dump order; an object reached at one level by several parents keeps the parent that
 * entered the queue first, and from one parent the earlier field or element. By induction the path
 * found starts at the best-ranked root among all shortest paths. An object that is a root several
 * times is reported with its best-ranked root entry. The ordering costs one sort of the root entries.
 *
 * <p><b>Cost.</b> An {@code int} parent per object (-1 for roots, -2 unreached) is kept; the queue
 * ({@code int} per object) lives only during the search. Edge labels are not stored: a path's field
 * names and array indices are found when it is asked for, by reading the parent's record for the
 * child's id.
 *
 * <pre>{@code
 * ShortestPaths paths = ShortestPaths.compute(heap.graph());
 * int leaked = heap.graph().indexOf(0x7f002a30L);
 * System.out.println(paths.explain(leaked));          // the trace, or why there is none
 * GcRootPath path = paths.pathTo(leaked, DominatorTree.compute(heap.graph())).orElseThrow();
 * }</pre>
 */
public final class ShortestPaths {
    /** {@link #parent} of a GC root object. */
    public static final int ROOT = -1;
    /** {@link #parent} of an object no strong path reaches. */
    public static final int UNREACHED = -2;

    /** How, if at all, the GC roots reach an object. */
    public enum Reachability {
        /** The object is a GC root itself. */
        GC_ROOT,
        /** A path of strong references leads to it. */
        STRONG,
        /**
         * Only paths through the {@code referent} of a weak, soft, phantom or final reference lead to
         * it: the next GC may clear the reference and reclaim it, so it has no path here.
         */
        REFERENTS_ONLY,
        /** Nothing leads to it: garbage the dump still holds. */
        UNREACHABLE
    }

    /** Rank of each {@link RootKind} by ordinal: lower explains more and is searched first. */
    private static final int[] ROOT_RANK = new int[RootKind.values().length];

    static {
        RootKind[] order = {RootKind.STICKY_CLASS, RootKind.JAVA_FRAME, RootKind.THREAD_OBJECT, RootKind.JNI_LOCAL,
                RootKind.NATIVE_STACK, RootKind.THREAD_BLOCK, RootKind.MONITOR_USED, RootKind.JNI_GLOBAL,
                RootKind.UNKNOWN};
        Arrays.fill(ROOT_RANK, order.length);
        for (int i = 0; i < order.length; i++) {
            ROOT_RANK[order[i].ordinal()] = i;
        }
    }

    private final ObjectGraph graph;
    private final int[] parent;
    private final Int2IntOpenHashMap rootEntryOf;
    private final int reachedCount;
    private RoaringBitmap referentsOnly;

    private ShortestPaths(ObjectGraph graph, int[] parent, Int2IntOpenHashMap rootEntryOf, int reachedCount) {
        this.graph = graph;
        this.parent = parent;
        this.rootEntryOf = rootEntryOf;
        this.reachedCount = reachedCount;
    }

    /** Runs the search over the whole graph: O(objects + references), iteratively. */
    public static ShortestPaths compute(ObjectGraph graph) {
        int n = graph.objectCount();
        GcRoots roots = graph.roots();
        // root entries by (rank of kind, entry number): one primitive sort, stable by construction
        long[] order = new long[roots.size()];
        for (int r = 0; r < order.length; r++) {
            order[r] = ((long) ROOT_RANK[roots.kind(r).ordinal()] << 32) | r;
        }
        Arrays.sort(order);

        int[] parent = new int[n];
        Arrays.fill(parent, UNREACHED);
        int[] queue = new int[n];
        int tail = 0;
        Int2IntOpenHashMap rootEntryOf = new Int2IntOpenHashMap(order.length);
        for (long key : order) {
            int r = (int) key;
            int o = roots.object(r);
            if (parent[o] == UNREACHED) {
                parent[o] = ROOT;
                rootEntryOf.put(o, r);
                queue[tail++] = o;
            }
        }

        ClassTable classes = graph.classes();
        int[] classObjectOfClass = new int[classes.size()];
        for (int c = 0; c < classObjectOfClass.length; c++) {
            classObjectOfClass[c] = classes.classObjectIndex(c);
        }
        // FIFO: objects leave the queue in order of distance, so the first parent to reach an object is on a shortest path
        for (int head = 0; head < tail; head++) {
            int v = queue[head];
            long e = graph.edgeStart(v) + (graph.hasReferentEdge(v) ? 1 : 0);
            for (long end = graph.edgeEnd(v); e < end; e++) {
                int t = graph.edgeTarget(e);
                if (parent[t] == UNREACHED) {
                    parent[t] = v;
                    queue[tail++] = t;
                }
            }
            int classObject = classObjectOfClass[graph.classOf(v)];
            if (classObject >= 0 && parent[classObject] == UNREACHED) {
                parent[classObject] = v;
                queue[tail++] = classObject;
            }
        }
        return new ShortestPaths(graph, parent, rootEntryOf, tail);
    }

    /** The graph searched. */
    public ObjectGraph graph() {
        return graph;
    }

    /** The object before {@code obj} on its shortest path, {@link #ROOT} for a root object, or {@link #UNREACHED}. */
    public int parent(int obj) {
        return parent[obj];
    }

    /** Whether a strong path from a GC root leads to {@code obj} (roots included). */
    public boolean hasPath(int obj) {
        return parent[obj] != UNREACHED;
    }

    /** Number of objects with a path, roots included. */
    public int reachedCount() {
        return reachedCount;
    }

    /** References followed from a root to {@code obj}: 0 for a root, -1 when there is no path. */
    public int distance(int obj) {
        if (parent[obj] == UNREACHED) {
            return -1;
        }
        int d = 0;
        for (int v = obj; parent[v] != ROOT; v = parent[v]) {
            d++;
        }
        return d;
    }

    /** The GC root entry (an index into {@link ObjectGraph#roots()}) the path of {@code obj} starts at; -1 without a path. */
    public int rootEntry(int obj) {
        if (parent[obj] == UNREACHED) {
            return -1;
        }
        int v = obj;
        while (parent[v] != ROOT) {
            v = parent[v];
        }
        return rootEntryOf.get(v);
    }

    /** Whether {@code obj} is a root, strongly reachable, reachable only through referents, or unreachable. */
    public Reachability reachability(int obj) {
        int p = parent[obj];
        if (p == ROOT) {
            return Reachability.GC_ROOT;
        }
        if (p != UNREACHED) {
            return Reachability.STRONG;
        }
        return referentsOnlySet().contains(obj) ? Reachability.REFERENTS_ONLY : Reachability.UNREACHABLE;
    }

    /**
     * Objects with no strong path that a path through referents would reach (a copy), found on first
     * use by a second search from the referents of strongly reachable references, following every edge.
     */
    public RoaringBitmap referentsOnly() {
        return referentsOnlySet().clone();
    }

    private synchronized RoaringBitmap referentsOnlySet() {
        if (referentsOnly == null) {
            RoaringBitmap seen = new RoaringBitmap();
            IntArrayList stack = new IntArrayList();
            for (int obj = 0, n = graph.objectCount(); obj < n; obj++) {
                if (parent[obj] != UNREACHED && graph.hasReferentEdge(obj)) {
                    int t = graph.edgeTarget(graph.edgeStart(obj));
                    if (parent[t] == UNREACHED && seen.checkedAdd(t)) {
                        stack.add(t);
                    }
                }
            }
            ClassTable classes = graph.classes();
            while (!stack.isEmpty()) {
                int v = stack.popInt();
                for (long e = graph.edgeStart(v), end = graph.edgeEnd(v); e < end; e++) {
                    int t = graph.edgeTarget(e);
                    if (parent[t] == UNREACHED && seen.checkedAdd(t)) {
                        stack.add(t);
                    }
                }
                int classObject = classes.classObjectIndex(graph.classOf(v));
                if (classObject >= 0 && parent[classObject] == UNREACHED && seen.checkedAdd(classObject)) {
                    stack.add(classObject);
                }
            }
            referentsOnly = seen;
        }
        return referentsOnly;
    }

    /** The shortest path from a GC root to {@code obj}, or empty when no strong path leads there. */
    public Optional<GcRootPath> pathTo(int obj) {
        return pathTo(obj, null);
    }

    /**
     * The shortest path to {@code obj}, each object annotated with its retained size from
     * {@code tree} (of the same graph; {@code null} for none).
     */
    public Optional<GcRootPath> pathTo(int obj, DominatorTree tree) {
        checkIndex(obj);
        if (tree != null && tree.graph() != graph) {
            throw new IllegalArgumentException("the dominator tree is of another graph");
        }
        if (parent[obj] == UNREACHED) {
            return Optional.empty();
        }
        IntArrayList chain = new IntArrayList();
        for (int v = obj; v != ROOT; v = parent[v]) {
            chain.add(v);
        }
        List<PathStep> steps = new ArrayList<>(chain.size());
        int root = chain.getInt(chain.size() - 1);
        steps.add(rootStep(root, tree));
        for (int i = chain.size() - 2; i >= 0; i--) {
            steps.add(hop(chain.getInt(i + 1), chain.getInt(i), tree, true));
        }
        return Optional.of(new GcRootPath(steps));
    }

    /**
     * The path to {@code obj} as text, or one line saying why there is none: reachable only through
     * weak/soft/phantom/final referents, or not reachable at all.
     */
    public String explain(int obj) {
        return explain(obj, null);
    }

    /** {@link #explain(int)} with retained sizes from {@code tree} ({@code null} for none). */
    public String explain(int obj, DominatorTree tree) {
        Optional<GcRootPath> path = pathTo(obj, tree);
        if (path.isPresent()) {
            return path.get().toString();
        }
        String what = node(obj, tree).toString();
        return switch (reachability(obj)) {
            case REFERENTS_ONLY -> "No path from a GC root: " + what
                    + " is reachable only through the referent of a weak, soft, phantom or final reference\n";
            case UNREACHABLE -> "No path from a GC root: " + what + " is unreachable (garbage the next GC may reclaim)\n";
            case GC_ROOT, STRONG -> throw new IllegalStateException("object " + obj + " has a path");
        };
    }

    // ---- building path steps, lazily, from the records --------------------------------------------

    /** The view of one object on a path. */
    PathNode node(int obj, DominatorTree tree) {
        ClassTable classes = graph.classes();
        boolean isClass = graph.isClassObject(obj);
        String name = isClass ? classes.name(classes.indexOfId(graph.id(obj))) : classes.name(graph.classOf(obj));
        return new PathNode(obj, graph.id(obj), name, isClass, graph.shallowSize(obj), tree == null ? -1 : tree.retainedSize(obj));
    }

    /** The kind of the root entry a root object (whose {@link #parent} is {@link #ROOT}) is reported with. */
    RootKind rootKind(int rootObject) {
        return graph.roots().kind(rootEntryOf.get(rootObject));
    }

    /** The root step of a root object (whose {@link #parent} is {@link #ROOT}). */
    private RootStep rootStep(int obj, DominatorTree tree) {
        GcRoots roots = graph.roots();
        int r = rootEntryOf.get(obj);
        RootKind kind = roots.kind(r);
        int serial = roots.threadSerial(r);
        StackTraces traces = graph.stackTraces();
        String threadName = null;
        StackTraces.Frame frame = null;
        switch (kind) {
            case THREAD_OBJECT -> threadName = threadName(obj);
            case JAVA_FRAME, JNI_LOCAL -> {
                threadName = threadName(traces.threadObject(serial));
                frame = traces.frame(serial, (int) roots.extra(r));
            }
            case NATIVE_STACK, THREAD_BLOCK -> threadName = threadName(traces.threadObject(serial));
            default -> {
                // not tied to a thread
            }
        }
        return new RootStep(kind, node(obj, tree), threadName, frame);
    }

    private String threadName(int thread) {
        return threadName(graph, thread);
    }

    /** The {@code name} of a {@code java.lang.Thread}, or {@code null}. */
    static String threadName(ObjectGraph graph, int thread) {
        if (thread < 0 || graph.isClassObject(thread)) {
            return null;
        }
        ClassTable classes = graph.classes();
        FieldInfo nameField = null;
        for (FieldInfo f : classes.allFields(graph.classOf(thread))) {
            if (f.type() == BasicType.OBJECT && f.name().equals("name")) {
                // a Thread subclass may declare its own 'name': prefer java.lang.Thread's
                if (nameField == null || classes.name(f.declaringClass()).equals("java.lang.Thread")) {
                    nameField = f;
                }
            }
        }
        if (nameField == null) {
            return null;
        }
        int name = graph.indexOf(new HeapInstance(graph, thread).raw(nameField));
        if (name < 0 || graph.isClassObject(name)
                || graph.classes().kind(graph.classOf(name)) != ClassKind.INSTANCE) {
            return null;
        }
        return new HeapInstance(graph, name).asString();
    }

    /**
     * The step from {@code from} to {@code to}, named by reading {@code from}'s record for {@code to}'s
     * id. Without {@code findIndex}, a hop out of an object array is an {@link ArrayStep} with index -1,
     * which spares scanning the array.
     */
    PathStep hop(int from, int to, DominatorTree tree, boolean findIndex) {
        PathNode target = node(to, tree);
        ClassTable classes = graph.classes();
        long toId = graph.id(to);
        int idSize = graph.file().idSize();
        HprofBuffer buf = graph.file().buffer();
        if (graph.isClassObject(from)) {
            int c = classes.indexOfId(graph.id(from));
            for (StaticFieldInfo f : classes.staticFields(c)) {
                if (f.type() == BasicType.OBJECT && f.value() == toId) {
                    return new StaticStep(classes.name(c), f.name(), target);
                }
            }
            int superclass = classes.superClass(c);
            if (superclass >= 0 && classes.classObjectIndex(superclass) == to) {
                return new ClassLinkStep(ClassLinkStep.Link.SUPERCLASS, target);
            }
            if (classes.loaderId(c) == toId) {
                return new ClassLinkStep(ClassLinkStep.Link.CLASS_LOADER, target);
            }
            // CLASS DUMP: tag, class id, stack trace serial, superclass id, loader id, signers id, protection domain id
            long signers = graph.recordOffset(from) + 1 + idSize + 4 + 2L * idSize;
            if (buf.id(signers, idSize) == toId) {
                return new ClassLinkStep(ClassLinkStep.Link.SIGNERS, target);
            }
            if (buf.id(signers + idSize, idSize) == toId) {
                return new ClassLinkStep(ClassLinkStep.Link.PROTECTION_DOMAIN, target);
            }
        } else {
            int c = graph.classOf(from);
            switch (classes.kind(c)) {
                case INSTANCE -> {
                    HeapInstance holder = new HeapInstance(graph, from);
                    for (FieldInfo f : classes.allFields(c)) {
                        if (f.type() == BasicType.OBJECT && !isReferent(classes, f) && holder.raw(f) == toId) {
                            return new FieldStep(classes.name(f.declaringClass()), f.name(), target);
                        }
                    }
                }
                case OBJECT_ARRAY -> {
                    if (!findIndex && to != classes.classObjectIndex(c)) {
                        return new ArrayStep(-1, target);
                    }
                    // OBJ ARRAY DUMP: tag, id, stack trace serial, length, element class id, elements
                    long rec = graph.recordOffset(from);
                    int length = buf.i4(rec + 1 + idSize + 4);
                    long elements = rec + 1 + 2L * idSize + 8;
                    for (int i = 0; i < length; i++) {
                        if (buf.id(elements + (long) i * idSize, idSize) == toId) {
                            return new ArrayStep(i, target);
                        }
                    }
                }
                case PRIMITIVE_ARRAY -> {
                    // holds no references; only its class link below
                }
            }
        }
        if (classes.classObjectIndex(graph.classOf(from)) == to) {
            return new ClassLinkStep(ClassLinkStep.Link.CLASS, target);
        }
        throw new IllegalStateException(String.format("the graph has an edge from object 0x%x to 0x%x that its record does not hold",
                graph.id(from), toId));
    }

    private static boolean isReferent(ClassTable classes, FieldInfo f) {
        return f.name().equals("referent") && classes.name(f.declaringClass()).equals("java.lang.ref.Reference");
    }

    private void checkIndex(int obj) {
        if (obj < 0 || obj >= parent.length) {
            throw new IllegalArgumentException("no object at index " + obj + " (the graph has " + parent.length + ")");
        }
    }
}

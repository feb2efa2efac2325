package dev.heaplens.analysis;

import dev.heaplens.graph.ClassTable;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.graph.PhaseTrace;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntArrays;
import it.unimi.dsi.fastutil.ints.IntList;
import it.unimi.dsi.fastutil.longs.LongArrays;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.List;

/**
 * The dominator tree of the heap and the retained sizes it gives: object {@code d} dominates
 * {@code o} when every path from the GC roots to {@code o} passes through {@code d}; the retained
 * size of {@code d} is the sum of the shallow sizes of all it dominates, itself included.
 *
 * <p>A virtual super-root points at the GC roots; objects it alone dominates have immediate
 * dominator {@link #ROOT}. Thread-local roots are attributed to their thread, as in Eclipse MAT: a
 * Java-frame (local variable), JNI-local, native-stack or thread-block root whose thread the dump
 * names is not a child of the super-root but a reference from that thread's {@code Thread} object,
 * so an object only a thread's stack holds is dominated by the thread, and the thread's retained
 * size includes it. An object that is also a root of another kind (a JNI global, say) stays a child
 * of the super-root; a root of a thread the dump does not name stays one too. This is the same under
 * both {@link ReferencePolicy reference policies}, and it differs from NetBeans/VisualVM, which make
 * locals roots. Paths from GC roots ({@link ShortestPaths}) still start at local-variable roots.
 * Objects no root reaches are kept out of the tree and summarised by
 * {@link #unreachable()}. Computed iteratively, in primitive arrays, from Lengauer–Tarjan's
 * semi-dominators by semi-NCA (see {@code LengauerTarjan}); the tree
 * keeps an {@code int} and a {@code long} per object, and its children lists, two {@code int}s per object.
 *
 * <pre>{@code
 * DominatorTree tree = DominatorTree.compute(heap.graph());
 * System.out.println(tree.top(10));                   // largest retained sizes
 * long bytes = tree.retainedSize(heap.graph().indexOf(0x7f0011a8L));
 * }</pre>
 */
public final class DominatorTree {
    /** Immediate dominator of objects dominated only by the virtual super-root. */
    public static final int ROOT = -1;
    /** Immediate dominator reported for objects no GC root reaches. */
    public static final int UNREACHABLE = -2;

    private final ObjectGraph graph;
    private final ReferencePolicy policy;
    private final int[] idom;
    private final long[] retained;
    private final long reachableBytes;
    private final int reachableCount;
    private int[] childStart;
    private int[] children;  // may be longer than the lists: childStart[objectCount() + 1] entries are
    /** Bit per object: no other instance of its class dominates it (set with the class retained sizes). */
    private volatile long[] topInstances;
    private long[] sortedLists;
    private long[] classRetained;

    private DominatorTree(ObjectGraph graph, ReferencePolicy policy, int[] idom, long[] retained, long reachableBytes,
                          int reachableCount) {
        this.graph = graph;
        this.policy = policy;
        this.idom = idom;
        this.retained = retained;
        this.reachableBytes = reachableBytes;
        this.reachableCount = reachableCount;
    }

    /** The dominator tree with referents followed, as Eclipse MAT builds it. */
    public static DominatorTree compute(ObjectGraph graph) {
        return compute(graph, ReferencePolicy.FOLLOW_REFERENTS);
    }

    /** The dominator tree under a reference policy. */
    public static DominatorTree compute(ObjectGraph graph, ReferencePolicy policy) {
        int n = graph.objectCount();
        LengauerTarjan.Result lt = LengauerTarjan.compute(new GraphSuccessors(graph, policy));
        int[] vertex = lt.vertex();
        int[] idomPre = lt.idomPre();
        int reachable = lt.reachable();
        long t0 = PhaseTrace.start();
        // The tree in node order, in the arrays Lengauer-Tarjan leaves: its preorder numbers (free now,
        // n + 1 of them, the last the super-root's) become the immediate dominators, and its forest (a
        // long per node) the retained sizes, which saves two fresh arrays of the heap's size; retained
        // sizes then add up children before parents, in reverse preorder (preorder number 0 is the
        // super-root).
        int[] idom = lt.preorderOf();
        long[] retained = lt.spare();
        for (int v = 0; v < n; v++) {
            if (idom[v] < 0) {
                idom[v] = UNREACHABLE;
            }
            retained[v] = 0;
        }
        retained[n] = 0;
        for (int p = 1; p < reachable; p++) {
            int v = vertex[p];
            int d = idomPre[p];
            idom[v] = d == 0 ? ROOT : vertex[d];
            retained[v] = graph.shallowSize(v);
        }
        long reachableBytes = 0;
        for (int p = reachable - 1; p > 0; p--) {
            int d = idomPre[p];
            long bytes = retained[vertex[p]];
            if (d == 0) {
                reachableBytes += bytes;
            } else {
                retained[vertex[d]] += bytes;
            }
        }
        PhaseTrace.end("  retained sizes", t0);
        long t1 = PhaseTrace.start();
        // the children lists, into the preorder arrays, which nothing needs any more: the class retained
        // sizes, the leak suspects and every view walk them, and made later they were two more fresh arrays
        DominatorTree tree = new DominatorTree(graph, policy, idom, retained, reachableBytes, reachable - 1);
        tree.buildChildren(vertex, idomPre);
        PhaseTrace.end("  children", t1);
        return tree;
    }

    /** The graph this tree is of. */
    public ObjectGraph graph() {
        return graph;
    }

    /** How referents were treated. */
    public ReferencePolicy policy() {
        return policy;
    }

    /** The immediate dominator of {@code obj}: an object index, {@link #ROOT}, or {@link #UNREACHABLE}. */
    public int immediateDominator(int obj) {
        return idom[obj];
    }

    /** Whether a GC root reaches {@code obj} (under this tree's reference policy). */
    public boolean isReachable(int obj) {
        return idom[obj] != UNREACHABLE;
    }

    /** Bytes {@code obj} keeps alive, itself included; 0 for unreachable objects. */
    public long retainedSize(int obj) {
        return retained[obj];
    }

    /** Shallow bytes of all reachable objects: the retained size of the super-root. */
    public long reachableBytes() {
        return reachableBytes;
    }

    /** Number of reachable objects. */
    public int reachableCount() {
        return reachableCount;
    }

    /** The {@code n} objects with the largest retained sizes, largest first (ties by index). */
    public DominatorList top(int n) {
        return new DominatorList("Largest retained sizes", entries(IntArrayList.wrap(topIndices(n))));
    }

    /** The top-level dominators (children of the super-root), largest first. */
    public DominatorList roots() {
        return list("Children of the GC roots", childrenOf(graph.objectCount()));
    }

    /** Objects {@code obj} immediately dominates, largest retained first. */
    public DominatorList children(int obj) {
        return list("Dominated by " + entry(obj).className() + "@0x" + Long.toHexString(graph.id(obj)), childrenOf(obj));
    }

    /** Object indices {@code obj} immediately dominates, largest retained first; {@code objectCount()} for the super-root. */
    public IntList childIndices(int obj) {
        return childrenOf(obj);
    }

    /** Every object {@code obj} dominates, itself included: what the GC would free with it. */
    public RoaringBitmap retainedSet(int obj) {
        RoaringBitmap set = new RoaringBitmap();
        if (!isReachable(obj)) {
            return set;
        }
        IntArrayList stack = new IntArrayList();
        stack.add(obj);
        while (!stack.isEmpty()) {
            int v = stack.popInt();
            set.add(v);
            for (int i = childStart[v], end = childStart[v + 1]; i < end; i++) {
                stack.add(children[i]);
            }
        }
        return set;
    }

    /**
     * Retained size of the set of all instances of class {@code c}: instances dominated by another
     * instance of {@code c} are counted once, inside their dominator's retained size.
     */
    public long classRetainedSize(int c) {
        return classRetainedSizes()[c];
    }

    /** {@link #classRetainedSize} of every class, by class index. */
    public synchronized long[] classRetainedSizes() {
        if (classRetained == null) {
            classRetained = computeClassRetained();
        }
        return classRetained;
    }

    /**
     * Whether {@code obj} is a top instance of its class: reachable, and dominated by no other instance
     * of its class, so its retained size is part of its class's {@link #classRetainedSize} (an
     * instance held inside another instance of its class is counted within that one). Computed with
     * the class retained sizes.
     */
    public boolean isTopInstance(int obj) {
        long[] top = topInstances;
        if (top == null) {
            classRetainedSizes();
            top = topInstances;
        }
        return (top[obj >>> 6] & (1L << obj)) != 0;
    }

    /** Objects no GC root reaches, by class. */
    public Histogram unreachable() {
        return Histogram.of(graph, obj -> idom[obj] == UNREACHABLE);
    }

    /** The entry for one object, with how its immediate dominator holds it. */
    public DominatorEntry entry(int obj) {
        return entries(IntArrayList.wrap(new int[] {obj})).get(0);
    }

    /** The object's class name, {@code class Foo} for a class object. */
    String className(int obj) {
        ClassTable classes = graph.classes();
        return graph.isClassObject(obj) ? "class " + classes.name(classes.indexOfId(graph.id(obj))) : classes.name(graph.classOf(obj));
    }

    /** The entries for these objects, in order; each dominator's references are read once. */
    List<DominatorEntry> entries(IntList objects) {
        int[] referrers = new int[objects.size()];
        String[] heldBy = Holders.of(this, objects, referrers);
        List<DominatorEntry> out = new ArrayList<>(objects.size());
        for (int i = 0; i < objects.size(); i++) {
            int obj = objects.getInt(i);
            String name = className(obj);
            double percent = reachableBytes == 0 ? 0 : 100.0 * retained[obj] / reachableBytes;
            out.add(new DominatorEntry(obj, graph.id(obj), name, graph.shallowSize(obj), retained[obj], percent, heldBy[i],
                    referrers[i] < 0 ? 0 : graph.id(referrers[i])));
        }
        return out;
    }

    @Override
    public String toString() {
        return top(20).toString();
    }

    private DominatorList list(String title, IntList objects) {
        return new DominatorList(title, entries(objects));
    }

    /** {@code obj}'s children, largest retained first (ties by index); each list is sorted when first asked for. */
    private synchronized IntList childrenOf(int obj) {
        int from = childStart[obj];
        int to = childStart[obj + 1];
        if (to - from > 1 && (sortedLists[obj >>> 6] & (1L << obj)) == 0) {
            sortByRetained(from, to);
            sortedLists[obj >>> 6] |= 1L << obj;
        }
        return IntArrayList.wrap(java.util.Arrays.copyOfRange(children, from, to));
    }

    /**
     * Sorts {@code children[from, to)} by retained size, largest first, ties by index. A long list (the
     * super-root's children are hundreds of thousands) is radix-sorted as pairs (minus retained
     * size, index): a comparison sort took 200 ms over 724,000 children on a cold run.
     */
    private void sortByRetained(int from, int to) {
        int m = to - from;
        if (m < 256) {
            IntArrays.quickSort(children, from, to, (a, b) -> retained[a] != retained[b] ? Long.compare(retained[b], retained[a])
                    : Integer.compare(a, b));
            return;
        }
        long[] keys = new long[m];
        long[] objects = new long[m];
        for (int i = 0; i < m; i++) {
            int child = children[from + i];
            keys[i] = -retained[child];
            objects[i] = child;
        }
        LongArrays.radixSort(keys, objects);
        for (int i = 0; i < m; i++) {
            children[from + i] = (int) objects[i];
        }
    }

    /**
     * Children lists in CSR form (the super-root is node N), in index order until {@link #childrenOf}
     * sorts one (sorting all 20 million lists of a large dump took a second, and the class retained
     * sizes and retained sets need no order), made in two arrays of the caller's: {@code start} of at
     * least N + 2 entries, {@code kids} of at least N. Their contents are overwritten.
     */
    private void buildChildren(int[] start, int[] kids) {
        int n = graph.objectCount();
        if (start.length < n + 2 || kids.length < n) {
            throw new IllegalArgumentException("children lists of " + n + " objects need " + (n + 2) + " and " + n
                    + " entries, not " + start.length + " and " + kids.length);
        }
        // counts, then each list's end; filled from its end, by objects in descending order, each
        // end becomes its list's start and every list is in index order, with no cursor array
        java.util.Arrays.fill(start, 0, n + 2, 0);
        for (int o = 0; o < n; o++) {
            int d = idom[o];
            if (d != UNREACHABLE) {
                start[d == ROOT ? n : d]++;
            }
        }
        for (int i = 0; i <= n; i++) {
            start[i + 1] += start[i];
        }
        int listed = start[n];
        for (int o = n - 1; o >= 0; o--) {
            int d = idom[o];
            if (d != UNREACHABLE) {
                kids[--start[d == ROOT ? n : d]] = o;
            }
        }
        start[n + 1] = listed;
        sortedLists = new long[(n + 1 + 63) >>> 6];
        children = kids;
        childStart = start;
    }

    /** Walks the tree keeping, per class, how many ancestors on the current path are of that class. */
    private long[] computeClassRetained() {
        int n = graph.objectCount();
        long[] sums = new long[graph.classes().size()];
        long[] top = new long[(n + 63) >>> 6];
        int[] onPath = new int[sums.length];
        // the path from the super-root, grown as deep as the tree is: a list millions long needs it all,
        // a usual heap a few thousand entries, not two fresh arrays of the heap's size
        int[] stack = new int[Math.min(n + 1, 1 << 12)];
        int[] next = new int[stack.length];
        int sp = 0;
        stack[sp] = n;
        next[sp++] = childStart[n];
        while (sp > 0) {
            int v = stack[sp - 1];
            int i = next[sp - 1];
            if (i < childStart[v + 1]) {
                next[sp - 1] = i + 1;
                int child = children[i];
                int c = graph.classOf(child);
                if (onPath[c] == 0) {
                    sums[c] += retained[child];
                    top[child >>> 6] |= 1L << child;
                }
                onPath[c]++;
                if (sp == stack.length) {
                    int grown = (int) Math.min(n + 1L, 2L * stack.length);
                    stack = java.util.Arrays.copyOf(stack, grown);
                    next = java.util.Arrays.copyOf(next, grown);
                }
                stack[sp] = child;
                next[sp++] = childStart[child];
            } else {
                if (v != n) {
                    onPath[graph.classOf(v)]--;
                }
                sp--;
            }
        }
        topInstances = top;
        return sums;
    }

    private int[] topIndices(int k) {
        int n = graph.objectCount();
        k = Math.min(k, reachableCount);
        // a heap of the k largest so far, the one ranking lowest on top (of equal sizes, the highest index)
        int[] heap = new int[k];
        int size = 0;
        for (int o = 0; o < n && k > 0; o++) {
            if (idom[o] == UNREACHABLE) {
                continue;
            }
            if (size < k) {
                heap[size] = o;
                siftUp(heap, size++);
            } else if (retained[o] > retained[heap[0]]) {
                heap[0] = o;
                siftDown(heap, size);
            }
        }
        // ties by index (the scan kept the first ones it saw), not in the heap's order
        IntArrays.quickSort(heap, 0, size, (a, b) -> retained[a] != retained[b] ? Long.compare(retained[b], retained[a])
                : Integer.compare(a, b));
        return size == heap.length ? heap : java.util.Arrays.copyOf(heap, size);
    }

    /** Whether {@code a} ranks below {@code b}: smaller retained size, or the same and a higher index. */
    private boolean worse(int a, int b) {
        return retained[a] != retained[b] ? retained[a] < retained[b] : a > b;
    }

    private void siftUp(int[] heap, int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!worse(heap[i], heap[parent])) {
                return;
            }
            int t = heap[i];
            heap[i] = heap[parent];
            heap[parent] = t;
            i = parent;
        }
    }

    private void siftDown(int[] heap, int size) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int m = i;
            if (l < size && worse(heap[l], heap[m])) {
                m = l;
            }
            if (r < size && worse(heap[r], heap[m])) {
                m = r;
            }
            if (m == i) {
                return;
            }
            int t = heap[i];
            heap[i] = heap[m];
            heap[m] = t;
            i = m;
        }
    }
}

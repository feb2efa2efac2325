package dev.heaplens.analysis;

import dev.heaplens.graph.ClassTable;
import dev.heaplens.graph.GcRoots;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.graph.StackTraces;
import dev.heaplens.hprof.RootKind;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;

import java.util.Arrays;

/**
 * The object graph with a virtual super-root (node {@code N}) over the GC roots. Each object's
 * successors are its references, then its class object (an instance keeps its class alive, as in
 * Eclipse MAT), minus the referent of a {@code Reference} when the policy excludes referents.
 *
 * <p>Thread-local roots are attributed to their thread, as MAT does
 * ({@code Pass1Parser.readGCWithThreadContext}): a Java-frame, JNI-local, native-stack or
 * thread-block root whose thread serial names a thread object in the dump is not a successor of
 * the super-root (unless the object is also a root of another kind); instead the thread object gets
 * an extra successor to it, after its references and its class. A root of a thread the dump does not
 * name stays a successor of the super-root. This holds for both reference policies.
 *
 * <p>{@link #degree} and {@link #target} are called per edge by Lengauer–Tarjan: an ordinary object
 * costs one bit test more than before; only a thread object with extra successors looks up its rank
 * (a binary search over the few such threads) to index the extra successors.
 */
final class GraphSuccessors implements Successors {
    private final ObjectGraph graph;
    private final int n;
    private final int[] rootObjects;
    private final boolean skipReferents;
    private final int[] classObjectOfClass;
    /** Bit per object: a thread object with extra successors (its thread-local roots). */
    private final long[] hasExtra;
    /** Thread objects with extra successors, ascending; position = rank into {@link #extraStart}. */
    private final int[] extraThreads;
    /** CSR over {@link #extraThreads}: extra successors of thread rank {@code i} are {@code extraTargets[extraStart[i] .. extraStart[i+1])}. */
    private final int[] extraStart;
    private final int[] extraTargets;

    GraphSuccessors(ObjectGraph graph, ReferencePolicy policy) {
        this.graph = graph;
        this.n = graph.objectCount();
        this.skipReferents = policy == ReferencePolicy.EXCLUDE_REFERENTS;
        GcRoots roots = graph.roots();
        StackTraces threads = graph.stackTraces();
        IntOpenHashSet seen = new IntOpenHashSet();
        int[] global = new int[roots.size()];
        long[] pairs = new long[roots.size()]; // (thread object << 32) | object
        int count = 0;
        int pairCount = 0;
        for (int r = 0; r < roots.size(); r++) {
            int o = roots.object(r);
            int thread = threadLocal(roots.kind(r)) ? threads.threadObject(roots.threadSerial(r)) : -1;
            if (thread >= 0) {
                pairs[pairCount++] = ((long) thread << 32) | o;
            } else if (seen.add(o)) {
                global[count++] = o;
            }
        }
        this.rootObjects = Arrays.copyOf(global, count);

        // distinct (thread, object) pairs, grouped by thread in ascending order
        Arrays.sort(pairs, 0, pairCount);
        int distinct = 0;
        for (int i = 0; i < pairCount; i++) {
            if (distinct == 0 || pairs[i] != pairs[distinct - 1]) {
                pairs[distinct++] = pairs[i];
            }
        }
        this.hasExtra = new long[(n + 63) >>> 6];
        this.extraTargets = new int[distinct];
        int threadCount = 0;
        for (int i = 0; i < distinct; i++) {
            if (i == 0 || (int) (pairs[i] >>> 32) != (int) (pairs[i - 1] >>> 32)) {
                threadCount++;
            }
        }
        this.extraThreads = new int[threadCount];
        this.extraStart = new int[threadCount + 1];
        for (int i = 0, t = -1; i < distinct; i++) {
            int thread = (int) (pairs[i] >>> 32);
            if (t < 0 || extraThreads[t] != thread) {
                extraThreads[++t] = thread;
                extraStart[t] = i;
                hasExtra[thread >>> 6] |= 1L << thread;
            }
            extraTargets[i] = (int) pairs[i];
        }
        extraStart[threadCount] = distinct;

        ClassTable classes = graph.classes();
        this.classObjectOfClass = new int[classes.size()];
        for (int c = 0; c < classes.size(); c++) {
            classObjectOfClass[c] = classes.classObjectIndex(c);
        }
    }

    /** Root kinds MAT files under their thread when the thread is known. */
    static boolean threadLocal(RootKind kind) {
        return switch (kind) {
            case JAVA_FRAME, JNI_LOCAL, NATIVE_STACK, THREAD_BLOCK -> true;
            default -> false;
        };
    }

    /** The distinct successors of the super-root: objects of roots not attributed to a thread. */
    int[] rootObjects() {
        return rootObjects;
    }

    @Override
    public int size() {
        return n + 1;
    }

    @Override
    public int root() {
        return n;
    }

    private int skip(int node) {
        return skipReferents && graph.hasReferentEdge(node) ? 1 : 0;
    }

    private boolean hasExtra(int node) {
        return (hasExtra[node >>> 6] & (1L << node)) != 0;
    }

    private int extraRank(int thread) {
        return Arrays.binarySearch(extraThreads, thread);
    }

    @Override
    public int degree(int node) {
        if (node == n) {
            return rootObjects.length;
        }
        int d = graph.outDegree(node) - skip(node);
        if (classObjectOfClass[graph.classOf(node)] >= 0) {
            d++;
        }
        if (hasExtra(node)) {
            int i = extraRank(node);
            d += extraStart[i + 1] - extraStart[i];
        }
        return d;
    }

    @Override
    public int target(int node, int k) {
        if (node == n) {
            return rootObjects[k];
        }
        long e = graph.edgeStart(node) + skip(node) + k;
        long end = graph.edgeEnd(node);
        if (e < end) {
            return graph.edgeTarget(e);
        }
        int j = (int) (e - end);
        int classObject = classObjectOfClass[graph.classOf(node)];
        if (classObject >= 0) {
            if (j == 0) {
                return classObject;
            }
            j--;
        }
        return extraTargets[extraStart[extraRank(node)] + j];
    }
}

package dev.heaplens.analysis;

import dev.heaplens.concurrent.Parallel;
import dev.heaplens.graph.PhaseTrace;

/**
 * Immediate dominators of a flowgraph: semi-dominators as Lengauer and Tarjan compute them ("A fast
 * algorithm for finding dominators in a flowgraph", 1979), then immediate dominators from them by
 * semi-NCA (Georgiadis, Tarjan and Werneck, "Finding dominators in practice", 2006), which needs
 * neither LT's buckets nor its second pass over the forest.
 *
 * <p>Everything is iterative (real heaps hold linked lists millions long) and works in DFS preorder
 * numbers, so the inner loops walk dense {@code int} arrays. Three choices keep it fast on heaps:
 * <ul>
 *   <li>a predecessor numbered before {@code w} is its own semi-dominator candidate, with no
 *       evaluation (an unprocessed node is a forest root);</li>
 *   <li>the scan of {@code w}'s predecessors stops once its semi-dominator is the root, which on heap
 *       graphs ends most of the scans of a class object's many instances;</li>
 *   <li>the semi-NCA climb from a node's DFS parent to its immediate dominator follows Myers' jump
 *       pointers ("An applicative random-access stack", 1983), so it takes O(log depth) steps: a
 *       plain climb is quadratic on a long list whose elements are also held from elsewhere.</li>
 * </ul>
 * Semi-dominators use path compression without balanced linking, O(E log N). Memory while it runs:
 * about eight {@code int}s per node plus an {@code int} per edge that does not come from its target's DFS
 * parent; the caller gets four of the node arrays back to keep its results in.
 */
final class LengauerTarjan {
    /**
     * Result: reachable nodes in DFS preorder ({@code vertex}, one entry longer than the graph's nodes), each
     * one's immediate dominator as a preorder number, each node's preorder number (-1 if unreached), and
     * {@code spare}, a {@code long} per node that the computation no longer needs (its forest): a caller
     * may use all four as its own, so that what it computes next needs no fresh memory.
     */
    record Result(int[] vertex, int[] idomPre, int[] preorderOf, int reachable, long[] spare) {
    }

    private LengauerTarjan() {
    }

    static Result compute(Successors g) {
        long t0 = PhaseTrace.start();
        int size = g.size();
        int[] preorderOf = new int[size];
        java.util.Arrays.fill(preorderOf, -1);
        int[] vertex = new int[size + 1];
        int[] parent = new int[size];
        // Self-loops and edges into a successor of the root from other nodes change no dominator (a path
        // through such an edge can start at the root instead), so neither the DFS nor the predecessor
        // lists see them. On heap graphs this drops most instance-to-class edges, whose targets are
        // system classes, and makes the DFS parent of each of the root's successors the root.
        long[] rootChild = new long[(size + 63) >>> 6];
        for (int k = 0, d = g.degree(g.root()); k < d; k++) {
            int t = g.target(g.root(), k);
            rootChild[t >>> 6] |= 1L << t;
        }
        // The DFS sees every edge of the reachable graph once: it counts in-degrees as it goes,
        // separately for sources in the lower and upper half of the node range, so that the two
        // halves can then fill the predecessor lists in parallel without sharing a cursor. Edges from
        // a node's DFS parent are left out: the parent is where a node's semi-dominator search starts
        // anyway, and on heaps, where most objects have one referrer, that leaves most lists empty.
        int half = size / 2;
        int[] lowerCount = new int[size + 1];
        int[] upperCount = new int[size + 1];
        int n = depthFirst(g, preorderOf, vertex, parent, half, lowerCount, upperCount, rootChild);
        long t1 = PhaseTrace.start();
        PhaseTrace.end("  depth-first search", t0);

        // The counts are by target node, not by its preorder number: a node's targets mostly lie near
        // it in the heap, so the counting and the filling touch nearby entries. The lists are laid out
        // in preorder; each half's counts become that half's cursors, by node, -1 where that half has no
        // entries for the node: every edge from it into the node is then from the node's DFS parent, and
        // the fill skips it without looking the parent up (most nodes, on heaps).
        int[] predStart = new int[n + 1];
        int[] lowerFill = lowerCount;
        int[] upperFill = upperCount;
        long total = 0;
        for (int p = 0; p < n; p++) {
            int t = vertex[p];
            int lower = lowerCount[t];
            int upper = upperCount[t];
            int count = lower + upper;
            predStart[p] = (int) total;
            lowerFill[t] = lower == 0 ? -1 : (int) total;
            upperFill[t] = upper == 0 ? -1 : (int) total + lower;
            total += count;
            if (total > Integer.MAX_VALUE - 8) {
                throw new UnsupportedOperationException("the dominator tree of a graph with more than 2^31"
                        + " reachable references is not supported yet");
            }
        }
        predStart[n] = (int) total;
        int[] preds = new int[(int) total];
        // predecessors, in preorder numbers, of reachable nodes only; sources are walked in node
        // order, so the successor lists are read sequentially
        Parallel.run("heaplens-dominators", 2, part -> {
            if (part == 0) {
                fillPredecessors(g, 0, half, preorderOf, parent, rootChild, lowerFill, preds);
            } else {
                fillPredecessors(g, half, size, preorderOf, parent, rootChild, upperFill, preds);
            }
        });
        long t2 = PhaseTrace.start();
        PhaseTrace.end("  predecessors", t1);
        int[] semi = lowerCount;       // free since the predecessor lists were filled (it was the lower half's cursors)
        // per reached node, packed in one long: forest ancestor (high half), then smallest semi-dominator
        // on the path to it (low half); made only now, when the DFS stack is gone, and a long per node of
        // the graph, not only per reached one, so that the caller can keep it for its retained sizes
        long[] forest = new long[size];
        for (int v = 0; v < n; v++) {
            forest[v] = pack(parent[v], v);
        }
        int[] path = upperCount;       // likewise
        // Semi-dominators as in Lengauer–Tarjan, in reverse preorder; a processed node's forest ancestor
        // is its DFS parent until path compression shortens it, so linking costs nothing.
        for (int w = n - 1; w > 0; w--) {
            int s = parent[w]; // the root, for the root's successors, which no other edge reaches
            for (int e = predStart[w], end = predStart[w + 1]; e < end && s > 0; e++) {
                int v = preds[e];
                int sv = v < w ? v : eval(v, w + 1, forest, path);
                if (sv < s) {
                    s = sv;
                }
            }
            semi[w] = s;
            forest[w] = pack(high(forest[w]), s);
        }
        // Immediate dominators from semi-dominators (semi-NCA, Georgiadis, Tarjan and Werneck): idom(w)
        // is the nearest dominator-tree ancestor of w's DFS parent whose preorder is at most semi(w).
        // Taken in preorder, the tree above w is final. The climb follows Myers' jump pointers, so it
        // takes O(log depth) steps even down a list millions long; parent becomes idom in place, and
        // the forest's two ints per node become each node's jump pointer and depth.
        long t3 = PhaseTrace.start();
        PhaseTrace.end("  semi-dominators", t2);
        int[] idom = parent;
        long[] jumps = forest; // per node: jump pointer (high half), depth (low half)
        jumps[0] = pack(0, 0);
        for (int w = 1; w < n; w++) {
            int d = idom[w];
            int s = semi[w];
            while (d > s) {
                int j = high(jumps[d]);
                d = j > s ? j : idom[d];
            }
            idom[w] = d;
            long jumpD = jumps[d];
            int jd = high(jumpD);
            int depthD = low(jumpD);
            long jumpJd = jumps[jd];
            int depthJd = low(jumpJd);
            int jjd = high(jumpJd);
            jumps[w] = pack(depthD - depthJd == depthJd - low(jumps[jjd]) ? jjd : d, depthD + 1);
        }
        PhaseTrace.end("  immediate dominators", t3);
        return new Result(vertex, idom, preorderOf, n, forest);
    }

    private static long pack(int high, int low) {
        return (long) high << 32 | low & 0xFFFF_FFFFL;
    }

    private static int high(long packed) {
        return (int) (packed >> 32);
    }

    private static int low(long packed) {
        return (int) packed;
    }

    private static boolean isRootChild(long[] rootChild, int node) {
        return (rootChild[node >>> 6] & (1L << node)) != 0;
    }

    /**
     * Appends each reachable source in {@code [from, to)} to the predecessor lists of its targets that it
     * is not the DFS parent of, {@code fill} by target node.
     */
    private static void fillPredecessors(Successors g, int from, int to, int[] preorderOf, int[] parent, long[] rootChild,
                                         int[] fill, int[] preds) {
        for (int v = from; v < to; v++) {
            int p = preorderOf[v];
            if (p < 0) {
                continue;
            }
            for (int k = 0, d = g.degree(v); k < d; k++) {
                int t = g.target(v, k);
                if (t != v && fill[t] >= 0 && !isRootChild(rootChild, t) && parent[preorderOf[t]] != p) {
                    preds[fill[t]++] = p; // t is reachable, as v is
                }
            }
        }
    }

    /**
     * Iterative DFS from the root: fills preorder numbers, vertices and DFS-tree parents, counts the
     * predecessor-list entries of each node (its in-edges but those from its DFS parent) by the half
     * their source lies in, and returns the number of nodes reached.
     */
    private static int depthFirst(Successors g, int[] preorderOf, int[] vertex, int[] parent, int half,
                                  int[] lowerCount, int[] upperCount, long[] rootChild) {
        int root = g.root();
        int size = g.size();
        // frames of three ints (node, next successor, degree), grown as deep as the search goes: a list
        // millions long needs them all, a usual heap a few thousand, not three ints per node up front
        int[] frames = new int[3 * Math.min(size, 1 << 12)];
        int n = 0;
        preorderOf[root] = n;
        vertex[n] = root;
        parent[n++] = -1;
        int top = 0;
        frames[0] = root;
        frames[1] = 0;
        frames[2] = g.degree(root);
        while (top >= 0) {
            int v = frames[top];
            int k = frames[top + 1];
            if (k == frames[top + 2]) {
                top -= 3;
                continue;
            }
            frames[top + 1] = k + 1;
            int t = g.target(v, k);
            boolean toRootChild = isRootChild(rootChild, t);
            if (t == v || toRootChild && v != root) {
                continue; // edges the predecessor lists leave out, and that the dominators do not need
            }
            int pt = preorderOf[t];
            if (pt < 0) {
                preorderOf[t] = n;
                vertex[n] = t;
                parent[n++] = preorderOf[v];
                top += 3;
                if (top == frames.length) {
                    frames = java.util.Arrays.copyOf(frames, (int) Math.min(3L * size, 2L * frames.length));
                }
                frames[top] = t;
                frames[top + 1] = 0;
                frames[top + 2] = g.degree(t);
            } else if (!toRootChild && parent[pt] != preorderOf[v]) {
                (v < half ? lowerCount : upperCount)[t]++; // not the tree edge, nor another edge from the parent
            }
        }
        return n;
    }

    /**
     * The smallest semi-dominator on the forest path from {@code v} up to the nearest node not yet
     * processed (preorder below {@code last}), compressing the path: every node on it then points
     * past the processed part and carries the smallest semi-dominator above it.
     */
    private static int eval(int v, int last, long[] forest, int[] path) {
        long fv = forest[v];
        if (high(fv) < last) {
            return low(fv);
        }
        int depth = 0;
        int x = v;
        long fx = fv;
        do {
            path[depth++] = x;
            x = high(fx);
            fx = forest[x];
        } while (high(fx) >= last);
        int top = high(fx);
        int min = low(fx);
        while (depth > 0) {
            int y = path[--depth];
            int label = low(forest[y]);
            if (label < min) {
                min = label;
            }
            forest[y] = pack(top, min);
        }
        return min;
    }
}

package dev.heaplens.analysis;

/**
 * Immediate dominators by Lengauer and Tarjan ("A fast algorithm for finding dominators in a
 * flowgraph", 1979), the simple version with path compression, O(E log N).
 *
 * <p>Everything is iterative (real heaps hold linked lists millions long) and works in DFS
 * preorder numbers, so the inner loops walk dense {@code int} arrays. Memory while it runs: about
 * nine {@code int}s per reachable node plus the predecessor lists ({@code int} per edge).
 */
final class LengauerTarjan {
    /** Result: reachable nodes in DFS preorder, and each one's immediate dominator as a preorder number. */
    record Result(int[] vertex, int[] idomPre, int[] preorderOf) {
        /** Number of reachable nodes (the root included). */
        int reachable() {
            return vertex.length;
        }
    }

    private LengauerTarjan() {
    }

    static Result compute(Successors g) {
        int size = g.size();
        int[] preorderOf = new int[size];
        java.util.Arrays.fill(preorderOf, -1);
        int[] vertexTmp = new int[size];
        int[] parentTmp = new int[size];
        // Edges that cannot change a semi-dominator are left out of the predecessor lists: self-loops,
        // edges from a node's DFS parent (its semi-dominator starts there), and every edge into a
        // successor of the root (its only possible semi-dominator is the root). On heap graphs the
        // last one drops most instance-to-class edges, whose targets are system classes.
        boolean[] rootChild = new boolean[size];
        for (int k = 0, d = g.degree(g.root()); k < d; k++) {
            rootChild[g.target(g.root(), k)] = true;
        }
        // The DFS sees every edge of the reachable graph once: it counts in-degrees as it goes,
        // separately for sources in the lower and upper half of the node range, so that the two
        // halves can then fill the predecessor lists in parallel without sharing a cursor.
        int half = size / 2;
        int[] lowerCount = new int[size + 1];
        int[] predStart = new int[size + 1];
        int n = depthFirst(g, preorderOf, vertexTmp, parentTmp, half, lowerCount, predStart, rootChild);
        int[] vertex = java.util.Arrays.copyOf(vertexTmp, n);
        int[] parent = java.util.Arrays.copyOf(parentTmp, n);
        vertexTmp = null;
        parentTmp = null;

        long total = 0;
        for (int p = 0; p < n; p++) {
            predStart[p] += lowerCount[p];          // upper-half count + lower-half count, shifted by one
        }
        for (int p = n; p > 0; p--) {
            predStart[p] = predStart[p - 1];
        }
        predStart[0] = 0;
        for (int p = 0; p < n; p++) {
            total += predStart[p + 1];
            predStart[p + 1] += predStart[p];
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new UnsupportedOperationException("the dominator tree of a graph with " + total
                    + " reachable references (more than 2^31) is not supported yet");
        }
        int[] lowerFill = java.util.Arrays.copyOf(predStart, n);
        int[] upperFill = lowerCount; // reused: upper-half sources go after the lower-half ones
        for (int p = 0; p < n; p++) {
            upperFill[p] = predStart[p] + lowerCount[p];
        }
        int[] preds = new int[predStart[n]];
        // predecessors, in preorder numbers, of reachable nodes only; sources are walked in node
        // order, so the successor lists are read sequentially and only preorderOf is looked up at random
        Thread upper = new Thread(() -> fillPredecessors(g, half, size, preorderOf, parent, rootChild, upperFill, preds),
                "heaplens-dominators");
        upper.setDaemon(true);
        upper.start();
        fillPredecessors(g, 0, half, preorderOf, parent, rootChild, lowerFill, preds);
        try {
            upper.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while computing dominators", e);
        }

        int[] semi = new int[n];
        int[] label = new int[n];
        int[] ancestor = new int[n];
        int[] idom = new int[n];
        int[] bucketHead = new int[n];
        int[] bucketNext = new int[n];
        int[] path = new int[n];
        for (int p = 0; p < n; p++) {
            semi[p] = p;
            label[p] = p;
            ancestor[p] = -1;
            bucketHead[p] = -1;
        }
        for (int w = n - 1; w > 0; w--) {
            // the skipped edges' contribution: the DFS parent, or the root for the root's successors
            int s = rootChild[vertex[w]] ? 0 : parent[w];
            for (int e = predStart[w], end = predStart[w + 1]; e < end; e++) {
                int u = eval(preds[e], ancestor, label, semi, path);
                if (semi[u] < s) {
                    s = semi[u];
                }
            }
            semi[w] = s;
            bucketNext[w] = bucketHead[s];
            bucketHead[s] = w;
            int p = parent[w];
            ancestor[w] = p;
            for (int v = bucketHead[p]; v >= 0; v = bucketNext[v]) {
                int u = eval(v, ancestor, label, semi, path);
                idom[v] = semi[u] < semi[v] ? u : p;
            }
            bucketHead[p] = -1;
        }
        idom[0] = -1;
        for (int w = 1; w < n; w++) {
            if (idom[w] != semi[w]) {
                idom[w] = idom[idom[w]];
            }
        }
        return new Result(vertex, idom, preorderOf);
    }

    /** Iterative DFS from the root; fills preorder numbers, vertices and DFS-tree parents; returns the count. */
    private static void fillPredecessors(Successors g, int from, int to, int[] preorderOf, int[] parent,
                                         boolean[] rootChild, int[] fill, int[] preds) {
        for (int v = from; v < to; v++) {
            int p = preorderOf[v];
            if (p < 0) {
                continue;
            }
            for (int k = 0, d = g.degree(v); k < d; k++) {
                int t = g.target(v, k);
                int pt = preorderOf[t];
                if (!skippable(t, pt, v, p, parent, rootChild)) {
                    preds[fill[pt]++] = p;
                }
            }
        }
    }

    /** Whether edge v→t (preorders pv, pt) is one the predecessor lists leave out. */
    private static boolean skippable(int t, int pt, int v, int pv, int[] parent, boolean[] rootChild) {
        return t == v || rootChild[t] || parent[pt] == pv;
    }

    private static int depthFirst(Successors g, int[] preorderOf, int[] vertex, int[] parent, int half,
                                  int[] lowerCount, int[] upperCount, boolean[] rootChild) {
        int size = g.size();
        int[] stackNode = new int[size];
        int[] stackNext = new int[size];
        int[] stackDegree = new int[size];
        int sp = 0;
        int n = 0;
        int root = g.root();
        preorderOf[root] = n;
        vertex[n] = root;
        parent[n++] = -1;
        stackNode[sp] = root;
        stackDegree[sp] = g.degree(root);
        stackNext[sp++] = 0;
        while (sp > 0) {
            int v = stackNode[sp - 1];
            int k = stackNext[sp - 1];
            if (k < stackDegree[sp - 1]) {
                stackNext[sp - 1] = k + 1;
                int t = g.target(v, k);
                int pt = preorderOf[t];
                if (pt < 0) {
                    pt = n;
                    preorderOf[t] = n;
                    vertex[n] = t;
                    parent[n++] = preorderOf[v];
                    stackNode[sp] = t;
                    stackDegree[sp] = g.degree(t);
                    stackNext[sp++] = 0;
                }
                if (!skippable(t, pt, v, preorderOf[v], parent, rootChild)) {
                    (v < half ? lowerCount : upperCount)[pt]++;
                }
            } else {
                sp--;
            }
        }
        return n;
    }

    /** The node of minimum semi-dominator on the forest path above {@code v}, with path compression. */
    private static int eval(int v, int[] ancestor, int[] label, int[] semi, int[] path) {
        if (ancestor[v] < 0) {
            return v;
        }
        // compress, iteratively: collect the path up to the node just below a forest root, then fold downwards
        int depth = 0;
        int x = v;
        while (ancestor[ancestor[x]] >= 0) {
            path[depth++] = x;
            x = ancestor[x];
        }
        while (depth > 0) {
            int y = path[--depth];
            int a = ancestor[y];
            if (semi[label[a]] < semi[label[y]]) {
                label[y] = label[a];
            }
            ancestor[y] = ancestor[a];
        }
        return label[v];
    }
}

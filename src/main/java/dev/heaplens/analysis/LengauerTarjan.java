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
    record Result(int[] vertex, int[] idomPre, int[] preorderOf, int reachable) {
    }

    private LengauerTarjan() {
    }

    static Result compute(Successors g) {
        int size = g.size();
        int[] preorderOf = new int[size];
        java.util.Arrays.fill(preorderOf, -1);
        int[] vertex = new int[size];
        int[] parent = new int[size];
        // three arrays serve first as the DFS stack, then as the forest's label, ancestor and child
        int[] reuse1 = new int[size + 1];
        int[] reuse2 = new int[size + 1];
        int[] reuse3 = new int[size + 1];
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
        int n = depthFirst(g, preorderOf, vertex, parent, half, lowerCount, predStart, rootChild, reuse1, reuse2, reuse3);

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
        int[] lowerFill = java.util.Arrays.copyOf(predStart, n + 1);
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

        // The LT loop works 1-based (node p is p + 1), with 0 a sentinel whose semi is below all others.
        // Linking balances the forest by size (the "sophisticated" LT), so evals walk short paths even
        // on graphs of long chains.
        int m = n + 1;
        int[] semi = new int[m];
        int[] label = reuse1;
        int[] ancestor = reuse2;
        int[] child = reuse3;
        java.util.Arrays.fill(ancestor, 0, m, 0);
        java.util.Arrays.fill(child, 0, m, 0);
        label[0] = 0;
        int[] subtree = new int[m];
        int[] idom1 = new int[m];
        int[] bucketHead = lowerCount; // free since the predecessor lists were filled
        java.util.Arrays.fill(bucketHead, 0, m, 0);
        int[] bucketNext = new int[m];
        int[] path = lowerFill;        // likewise
        for (int v = 1; v < m; v++) {
            semi[v] = v;
            label[v] = v;
            subtree[v] = 1;
        }
        for (int w = m - 1; w > 1; w--) {
            // the skipped edges' contribution: the DFS parent, or the root for the root's successors
            int pw = parent[w - 1] + 1;
            int s = rootChild[vertex[w - 1]] ? 1 : pw;
            for (int e = predStart[w - 1], end = predStart[w]; e < end; e++) {
                int su = semi[eval(preds[e] + 1, ancestor, label, semi, path)];
                if (su < s) {
                    s = su;
                }
            }
            semi[w] = s;
            bucketNext[w] = bucketHead[s];
            bucketHead[s] = w;
            link(pw, w, ancestor, label, semi, child, subtree);
            for (int v = bucketHead[pw]; v > 0; v = bucketNext[v]) {
                int u = eval(v, ancestor, label, semi, path);
                idom1[v] = semi[u] < semi[v] ? u : pw;
            }
            bucketHead[pw] = 0;
        }
        int[] idom = new int[n];
        idom[0] = -1;
        for (int w = 2; w < m; w++) {
            if (idom1[w] != semi[w]) {
                idom1[w] = idom1[idom1[w]];
            }
            idom[w - 1] = idom1[w] - 1;
        }
        return new Result(vertex, idom, preorderOf, n);
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
                                  int[] lowerCount, int[] upperCount, boolean[] rootChild,
                                  int[] stackNode, int[] stackNext, int[] stackDegree) {
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

    /** Adds w (whose parent is v) to the forest, keeping its trees balanced by size. */
    private static void link(int v, int w, int[] ancestor, int[] label, int[] semi, int[] child, int[] size) {
        int s = w;
        while (semi[label[w]] < semi[label[child[s]]]) {
            int cs = child[s];
            if (size[s] + size[child[cs]] >= 2 * size[cs]) {
                ancestor[cs] = s;
                child[s] = child[cs];
            } else {
                size[cs] = size[s];
                ancestor[s] = cs;
                s = cs;
            }
        }
        label[s] = label[w];
        size[v] += size[w];
        if (size[v] < 2 * size[w]) {
            int t = s;
            s = child[v];
            child[v] = t;
        }
        while (s != 0) {
            ancestor[s] = v;
            s = child[s];
        }
    }

    /** The node of minimum semi-dominator on the forest path above {@code v}, with path compression. */
    private static int eval(int v, int[] ancestor, int[] label, int[] semi, int[] path) {
        if (ancestor[v] == 0) {
            return label[v];
        }
        // compress, iteratively: collect the path up to the node just below a forest root, then fold downwards
        int depth = 0;
        int x = v;
        while (ancestor[ancestor[x]] != 0) {
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
        int a = ancestor[v];
        return semi[label[a]] >= semi[label[v]] ? label[v] : label[a];
    }
}

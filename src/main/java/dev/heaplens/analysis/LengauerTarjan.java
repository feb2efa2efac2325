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
        int n = depthFirst(g, preorderOf, vertexTmp, parentTmp);
        int[] vertex = java.util.Arrays.copyOf(vertexTmp, n);
        int[] parent = java.util.Arrays.copyOf(parentTmp, n);
        vertexTmp = null;
        parentTmp = null;

        // predecessors, in preorder numbers, of reachable nodes only; sources are walked in node
        // order, so the successor lists are read sequentially and only preorderOf is looked up at random
        int[] predStart = new int[n + 1];
        for (int v = 0; v < size; v++) {
            if (preorderOf[v] < 0) {
                continue;
            }
            for (int k = 0, d = g.degree(v); k < d; k++) {
                predStart[preorderOf[g.target(v, k)] + 1]++;
            }
        }
        long total = 0;
        for (int p = 0; p < n; p++) {
            total += predStart[p + 1];
            predStart[p + 1] += predStart[p];
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new UnsupportedOperationException("the dominator tree of a graph with " + total
                    + " reachable references (more than 2^31) is not supported yet");
        }
        int[] fill = java.util.Arrays.copyOf(predStart, n);
        int[] preds = new int[predStart[n]];
        for (int v = 0; v < size; v++) {
            int p = preorderOf[v];
            if (p < 0) {
                continue;
            }
            for (int k = 0, d = g.degree(v); k < d; k++) {
                preds[fill[preorderOf[g.target(v, k)]]++] = p;
            }
        }
        fill = null;

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
            for (int e = predStart[w], end = predStart[w + 1]; e < end; e++) {
                int u = eval(preds[e], ancestor, label, semi, path);
                if (semi[u] < semi[w]) {
                    semi[w] = semi[u];
                }
            }
            int s = semi[w];
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
    private static int depthFirst(Successors g, int[] preorderOf, int[] vertex, int[] parent) {
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
                if (preorderOf[t] < 0) {
                    preorderOf[t] = n;
                    vertex[n] = t;
                    parent[n++] = preorderOf[v];
                    stackNode[sp] = t;
                    stackDegree[sp] = g.degree(t);
                    stackNext[sp++] = 0;
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

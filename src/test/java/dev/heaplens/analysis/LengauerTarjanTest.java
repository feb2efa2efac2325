package dev.heaplens.analysis;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Lengauer–Tarjan against the definition, computed naively: on thousands of random graphs (cycles,
 * self-loops, diamonds, unreachable parts, several roots under one entry), the immediate
 * dominators and the retained weights equal those of an iterative data-flow solution over bitsets.
 */
class LengauerTarjanTest {

    /** Successors from adjacency lists. */
    record ArrayGraph(int[][] succ, int root) implements Successors {
        @Override
        public int size() {
            return succ.length;
        }

        @Override
        public int degree(int node) {
            return succ[node].length;
        }

        @Override
        public int target(int node, int k) {
            return succ[node][k];
        }
    }

    @Test
    void matchesTheNaiveDataFlowOnTenThousandRandomGraphs() {
        Random random = new Random(1979);
        for (int g = 0; g < 10_000; g++) {
            int n = 1 + random.nextInt(64);
            assertMatchesTheNaiveDataFlow(randomGraph(random, n), random.longs(n, 1, 1000).toArray(), "graph " + g);
        }
    }

    @Test
    void matchesTheNaiveDataFlowWhenNodesReferToOneTargetSeveralTimes() {
        // each list repeated, with some targets twice in a row: a node's edges from its DFS parent beyond
        // the tree edge (an object referring to one object from two fields) go to its predecessor lists
        Random random = new Random(1983);
        for (int g = 0; g < 5_000; g++) {
            int n = 1 + random.nextInt(48);
            ArrayGraph once = randomGraph(random, n);
            int[][] succ = new int[n][];
            for (int v = 0; v < n; v++) {
                it.unimi.dsi.fastutil.ints.IntArrayList out = new it.unimi.dsi.fastutil.ints.IntArrayList();
                for (int round = 0; round < 2; round++) {
                    for (int k = 0; k < once.degree(v); k++) {
                        out.add(once.target(v, k));
                        if (random.nextInt(3) == 0) {
                            out.add(once.target(v, k));
                        }
                    }
                }
                succ[v] = out.toIntArray();
            }
            assertMatchesTheNaiveDataFlow(new ArrayGraph(succ, 0), random.longs(n, 1, 1000).toArray(), "graph " + g);
        }
    }

    private static void assertMatchesTheNaiveDataFlow(ArrayGraph graph, long[] weights, String label) {
        int n = graph.size();
        int[] expected = naiveIdoms(graph);
        LengauerTarjan.Result lt = LengauerTarjan.compute(graph);
        int[] actual = new int[n];
        java.util.Arrays.fill(actual, -2);
        for (int p = 0; p < lt.reachable(); p++) {
            int d = lt.idomPre()[p];
            actual[lt.vertex()[p]] = d < 0 ? -1 : lt.vertex()[d];
        }
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(actual), label + ": " + describe(graph));
        long[] naiveRetained = naiveRetained(graph, expected, weights);
        long[] retained = new long[n];
        for (int p = lt.reachable() - 1; p >= 0; p--) {
            int v = lt.vertex()[p];
            retained[v] += weights[v];
            if (lt.idomPre()[p] >= 0) {
                retained[lt.vertex()[lt.idomPre()[p]]] += retained[v];
            }
        }
        assertEquals(java.util.Arrays.toString(naiveRetained), java.util.Arrays.toString(retained), label);
    }

    @Test
    void aChainOfAMillionNodesNeedsNoRecursion() {
        int n = 1_000_000;
        int[][] succ = new int[n][];
        for (int i = 0; i < n; i++) {
            // a chain with a back edge every 1000 nodes, like a doubly-linked list
            succ[i] = i + 1 < n ? (i % 1000 == 999 ? new int[] {i + 1, i - 500} : new int[] {i + 1}) : new int[0];
        }
        LengauerTarjan.Result lt = LengauerTarjan.compute(new ArrayGraph(succ, 0));
        assertEquals(n, lt.reachable());
        for (int p = 1; p < n; p++) {
            assertEquals(p - 1, lt.idomPre()[p], "each node is dominated by its predecessor in the chain");
        }
    }

    @Test
    void matchesDominatorsByDeletionOnDeepRandomGraphs() {
        // Long chains with a few cross, back and root edges: dominator trees thousands deep, where the
        // climb from a node's DFS parent to its immediate dominator is long.
        Random random = new Random(2006);
        for (int g = 0; g < 60; g++) {
            int n = 500 + random.nextInt(2500);
            double extra = random.nextDouble() * 0.3;
            int[][] succ = new int[n][];
            for (int v = 0; v < n; v++) {
                int[] out = new int[4];
                int d = 0;
                if (v + 1 < n && random.nextInt(20) != 0) {
                    out[d++] = v + 1;
                }
                while (d < out.length && random.nextDouble() < extra) {
                    out[d++] = switch (random.nextInt(3)) {
                        case 0 -> random.nextInt(n);
                        case 1 -> Math.max(0, v - random.nextInt(50));
                        default -> Math.min(n - 1, v + random.nextInt(200));
                    };
                }
                succ[v] = java.util.Arrays.copyOf(out, d);
            }
            if (n > 1) {
                succ[0] = new int[] {1, n / 2, n - 1};
            }
            ArrayGraph graph = new ArrayGraph(succ, 0);
            assertEquals(java.util.Arrays.toString(idomsByDeletion(graph)), java.util.Arrays.toString(idoms(graph)), "graph " + g);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aListWhoseValuesAreAlsoHeldElsewhereStaysFast() {
        // root -> list head -> ... -> list tail, each list node -> its value; root -> array -> every value.
        // The DFS numbers the whole list first, so each value's semi-dominator is the root while its DFS
        // parent is a million dominators deep: a climb without jump pointers takes n^2/2 steps.
        int values = 1_000_000;
        int array = 2 * values + 1;
        int[][] succ = new int[array + 1][];
        succ[0] = new int[] {1, array};
        int[] all = new int[values];
        for (int i = 0; i < values; i++) {
            int node = 1 + 2 * i;
            succ[node] = i + 1 < values ? new int[] {node + 2, node + 1} : new int[] {node + 1};
            succ[node + 1] = new int[0];
            all[i] = node + 1;
        }
        succ[array] = all;
        int[] idom = idoms(new ArrayGraph(succ, 0));
        for (int i = 0; i < values; i++) {
            int node = 1 + 2 * i;
            assertEquals(i == 0 ? 0 : node - 2, idom[node], "list node " + i);
            assertEquals(0, idom[node + 1], "value " + i);
        }
        assertEquals(0, idom[array]);
    }

    /** Immediate dominators by node (-1 for the root, -2 for unreachable nodes). */
    private static int[] idoms(ArrayGraph graph) {
        LengauerTarjan.Result lt = LengauerTarjan.compute(graph);
        int[] idom = new int[graph.size()];
        java.util.Arrays.fill(idom, -2);
        for (int p = 0; p < lt.reachable(); p++) {
            int d = lt.idomPre()[p];
            idom[lt.vertex()[p]] = d < 0 ? -1 : lt.vertex()[d];
        }
        return idom;
    }

    /**
     * The definition, directly: d dominates w when w cannot be reached from the root without d.
     * The immediate dominator is the strict dominator with the most dominators of its own.
     */
    static int[] idomsByDeletion(ArrayGraph g) {
        int n = g.size();
        boolean[] reach = reachableWithout(g, -1);
        int[] strictCount = new int[n];
        it.unimi.dsi.fastutil.ints.IntArrayList[] dominators = new it.unimi.dsi.fastutil.ints.IntArrayList[n];
        for (int d = 0; d < n; d++) {
            if (!reach[d]) {
                continue;
            }
            boolean[] without = reachableWithout(g, d);
            for (int w = 0; w < n; w++) {
                if (w != d && reach[w] && !without[w]) {
                    strictCount[w]++;
                    if (dominators[w] == null) {
                        dominators[w] = new it.unimi.dsi.fastutil.ints.IntArrayList();
                    }
                    dominators[w].add(d);
                }
            }
        }
        int[] idom = new int[n];
        for (int w = 0; w < n; w++) {
            if (!reach[w]) {
                idom[w] = -2;
            } else if (w == g.root()) {
                idom[w] = -1;
            } else {
                int best = -1;
                for (int d : dominators[w]) {
                    if (best < 0 || strictCount[d] > strictCount[best]) {
                        best = d;
                    }
                }
                idom[w] = best;
            }
        }
        return idom;
    }

    private static boolean[] reachableWithout(ArrayGraph g, int removed) {
        boolean[] seen = new boolean[g.size()];
        if (g.root() == removed) {
            return seen;
        }
        int[] stack = new int[g.size()];
        int sp = 0;
        seen[g.root()] = true;
        stack[sp++] = g.root();
        while (sp > 0) {
            int v = stack[--sp];
            for (int t : g.succ()[v]) {
                if (t != removed && !seen[t]) {
                    seen[t] = true;
                    stack[sp++] = t;
                }
            }
        }
        return seen;
    }

    private static ArrayGraph randomGraph(Random random, int n) {
        int[][] succ = new int[n][];
        double density = random.nextDouble() * 3;
        for (int v = 0; v < n; v++) {
            int degree = (int) (random.nextDouble() * density * 2);
            if (v == 0) {
                degree = Math.max(degree, Math.min(n - 1, 1 + random.nextInt(4))); // the entry: several "roots"
            }
            succ[v] = new int[degree];
            for (int k = 0; k < degree; k++) {
                int t = switch (random.nextInt(4)) {
                    case 0 -> v;                                 // self-loop
                    case 1 -> Math.max(0, v - random.nextInt(4)); // back edge: cycles
                    default -> random.nextInt(n);
                };
                succ[v][k] = t;
            }
        }
        return new ArrayGraph(succ, 0);
    }

    /** dom(root) = {root}; dom(v) = {v} ∪ ⋂ dom(p) over reachable predecessors p, until nothing changes. */
    static int[] naiveIdoms(ArrayGraph g) {
        int n = g.size();
        boolean[] reach = new boolean[n];
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
        reach[g.root()] = true;
        queue.add(g.root());
        while (!queue.isEmpty()) {
            int v = queue.poll();
            for (int t : g.succ()[v]) {
                if (!reach[t]) {
                    reach[t] = true;
                    queue.add(t);
                }
            }
        }
        long all = n == 64 ? -1L : (1L << n) - 1;
        long[] dom = new long[n];
        for (int v = 0; v < n; v++) {
            dom[v] = v == g.root() ? 1L << v : all;
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int v = 0; v < n; v++) {
                if (v == g.root() || !reach[v]) {
                    continue;
                }
                long meet = all;
                for (int p = 0; p < n; p++) {
                    if (reach[p]) {
                        for (int t : g.succ()[p]) {
                            if (t == v) {
                                meet &= dom[p];
                            }
                        }
                    }
                }
                long next = meet | (1L << v);
                if (next != dom[v]) {
                    dom[v] = next;
                    changed = true;
                }
            }
        }
        int[] idom = new int[n];
        for (int v = 0; v < n; v++) {
            if (!reach[v]) {
                idom[v] = -2;
            } else if (v == g.root()) {
                idom[v] = -1;
            } else {
                // the strict dominator that all other strict dominators dominate: the one with the most dominators
                long strict = dom[v] & ~(1L << v);
                int best = -1;
                for (int d = 0; d < n; d++) {
                    if ((strict & (1L << d)) != 0 && (best < 0 || Long.bitCount(dom[d]) > Long.bitCount(dom[best]))) {
                        best = d;
                    }
                }
                idom[v] = best;
            }
        }
        return idom;
    }

    /** Retained weight: the sum over every node a node dominates, by walking each node's idom chain. */
    static long[] naiveRetained(ArrayGraph g, int[] idom, long[] weights) {
        long[] retained = new long[g.size()];
        for (int v = 0; v < g.size(); v++) {
            if (idom[v] == -2) {
                continue;
            }
            for (int d = v; d >= 0; d = idom[d]) {
                retained[d] += weights[v];
            }
        }
        return retained;
    }

    private static String describe(ArrayGraph g) {
        StringBuilder b = new StringBuilder();
        for (int v = 0; v < g.size(); v++) {
            b.append(v).append("->").append(java.util.Arrays.toString(g.succ()[v])).append(' ');
        }
        return b.toString();
    }
}

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
            ArrayGraph graph = randomGraph(random, n);
            long[] weights = random.longs(n, 1, 1000).toArray();
            int[] expected = naiveIdoms(graph);
            LengauerTarjan.Result lt = LengauerTarjan.compute(graph);
            int[] actual = new int[n];
            java.util.Arrays.fill(actual, -2);
            for (int p = 0; p < lt.reachable(); p++) {
                int d = lt.idomPre()[p];
                actual[lt.vertex()[p]] = d < 0 ? -1 : lt.vertex()[d];
            }
            assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(actual), "graph " + g + ": " + describe(graph));
            long[] naiveRetained = naiveRetained(graph, expected, weights);
            long[] retained = new long[n];
            for (int p = lt.reachable() - 1; p >= 0; p--) {
                int v = lt.vertex()[p];
                retained[v] += weights[v];
                if (lt.idomPre()[p] >= 0) {
                    retained[lt.vertex()[lt.idomPre()[p]]] += retained[v];
                }
            }
            assertEquals(java.util.Arrays.toString(naiveRetained), java.util.Arrays.toString(retained), "graph " + g);
        }
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

package dev.heaplens.analysis;

/**
 * A directed graph as the dominator computation sees it: nodes {@code 0..size()-1}, with node
 * {@link #root()} the entry, and for each node its successors by position. Implemented over the
 * object graph (with a virtual super-root over the GC roots) and, in tests, over plain arrays.
 */
interface Successors {
    /** Number of nodes, the root included. */
    int size();

    /** The entry node. */
    int root();

    /** Number of successors of {@code node}. */
    int degree(int node);

    /** Successor {@code k} of {@code node}, {@code 0 <= k < degree(node)}. */
    int target(int node, int k);
}

package dev.heaplens.alloc;

import dev.heaplens.text.TextTable;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Allocating code as a tree of frames with total and self bytes. Top-down ({@link
 * AllocationProfile#callTree()}): from the outermost frames (a thread's {@code run}, {@code main})
 * down to the allocating ones. Bottom-up ({@link AllocationProfile#backtraces(String)}): from the
 * methods that allocate a class up through their callers. Every node's total is its self plus its
 * children's totals; children come most bytes first.
 *
 * <pre>{@code
 * CallTree tree = profile.callTree();
 * System.out.println(tree);                          // indented table
 * tree.find("com.acme.Loader.load").map(CallTree.Node::totalBytes)
 * }</pre>
 */
public final class CallTree {
    /** Rows printed by {@link #toString()}. */
    public static final int SHOWN_ROWS = 60;
    /** Runs of at least this many frames with one callee each print as one row. */
    public static final int MIN_FOLDED = 4;
    /** Branches under this share of the root are not printed. */
    public static final double MIN_PERCENT = 0.5;

    /**
     * One frame of the tree.
     *
     * @param method     {@code com.acme.Foo.bar}; the root's is the tree's title
     * @param totalBytes bytes allocated at or below it
     * @param selfBytes  bytes allocated in this frame itself (top-down) or ending here (bottom-up)
     * @param children   most bytes first
     */
    public record Node(String method, long totalBytes, long selfBytes, List<Node> children) {
        /** Copies the children. */
        public Node {
            children = List.copyOf(children);
        }

        /** The child for this method, if any. */
        public Optional<Node> child(String method) {
            return children.stream().filter(c -> c.method.equals(method)).findFirst();
        }
    }

    private final Node root;
    private final boolean estimated;

    CallTree(Node root, boolean estimated) {
        this.root = root;
        this.estimated = estimated;
    }

    /** The root: all allocations (top-down), or the class (bottom-up). */
    public Node root() {
        return root;
    }

    /** The first node, depth first, largest first, for this method. */
    public Optional<Node> find(String method) {
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            if (n.method().equals(method)) {
                return Optional.of(n);
            }
            for (int i = n.children().size() - 1; i >= 0; i--) {
                stack.push(n.children().get(i));
            }
        }
        return Optional.empty();
    }

    /** The tree as an indented table: total, self, %, frame. */
    @Override
    public String toString() {
        TextTable t = new TextTable(estimated ? "~total bytes" : "total bytes", estimated ? "~self" : "self", "%", "frame").alignRight(0, 1, 2);
        ArrayDeque<Node> stack = new ArrayDeque<>();
        ArrayDeque<Integer> depths = new ArrayDeque<>();
        stack.push(root);
        depths.push(0);
        int rows = 0;
        int hidden = 0;
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            int depth = depths.pop();
            double percent = root.totalBytes() == 0 ? 0 : 100.0 * n.totalBytes() / root.totalBytes();
            if (rows == SHOWN_ROWS || (depth > 0 && percent < MIN_PERCENT)) {
                hidden++;
                continue;
            }
            rows++;
            t.row(TextTable.bytes(n.totalBytes()), TextTable.bytes(n.selfBytes()), String.format(Locale.ROOT, "%.1f", percent),
                    "  ".repeat(depth) + n.method());
            // a long run of frames with one callee each (a framework's dispatch) prints as one row
            Node end = n;
            int run = 0;
            while (end.children().size() == 1 && end.children().get(0).children().size() == 1 && end.children().get(0).selfBytes() == 0) {
                end = end.children().get(0);
                run++;
            }
            if (run >= MIN_FOLDED) {
                t.row("", "", "", "  ".repeat(depth + 1) + "… " + run + " frames, each with one callee …");
                stack.push(end.children().get(0));
                depths.push(depth + 1);
                continue;
            }
            for (int i = n.children().size() - 1; i >= 0; i--) {
                stack.push(n.children().get(i));
                depths.push(depth + 1);
            }
        }
        if (hidden > 0) {
            t.footer("… " + TextTable.number(hidden) + " more branches (under " + MIN_PERCENT + "% or past " + SHOWN_ROWS + " rows)");
        }
        return t.toString();
    }

    /** Builds a tree from weighted paths: each path's bytes go to every node on it, and to the last one's self. */
    static final class Builder {
        private final MutableNode root;

        Builder(String title) {
            root = new MutableNode(title);
        }

        /** Adds {@code bytes} along {@code path} (root's children first). */
        void add(List<String> path, long bytes) {
            MutableNode n = root;
            n.total += bytes;
            for (String method : path) {
                n = n.children.computeIfAbsent(method, MutableNode::new);
                n.total += bytes;
            }
            n.self += bytes;
        }

        CallTree build(boolean estimated) {
            return new CallTree(freeze(root), estimated);
        }

        private static Node freeze(MutableNode root) {
            // iterative post-order, so a recursion's 1,000-frame stack does not overflow ours
            Map<MutableNode, Node> done = new java.util.IdentityHashMap<>();
            ArrayDeque<MutableNode> stack = new ArrayDeque<>();
            stack.push(root);
            while (!stack.isEmpty()) {
                MutableNode n = stack.peek();
                boolean ready = true;
                for (MutableNode c : n.children.values()) {
                    if (!done.containsKey(c)) {
                        stack.push(c);
                        ready = false;
                    }
                }
                if (ready) {
                    stack.pop();
                    List<Node> kids = new ArrayList<>(n.children.size());
                    for (MutableNode c : n.children.values()) {
                        kids.add(done.get(c));
                    }
                    kids.sort(Comparator.comparingLong(Node::totalBytes).reversed().thenComparing(Node::method));
                    done.put(n, new Node(n.method, n.total, n.self, kids));
                }
            }
            return done.get(root);
        }
    }

    private static final class MutableNode {
        final String method;
        final Map<String, MutableNode> children = new LinkedHashMap<>();
        long total;
        long self;

        MutableNode(String method) {
            this.method = method;
        }
    }
}

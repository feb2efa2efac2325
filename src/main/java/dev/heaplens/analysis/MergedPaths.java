package dev.heaplens.analysis;

import dev.heaplens.hprof.RootKind;
import dev.heaplens.text.TextTable;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shortest paths of a set of objects (say, every instance of a class) merged into one tree:
 * hops are merged by what they go through, not by object — the root kind and class, then for each
 * hop the field ({@code static Registry.SESSIONS}, {@code .table}), {@code []} for any array index,
 * or a class link, and the class reached. So 10,000 sessions held by one map are one branch with
 * count 10,000, and a second holder shows as a second branch. Each branch carries how many of the
 * objects lie at or below it and, with a {@link DominatorTree}, the retained size of those objects
 * (an object another object of the set dominates is counted once, inside its dominator). Children
 * are sorted by retained size (by count without a tree), largest first.
 *
 * <pre>{@code
 * ShortestPaths paths = ShortestPaths.compute(heap.graph());
 * MergedPaths merged = MergedPaths.of(paths, heap.instanceIndices("com.acme.Session"), dominatorTree);
 * System.out.println(merged);
 * //   count  retained bytes  path
 * //  10,000       1,280,000  GC root: system class com.acme.Registry
 * //  10,000       1,280,000    static Registry.SESSIONS → java.util.HashMap
 * //  ...
 * }</pre>
 *
 * <p>Objects of the set without a path are counted apart: {@link #referentsOnly()} and
 * {@link #unreachable()}. Building costs one walk up the parent array per object, stopping at the
 * first object already placed, and one record read per placed object to name its field (array
 * elements are not scanned: any index merges into {@code []}).
 */
public final class MergedPaths {
    /** Rows {@link #toString()} prints before summarising the rest. */
    public static final int DEFAULT_MAX_ROWS = 200;
    /**
     * How a root branch of a class held by a built-in class loader starts its {@link Branch#step()}:
     * {@code held by the app class loader (GC root: JNI global)}; the loader's {@code .classes},
     * {@code .elementData} and {@code []} are folded into it.
     */
    public static final String HELD_BY = "held by ";

    /**
     * One branch of the merged tree.
     *
     * @param step         how the branch is entered: {@code GC root: system class}, {@code GC root: local variable},
     *                     {@code static Registry.SESSIONS}, {@code .table}, {@code []}, {@code <class>}
     * @param className    the class of the objects reached (for class objects, the class they mirror)
     * @param classObject  whether the objects reached are class objects
     * @param count        objects of the set whose path passes through this branch or ends at it
     * @param retainedSize bytes those objects retain together; -1 without a dominator tree
     * @param example      one heap object this branch stands for (a dense index), to look at or ask a {@link GcRootPath} for
     * @param children     the branches below, largest first
     */
    public record Branch(String step, String className, boolean classObject, int count, long retainedSize, int example,
                         List<Branch> children) {

        /** Copies the children. */
        public Branch {
            children = List.copyOf(children);
        }

        /** The first child entered by {@code step} (e.g. {@code ".table"}, {@code "[]"}), if any. */
        public Optional<Branch> child(String step) {
            return children.stream().filter(b -> b.step.equals(step)).findFirst();
        }

        /**
         * {@code static Registry.SESSIONS → java.util.HashMap}, {@code GC root: system class com.acme.Registry},
         * or {@code class com.acme.Registry, held by the app class loader (GC root: JNI global)}.
         */
        public String label() {
            String reached = (classObject ? "class " : "") + className;
            if (step.startsWith(HELD_BY)) {
                return reached + ", " + step;
            }
            if (step.equals("GC root: " + RootKind.STICKY_CLASS.description()) && classObject) {
                return step + " " + className;
            }
            return step + " → " + reached;
        }
    }

    private final List<Branch> roots;
    private final int objectCount;
    private final int withPath;
    private final int referentsOnly;
    private final int unreachable;
    private final long retainedSize;

    private MergedPaths(List<Branch> roots, int objectCount, int withPath, int referentsOnly, int unreachable,
                        long retainedSize) {
        this.roots = List.copyOf(roots);
        this.objectCount = objectCount;
        this.withPath = withPath;
        this.referentsOnly = referentsOnly;
        this.unreachable = unreachable;
        this.retainedSize = retainedSize;
    }

    /** The merged paths of {@code objects} (dense indices), with counts only. */
    public static MergedPaths of(ShortestPaths paths, RoaringBitmap objects) {
        return of(paths, objects, null);
    }

    /** The merged paths of {@code objects} with retained sizes from {@code tree} (of the same graph; {@code null} for none). */
    public static MergedPaths of(ShortestPaths paths, RoaringBitmap objects, DominatorTree tree) {
        if (tree != null && tree.graph() != paths.graph()) {
            throw new IllegalArgumentException("the dominator tree is of another graph");
        }
        int n = paths.graph().objectCount();
        if (!objects.isEmpty() && (objects.first() < 0 || objects.last() >= n)) {
            throw new IllegalArgumentException("object indices must lie in 0.." + (n - 1));
        }
        return new Merger(paths, objects, tree).merge();
    }

    /** The top-level branches, one per kind and class of GC root, largest first. */
    public List<Branch> roots() {
        return roots;
    }

    /** Objects in the set. */
    public int objectCount() {
        return objectCount;
    }

    /** Objects of the set with a path from a GC root. */
    public int withPath() {
        return withPath;
    }

    /** Objects of the set reachable only through weak, soft, phantom or final referents. */
    public int referentsOnly() {
        return referentsOnly;
    }

    /** Objects of the set no GC root reaches at all. */
    public int unreachable() {
        return unreachable;
    }

    /** Bytes the objects with a path retain together; -1 without a dominator tree. */
    public long retainedSize() {
        return retainedSize;
    }

    /** Whether branches carry retained sizes. */
    public boolean hasRetainedSizes() {
        return retainedSize >= 0;
    }

    @Override
    public String toString() {
        return toString(DEFAULT_MAX_ROWS);
    }

    /** The tree as an indented table of at most {@code maxRows} branches, depth first, largest first. */
    public String toString(int maxRows) {
        boolean sizes = hasRetainedSizes();
        TextTable t = sizes ? new TextTable("count", "retained bytes", "path").alignRight(0, 1)
                : new TextTable("count", "path").alignRight(0);
        ArrayDeque<Branch> stack = new ArrayDeque<>();
        ArrayDeque<Integer> depths = new ArrayDeque<>();
        for (int i = roots.size() - 1; i >= 0; i--) {
            stack.push(roots.get(i));
            depths.push(0);
        }
        int rows = 0;
        int left = 0;
        while (!stack.isEmpty()) {
            Branch b = stack.pop();
            int depth = depths.pop();
            if (rows == maxRows) {
                left++;
            } else {
                rows++;
                String path = "  ".repeat(depth) + b.label();
                if (sizes) {
                    t.row(TextTable.number(b.count()), TextTable.bytes(b.retainedSize()), path);
                } else {
                    t.row(TextTable.number(b.count()), path);
                }
            }
            for (int i = b.children().size() - 1; i >= 0; i--) {
                stack.push(b.children().get(i));
                depths.push(depth + 1);
            }
        }
        StringBuilder footer = new StringBuilder();
        if (left > 0) {
            footer.append("… ").append(TextTable.number(left)).append(" more branches");
        }
        if (withPath < objectCount) {
            footer.append(footer.length() > 0 ? "\n" : "").append("No path from a GC root: ")
                    .append(TextTable.number(objectCount - withPath)).append(" objects (")
                    .append(TextTable.number(referentsOnly)).append(" reachable only through referents, ")
                    .append(TextTable.number(unreachable)).append(" unreachable)");
        }
        if (footer.length() > 0) {
            t.footer(footer.toString());
        }
        String title = "Merged paths from GC roots to " + TextTable.number(objectCount) + " objects"
                + (sizes ? " (retained " + TextTable.bytes(retainedSize) + " bytes)" : "");
        return title + "\n" + t;
    }

    /** Builds the tree: one mutable node per branch, then immutable {@link Branch}es bottom-up. */
    private static final class Merger {
        private final ShortestPaths paths;
        private final RoaringBitmap objects;
        private final DominatorTree tree;
        private final Map<String, Node> top = new HashMap<>();
        private final Int2ObjectOpenHashMap<Node> nodeOf = new Int2ObjectOpenHashMap<>();
        /** Per object: 0 not known yet, else 1 + the nearest of it and its dominators in the set (0 + 1 for none). */
        private final int[] nearest;
        private final IntArrayList walk = new IntArrayList();

        Merger(ShortestPaths paths, RoaringBitmap objects, DominatorTree tree) {
            this.paths = paths;
            this.objects = objects;
            this.tree = tree;
            this.nearest = tree == null ? null : new int[paths.graph().objectCount()];
        }

        MergedPaths merge() {
            int withPath = 0;
            int referentsOnly = 0;
            int unreachable = 0;
            IntArrayList chain = new IntArrayList();
            for (IntIterator it = objects.getIntIterator(); it.hasNext(); ) {
                int obj = it.next();
                switch (paths.reachability(obj)) {
                    case REFERENTS_ONLY -> referentsOnly++;
                    case UNREACHABLE -> unreachable++;
                    case GC_ROOT, STRONG -> {
                        withPath++;
                        place(obj, chain).own++;
                    }
                }
            }
            long total = 0;
            if (tree != null) {
                // an object dominated by another of the set lies below it on the same path (a shortest path to it
                // passes through its dominators), so its bytes count from its branch up to, not past, that one's
                for (IntIterator it = objects.getIntIterator(); it.hasNext(); ) {
                    int obj = it.next();
                    Node node = nodeOf.get(obj);
                    if (node == null) {
                        continue;
                    }
                    long bytes = tree.retainedSize(obj);
                    node.ownRetained += bytes;
                    int holder = nearestInSet(tree.immediateDominator(obj));
                    Node holderNode = holder >= 0 ? nodeOf.get(holder) : null;
                    if (holderNode != null) {
                        holderNode.passedOn += bytes;
                    } else {
                        total += bytes;
                    }
                }
            }
            List<Branch> roots = build();
            return new MergedPaths(roots, objects.getCardinality(), withPath, referentsOnly, unreachable,
                    tree == null ? -1 : total);
        }

        /** The node of {@code obj}, creating those of it and of its ancestors not placed yet. */
        private Node place(int obj, IntArrayList chain) {
            chain.clear();
            int v = obj;
            Node above = null;
            int aboveObject = -1;
            while (true) {
                Node known = nodeOf.get(v);
                if (known != null) {
                    above = known;
                    aboveObject = v;
                    break;
                }
                chain.add(v);
                int p = paths.parent(v);
                if (p == ShortestPaths.ROOT) {
                    break;
                }
                v = p;
            }
            for (int i = chain.size() - 1; i >= 0; i--) {
                int o = chain.getInt(i);
                Node node;
                if (above == null) {
                    PathNode target = paths.node(o, null);
                    String step = "GC root: " + paths.rootKind(o).description();
                    node = top.computeIfAbsent(step + '\0' + target.classObject() + '\0' + target.className(),
                            k -> new Node(step, target, o));
                } else {
                    PathStep hop = paths.hop(aboveObject, o, null, false);
                    String step = hop instanceof ArrayStep ? "[]" : GcRootPath.hopLabel(hop);
                    String declaring = hop instanceof FieldStep f ? f.declaringClass() : "";
                    PathNode target = hop.target();
                    node = above.children.computeIfAbsent(
                            step + '\0' + declaring + '\0' + target.classObject() + '\0' + target.className(),
                            k -> new Node(step, target, o));
                }
                nodeOf.put(o, node);
                above = node;
                aboveObject = o;
            }
            return above;
        }

        /** The nearest of {@code obj} and its dominators that is in the set, or -1; memoised along the walk. */
        private int nearestInSet(int obj) {
            IntArrayList walk = this.walk;
            walk.clear();
            int found;
            int v = obj;
            while (true) {
                if (v < 0) {
                    found = -1;
                    break;
                }
                if (nearest[v] != 0) {
                    found = nearest[v] - 1;
                    break;
                }
                if (objects.contains(v)) {
                    found = v;
                    break;
                }
                walk.add(v);
                v = tree.immediateDominator(v);
            }
            for (int i = 0; i < walk.size(); i++) {
                nearest[walk.getInt(i)] = found + 1;
            }
            return found;
        }

        private List<Branch> build() {
            // preorder of every node; reversed, each node comes after all its descendants
            List<Node> order = new ArrayList<>();
            ArrayDeque<Node> stack = new ArrayDeque<>(top.values());
            while (!stack.isEmpty()) {
                Node node = stack.pop();
                order.add(node);
                stack.addAll(node.children.values());
            }
            Comparator<Branch> largestFirst = tree != null
                    ? Comparator.comparingLong(Branch::retainedSize).reversed().thenComparing(Comparator.comparingInt(Branch::count).reversed())
                    : Comparator.comparingInt(Branch::count).reversed();
            largestFirst = largestFirst.thenComparing(Branch::step).thenComparing(Branch::className);
            for (int i = order.size() - 1; i >= 0; i--) {
                Node node = order.get(i);
                int count = node.own;
                long retained = node.ownRetained - node.passedOn;
                List<Branch> children = new ArrayList<>(node.children.size());
                for (Node child : node.children.values()) {
                    count += child.built.count();
                    retained += Math.max(0, child.built.retainedSize());
                    children.add(child.built);
                }
                children.sort(largestFirst);
                node.built = new Branch(node.step, node.className, node.classObject, count, tree == null ? -1 : retained,
                        node.example, children);
                node.children.clear();
            }
            List<Branch> roots = new ArrayList<>();
            for (Node node : top.values()) {
                foldLoader(node.built, roots);
            }
            roots.sort(largestFirst);
            return roots;
        }

        /**
         * Adds {@code root} to {@code roots}, or, for a built-in class loader's branch, the classes its
         * {@code .classes → .elementData → []} reaches as roots of their own ("class X, held by the app
         * class loader"), with what else the loader holds left on its branch.
         */
        private static void foldLoader(Branch root, List<Branch> roots) {
            String words = root.classObject() ? null : BuiltInLoaders.words(root.className());
            if (words == null || !BuiltInLoaders.isBuiltIn(root.className())) {
                roots.add(root);
                return;
            }
            String held = HELD_BY + words + " (" + root.step() + ")";
            List<Branch> rest = new ArrayList<>();
            int count = root.count();
            long retained = root.retainedSize();
            for (Branch list : root.children()) {
                if (!list.step().equals(".classes")) {
                    rest.add(list);
                    continue;
                }
                for (Branch data : list.children()) {
                    for (Branch element : data.step().equals(".elementData") ? data.children() : List.<Branch>of()) {
                        if (element.step().equals("[]") && element.classObject()) {
                            roots.add(new Branch(held, element.className(), true, element.count(), element.retainedSize(),
                                    element.example(), element.children()));
                            count -= element.count();
                            retained -= Math.max(0, element.retainedSize());
                        }
                    }
                }
            }
            if (count > 0 || !rest.isEmpty()) {
                roots.add(new Branch(root.step(), root.className(), false, count, root.retainedSize() < 0 ? -1 : Math.max(0, retained),
                        root.example(), rest));
            }
        }
    }

    /** A branch while the tree is being built. */
    private static final class Node {
        final String step;
        final String className;
        final boolean classObject;
        final int example;
        final Map<String, Node> children = new HashMap<>(4);
        int own;
        /** Retained bytes of the set's objects that end here. */
        long ownRetained;
        /** Of the bytes below, those of objects this branch's objects dominate: already in {@link #ownRetained}. */
        long passedOn;
        Branch built;

        Node(String step, PathNode target, int example) {
            this.step = step;
            this.className = target.className();
            this.classObject = target.classObject();
            this.example = example;
        }
    }
}

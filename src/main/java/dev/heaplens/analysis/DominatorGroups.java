package dev.heaplens.analysis;

import dev.heaplens.graph.ClassTable;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.text.TextTable;
import it.unimi.dsi.fastutil.ints.IntList;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dominator tree grouped by class, as Eclipse MAT's "Group by class" shows it: the children of
 * a node (or the top-level dominators) merged per class, with counts, shallow and retained sums.
 *
 * <pre>{@code
 * System.out.println(DominatorGroups.topLevel(tree));   // which classes the GC roots' children are
 * System.out.println(DominatorGroups.childrenOf(tree, mapIndex));
 * }</pre>
 */
public final class DominatorGroups {

    /**
     * One class among the children.
     *
     * @param className      Java name ({@code class Foo} for class objects)
     * @param count          children of this class
     * @param shallowBytes   their shallow sizes summed
     * @param retainedBytes  their retained sizes summed (children never dominate each other)
     * @param objects        the children, largest retained first
     */
    public record Group(String className, int count, long shallowBytes, long retainedBytes, List<Integer> objects) {
    }

    private final String title;
    private final List<Group> groups;

    private DominatorGroups(String title, List<Group> groups) {
        this.title = title;
        this.groups = List.copyOf(groups);
    }

    /** The top-level dominators (children of the GC roots) grouped by class. */
    public static DominatorGroups topLevel(DominatorTree tree) {
        return group(tree, tree.graph().objectCount(), "Top-level dominators by class");
    }

    /** The objects {@code obj} immediately dominates, grouped by class. */
    public static DominatorGroups childrenOf(DominatorTree tree, int obj) {
        return group(tree, obj, "Dominated by " + tree.entry(obj).className() + "@0x" + Long.toHexString(tree.graph().id(obj))
                + ", by class");
    }

    private static DominatorGroups group(DominatorTree tree, int node, String title) {
        ObjectGraph graph = tree.graph();
        ClassTable classes = graph.classes();
        Map<String, Group> byName = new HashMap<>();
        IntList children = tree.childIndices(node);
        for (int i = 0; i < children.size(); i++) {
            int o = children.getInt(i);
            String name = graph.isClassObject(o) ? "class " + classes.name(classes.indexOfId(graph.id(o)))
                    : classes.name(graph.classOf(o));
            Group g = byName.get(name);
            List<Integer> objects = g == null ? new ArrayList<>() : g.objects();
            objects.add(o);
            byName.put(name, new Group(name, (g == null ? 0 : g.count()) + 1,
                    (g == null ? 0 : g.shallowBytes()) + graph.shallowSize(o),
                    (g == null ? 0 : g.retainedBytes()) + tree.retainedSize(o), objects));
        }
        List<Group> groups = new ArrayList<>(byName.values());
        groups.sort((a, b) -> Long.compare(b.retainedBytes(), a.retainedBytes()));
        return new DominatorGroups(title, groups);
    }

    /** The groups, largest retained sum first. */
    public List<Group> groups() {
        return groups;
    }

    @Override
    public String toString() {
        TextTable t = new TextTable("#", "objects", "shallow", "retained bytes", "class").alignRight(0, 1, 2, 3);
        int i = 1;
        for (Group g : groups) {
            t.row(i++, TextTable.number(g.count()), TextTable.bytes(g.shallowBytes()), TextTable.bytes(g.retainedBytes()),
                    g.className());
        }
        return title + "\n" + t;
    }
}

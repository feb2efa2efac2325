package dev.heaplens.diff;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A tree of retention paths by compact ids: a path node is (parent node, step), a step is (label,
 * class), a label is (via, name). Parents always have smaller ids than their children, so one
 * backwards loop sums a subtree. Shared by {@link PathAggregator} (one dump) and
 * {@link Alignment} (several dumps over one vocabulary).
 */
final class PathTable {
    /** A step label: how a step is entered and its name. */
    record Label(RetentionPath.Via via, String name) {
    }

    private final List<Label> labels = new ArrayList<>();
    private final Object2IntOpenHashMap<Label> labelIds = new Object2IntOpenHashMap<>();
    private final List<ClassKey> classes = new ArrayList<>();
    private final Object2IntOpenHashMap<ClassKey> classIds = new Object2IntOpenHashMap<>();
    private final Long2IntOpenHashMap stepIds = new Long2IntOpenHashMap();
    private final Long2IntOpenHashMap nodeIds = new Long2IntOpenHashMap();
    private final IntArrayList parent = new IntArrayList();
    private final IntArrayList label = new IntArrayList();
    private final IntArrayList cls = new IntArrayList();

    PathTable() {
        labelIds.defaultReturnValue(-1);
        classIds.defaultReturnValue(-1);
        stepIds.defaultReturnValue(-1);
        nodeIds.defaultReturnValue(-1);
    }

    int label(RetentionPath.Via via, String name) {
        Label l = new Label(via, name);
        int id = labelIds.getInt(l);
        if (id < 0) {
            id = labels.size();
            labels.add(l);
            labelIds.put(l, id);
        }
        return id;
    }

    int classId(ClassKey key) {
        int id = classIds.getInt(key);
        if (id < 0) {
            id = classes.size();
            classes.add(key);
            classIds.put(key, id);
        }
        return id;
    }

    /** The id of a known class key, or -1. */
    int findClass(ClassKey key) {
        return classIds.getInt(key);
    }

    /** The node (parent, label, class), made if new; {@code parent} is -1 for a path start. */
    int node(int parentNode, int labelId, int classId) {
        long stepKey = ((long) labelId << 32) | classId;
        int step = stepIds.get(stepKey);
        if (step < 0) {
            step = stepIds.size();
            stepIds.put(stepKey, step);
        }
        long key = ((long) (parentNode + 1) << 32) | step;
        int node = nodeIds.get(key);
        if (node < 0) {
            node = parent.size();
            nodeIds.put(key, node);
            parent.add(parentNode);
            label.add(labelId);
            cls.add(classId);
        }
        return node;
    }

    /** The node (parent, label, class) if it exists, else -1. */
    int find(int parentNode, int labelId, int classId) {
        int step = stepIds.get(((long) labelId << 32) | classId);
        return step < 0 ? -1 : nodeIds.get(((long) (parentNode + 1) << 32) | step);
    }

    int size() {
        return parent.size();
    }

    int parent(int node) {
        return parent.getInt(node);
    }

    int labelOf(int node) {
        return label.getInt(node);
    }

    int classOf(int node) {
        return cls.getInt(node);
    }

    Label labelAt(int labelId) {
        return labels.get(labelId);
    }

    ClassKey classAt(int classId) {
        return classes.get(classId);
    }

    int classCount() {
        return classes.size();
    }

    /** The path of a node, built from its ancestors. */
    RetentionPath path(int node) {
        List<RetentionPath.Step> steps = new ArrayList<>();
        for (int v = node; v >= 0; v = parent.getInt(v)) {
            Label l = labels.get(label.getInt(v));
            steps.add(new RetentionPath.Step(l.via(), l.name(), classes.get(cls.getInt(v))));
        }
        Collections.reverse(steps);
        return new RetentionPath(steps);
    }

    /** The node of a path, or -1 if the table has none. */
    int find(RetentionPath path) {
        int node = -1;
        for (RetentionPath.Step s : path.steps()) {
            int l = labelIds.getInt(new Label(s.via(), s.name()));
            int c = classIds.getInt(s.target());
            if (l < 0 || c < 0) {
                return -1;
            }
            node = find(node, l, c);
            if (node < 0) {
                return -1;
            }
        }
        return node;
    }
}

package dev.heaplens.diff;

import it.unimi.dsi.fastutil.longs.LongArrayList;

import java.util.List;

/**
 * Several summaries over one vocabulary: the union of their classes and of their path trees, with
 * each dump's figures per class and per path (0 where a dump lacks it). Paths match when their
 * steps match from the root; classes when their {@link ClassKey}s do. Linear in the paths and
 * classes of the summaries: one hash lookup per path node, parents before children.
 */
final class Alignment {
    final PathTable table = new PathTable();
    final int dumps;
    final long[][] count;
    final long[][] shallow;
    final long[][] retained;
    final long[][] classCount;
    final long[][] classShallow;
    final long[][] classRetained;
    final boolean[][] classPresent;

    private Alignment(List<HeapSummary> summaries) {
        dumps = summaries.size();
        LongArrayList[] c = new LongArrayList[dumps];
        LongArrayList[] s = new LongArrayList[dumps];
        LongArrayList[] r = new LongArrayList[dumps];
        int[][] classMaps = new int[dumps][];
        for (int i = 0; i < dumps; i++) {
            HeapSummary summary = summaries.get(i);
            PathTable local = summary.table();
            int[] classMap = new int[local.classCount()];
            for (int k = 0; k < classMap.length; k++) {
                classMap[k] = table.classId(local.classAt(k));
            }
            classMaps[i] = classMap;
            int[] labelMap = new int[0];
            int[] nodeMap = new int[local.size()];
            c[i] = new LongArrayList();
            s[i] = new LongArrayList();
            r[i] = new LongArrayList();
            for (int node = 0; node < nodeMap.length; node++) {
                int l = local.labelOf(node);
                if (l >= labelMap.length) {
                    labelMap = grow(labelMap, l);
                }
                if (labelMap[l] < 0) {
                    PathTable.Label label = local.labelAt(l);
                    labelMap[l] = table.label(label.via(), label.name());
                }
                int parent = local.parent(node);
                int u = table.node(parent < 0 ? -1 : nodeMap[parent], labelMap[l], classMap[local.classOf(node)]);
                nodeMap[node] = u;
                set(c[i], u, summary.pathCount(node));
                set(s[i], u, summary.pathShallow(node));
                set(r[i], u, summary.pathRetained(node));
            }
        }
        int nodes = table.size();
        int classes = table.classCount();
        count = new long[dumps][];
        shallow = new long[dumps][];
        retained = new long[dumps][];
        classCount = new long[dumps][classes];
        classShallow = new long[dumps][classes];
        classRetained = new long[dumps][classes];
        classPresent = new boolean[dumps][classes];
        for (int i = 0; i < dumps; i++) {
            count[i] = java.util.Arrays.copyOf(c[i].elements(), nodes);
            shallow[i] = java.util.Arrays.copyOf(s[i].elements(), nodes);
            retained[i] = java.util.Arrays.copyOf(r[i].elements(), nodes);
            java.util.Arrays.fill(count[i], c[i].size(), nodes, 0);
            java.util.Arrays.fill(shallow[i], s[i].size(), nodes, 0);
            java.util.Arrays.fill(retained[i], r[i].size(), nodes, 0);
            HeapSummary summary = summaries.get(i);
            int[] classMap = classMaps[i];
            for (int k = 0; k < classMap.length; k++) {
                int u = classMap[k];
                classPresent[i][u] = true;
                classCount[i][u] += summary.classCount(k);
                classShallow[i][u] += summary.classShallow(k);
                classRetained[i][u] += summary.classRetained(k);
            }
        }
    }

    static Alignment of(List<HeapSummary> summaries) {
        return new Alignment(summaries);
    }

    int nodes() {
        return table.size();
    }

    int classes() {
        return table.classCount();
    }

    private static int[] grow(int[] map, int index) {
        int old = map.length;
        int[] bigger = java.util.Arrays.copyOf(map, Math.max(index + 1, 2 * old + 16));
        java.util.Arrays.fill(bigger, old, bigger.length, -1);
        return bigger;
    }

    private static void set(LongArrayList list, int index, long value) {
        if (index >= list.size()) {
            list.size(index + 1);
        }
        list.set(index, value);
    }
}

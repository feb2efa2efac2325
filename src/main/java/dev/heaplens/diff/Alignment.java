package dev.heaplens.diff;

import java.util.Arrays;
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
        // first the union of the trees, remembering where each dump's nodes and classes went
        int[][] nodeMaps = new int[dumps][];
        int[][] classMaps = new int[dumps][];
        for (int i = 0; i < dumps; i++) {
            PathTable local = summaries.get(i).table();
            int[] classMap = new int[local.classCount()];
            for (int k = 0; k < classMap.length; k++) {
                classMap[k] = table.classId(local.classAt(k));
            }
            int[] labelMap = new int[0];
            int[] nodeMap = new int[local.size()];
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
                nodeMap[node] = table.node(parent < 0 ? -1 : nodeMap[parent], labelMap[l], classMap[local.classOf(node)]);
            }
            nodeMaps[i] = nodeMap;
            classMaps[i] = classMap;
        }
        // then each dump's figures on the union
        int nodes = table.size();
        int classes = table.classCount();
        count = new long[dumps][nodes];
        shallow = new long[dumps][nodes];
        retained = new long[dumps][nodes];
        classCount = new long[dumps][classes];
        classShallow = new long[dumps][classes];
        classRetained = new long[dumps][classes];
        classPresent = new boolean[dumps][classes];
        for (int i = 0; i < dumps; i++) {
            HeapSummary summary = summaries.get(i);
            int[] nodeMap = nodeMaps[i];
            for (int node = 0; node < nodeMap.length; node++) {
                int u = nodeMap[node];
                count[i][u] = summary.pathCount(node);
                shallow[i][u] = summary.pathShallow(node);
                retained[i][u] = summary.pathRetained(node);
            }
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
        int[] bigger = Arrays.copyOf(map, Math.max(index + 1, 2 * old + 16));
        Arrays.fill(bigger, old, bigger.length, -1);
        return bigger;
    }
}

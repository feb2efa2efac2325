package dev.heaplens.diff;

import dev.heaplens.text.TextTable;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntArrays;

import java.util.ArrayList;
import java.util.List;

/**
 * The retention paths of two dumps side by side: which paths grew, and by how many objects and bytes.
 *
 * <p>Growth is reported where it enters the heap, not everywhere it shows: a path is listed in
 * {@link #grown()} when its own objects grew in number and no shorter path above it did (the
 * entries of a map that gained 1,000 entries, not the keys and values that came with them, whose
 * bytes are in the entries' retained growth), or, with the same number of objects, when they grew
 * in bytes (an array that was resized) and no path above or below grew in number. {@link #shrunk()}
 * is the same for losses. Sorted by retained bytes gained (lost), then objects.
 *
 * <pre>{@code
 * PathDiff paths = HeapDiff.of(before, after).paths();
 * System.out.println(paths);                           // what grew, what shrank
 * PathDelta top = paths.grown().get(0);                // static Registry.SESSIONS → HashMap.table → … +1,000
 * paths.path(top.path().parent());                     // any path, listed or not
 * }</pre>
 */
public final class PathDiff {
    /** Rows per section {@link #toString()} prints. */
    public static final int DEFAULT_ROWS = 20;

    private final Alignment alignment;
    private final int before;
    private final int after;
    private final List<PathDelta> grown;
    private final List<PathDelta> shrunk;
    private final int changed;

    private PathDiff(Alignment alignment, int before, int after) {
        this.alignment = alignment;
        this.before = before;
        this.after = after;
        int n = alignment.nodes();
        long[] dc = new long[n];
        long[] ds = new long[n];
        int changedPaths = 0;
        for (int u = 0; u < n; u++) {
            dc[u] = alignment.count[after][u] - alignment.count[before][u];
            ds[u] = alignment.shallow[after][u] - alignment.shallow[before][u];
            if (dc[u] != 0 || ds[u] != 0) {
                changedPaths++;
            }
        }
        this.changed = changedPaths;
        this.grown = points(dc, ds, 1);
        this.shrunk = points(dc, ds, -1);
    }

    static PathDiff of(Alignment alignment, int before, int after) {
        return new PathDiff(alignment, before, after);
    }

    /** The growth (sign 1) or loss (sign -1) points; parents come before children in the alignment. */
    private List<PathDelta> points(long[] dc, long[] ds, int sign) {
        int n = dc.length;
        PathTable table = alignment.table;
        boolean[] countAbove = new boolean[n];
        boolean[] countBelow = new boolean[n];
        for (int u = 0; u < n; u++) {
            int p = table.parent(u);
            countAbove[u] = p >= 0 && (countAbove[p] || Long.signum(dc[p]) == sign);
        }
        for (int u = n - 1; u >= 0; u--) {
            int p = table.parent(u);
            if (p >= 0 && (countBelow[u] || Long.signum(dc[u]) == sign)) {
                countBelow[p] = true;
            }
        }
        IntArrayList nodes = new IntArrayList();
        for (int u = 0; u < n; u++) {
            boolean byCount = Long.signum(dc[u]) == sign;
            boolean byBytes = dc[u] == 0 && Long.signum(ds[u]) == sign && !countBelow[u];
            if (!countAbove[u] && (byCount || byBytes)) {
                nodes.add(u);
            }
        }
        long[][] retained = alignment.retained;
        int[] order = nodes.toIntArray();
        IntArrays.quickSort(order, (a, b) -> {
            int c = Long.compare(sign * (retained[after][b] - retained[before][b]), sign * (retained[after][a] - retained[before][a]));
            if (c == 0) {
                c = Long.compare(sign * dc[b], sign * dc[a]);
            }
            return c != 0 ? c : Integer.compare(a, b);
        });
        List<PathDelta> out = new ArrayList<>(order.length);
        for (int u : order) {
            out.add(delta(u));
        }
        return List.copyOf(out);
    }

    private PathDelta delta(int u) {
        return new PathDelta(alignment.table.path(u), alignment.count[before][u], alignment.count[after][u],
                alignment.shallow[before][u], alignment.shallow[after][u], alignment.retained[before][u], alignment.retained[after][u]);
    }

    /** Where the heap grew: see the class comment; most retained bytes gained first. */
    public List<PathDelta> grown() {
        return grown;
    }

    /** Where the heap shrank; most retained bytes lost first. */
    public List<PathDelta> shrunk() {
        return shrunk;
    }

    /** The first {@code n} of {@link #grown()}. */
    public List<PathDelta> top(int n) {
        return grown.subList(0, Math.min(Math.max(n, 0), grown.size()));
    }

    /** Whether no path changed in objects or bytes. */
    public boolean isEmpty() {
        return changed == 0;
    }

    /** Paths whose own objects changed in number or bytes, listed or not. */
    public int changedCount() {
        return changed;
    }

    /** Paths of either dump. */
    public int pathCount() {
        return alignment.nodes();
    }

    /** Any path of either dump, changed or not; null if neither has it. */
    public PathDelta path(RetentionPath path) {
        int u = alignment.table.find(path);
        return u < 0 ? null : delta(u);
    }

    @Override
    public String toString() {
        return toString(DEFAULT_ROWS);
    }

    /** At most {@code maxRows} grown and as many shrunk paths, as tables. */
    public String toString(int maxRows) {
        StringBuilder b = new StringBuilder();
        b.append(grown.isEmpty() ? "No path grew.\n" : "Paths that grew\n" + table(grown, maxRows));
        if (!shrunk.isEmpty()) {
            b.append("Paths that shrank\n").append(table(shrunk, maxRows));
        }
        return b.toString();
    }

    private String table(List<PathDelta> rows, int maxRows) {
        TextTable t = new TextTable("Δcount", "Δretained", "count", "retained bytes", "path").alignRight(0, 1, 2, 3);
        int shown = Math.min(maxRows, rows.size());
        for (PathDelta d : rows.subList(0, shown)) {
            t.row(TextTable.signed(d.deltaCount()), TextTable.signed(d.deltaRetained()), TextTable.number(d.countAfter()),
                    TextTable.bytes(d.retainedAfter()), d.path());
        }
        t.footer((shown < rows.size() ? "… " + TextTable.number(rows.size() - shown) + " more; " : "")
                + TextTable.number(changed) + " of " + TextTable.number(alignment.nodes()) + " paths changed");
        return t.toString();
    }
}

package dev.heaplens.diff;

import dev.heaplens.SnapshotSeries;
import dev.heaplens.text.TextTable;
import it.unimi.dsi.fastutil.ints.IntArrayList;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Growth across a series of dumps of one scenario run again and again (3 or more, in order): the
 * retention paths and classes that gained objects in <em>every</em> step, with the gain per step.
 * What grows at every repetition is what the scenario leaks; a cache that fills and then holds
 * steady gains nothing once full, and is not reported.
 *
 * <pre>{@code
 * HeapGrowth growth = HeapGrowth.inDirectory(Path.of("snapshots"));   // *.hprof, *.hprof.gz by name
 * System.out.println(growth);
 * growth.paths().get(0).path();            // static Registry.SESSIONS → HashMap.table → HashMap$Node[*] → …
 * growth.paths().get(0).countDeltas();     // [1000, 1000, 1000]
 * }</pre>
 *
 * <p><b>The criterion.</b> A path or class grows when its object count rises in each step, however
 * little; bytes alone do not count, since a bounded structure's bytes drift with its contents
 * (longer keys, resized arrays) while its object count holds. Of the paths that grow, only those
 * below no other growing path are listed: the entries of a leaking map, not the keys and values each
 * entry brings (their bytes are in the entries' retained growth). Paths are sorted by retained bytes
 * gained from first to last dump, classes by shallow bytes gained.
 */
public final class HeapGrowth {
    /** Dumps a series needs at least. */
    public static final int MIN_DUMPS = 3;
    /** Rows per table {@link #toString()} prints. */
    public static final int DEFAULT_ROWS = 20;

    private final List<Path> sources;
    private final List<PathGrowth> paths;
    private final List<ClassGrowth> classes;

    private HeapGrowth(List<Path> sources, List<PathGrowth> paths, List<ClassGrowth> classes) {
        this.sources = sources;
        this.paths = List.copyOf(paths);
        this.classes = List.copyOf(classes);
    }

    /** The growth across these dumps, in this order, each opened and summarised in turn. */
    public static HeapGrowth of(List<Path> dumps) {
        checkCount(dumps.size());
        List<HeapSummary> summaries = new ArrayList<>(dumps.size());
        for (Path dump : dumps) {
            summaries.add(HeapSummary.of(dump));
        }
        return ofSummaries(summaries);
    }

    /** The growth across a series of snapshots, in the order they were taken. */
    public static HeapGrowth of(SnapshotSeries series) {
        return of(series.dumps());
    }

    /** The growth across the {@code *.hprof} and {@code *.hprof.gz} files of a directory, sorted by name. */
    public static HeapGrowth inDirectory(Path directory) {
        return of(dumpsIn(directory));
    }

    /** The dumps of a directory a series is made of: {@code *.hprof} and {@code *.hprof.gz}, sorted by file name. */
    public static List<Path> dumpsIn(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException(directory + " is not a directory");
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> Files.isRegularFile(p)
                            && (p.getFileName().toString().endsWith(".hprof") || p.getFileName().toString().endsWith(".hprof.gz")))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    /** The growth across summaries, in this order. */
    public static HeapGrowth ofSummaries(List<HeapSummary> summaries) {
        checkCount(summaries.size());
        Alignment a = Alignment.of(summaries);
        List<Path> sources = summaries.stream().map(HeapSummary::source).toList();
        return new HeapGrowth(sources, growingPaths(a), growingClasses(a));
    }

    private static void checkCount(int dumps) {
        if (dumps < MIN_DUMPS) {
            throw new IllegalArgumentException("a growth series needs at least " + MIN_DUMPS + " dumps, not " + dumps);
        }
    }

    private static boolean grewEveryStep(long[][] values, int index) {
        for (int i = 1; i < values.length; i++) {
            if (values[i][index] <= values[i - 1][index]) {
                return false;
            }
        }
        return true;
    }

    private static List<PathGrowth> growingPaths(Alignment a) {
        int n = a.nodes();
        boolean[] grows = new boolean[n];
        boolean[] growsAbove = new boolean[n];
        IntArrayList listed = new IntArrayList();
        // parents come before children: whether a path above grows is known when a path is reached
        for (int u = 0; u < n; u++) {
            int p = a.table.parent(u);
            growsAbove[u] = p >= 0 && (growsAbove[p] || grows[p]);
            grows[u] = grewEveryStep(a.count, u);
            if (grows[u] && !growsAbove[u]) {
                listed.add(u);
            }
        }
        List<PathGrowth> out = new ArrayList<>(listed.size());
        for (int u : listed) {
            out.add(new PathGrowth(a.table.path(u), column(a.count, u), column(a.retained, u)));
        }
        out.sort(Comparator.comparingLong(PathGrowth::totalRetained).reversed()
                .thenComparing(Comparator.comparingLong(PathGrowth::totalCount).reversed()));
        return out;
    }

    private static List<ClassGrowth> growingClasses(Alignment a) {
        List<ClassGrowth> out = new ArrayList<>();
        for (int c = 0; c < a.classes(); c++) {
            if (grewEveryStep(a.classCount, c)) {
                out.add(new ClassGrowth(a.table.classAt(c), column(a.classCount, c), column(a.classShallow, c)));
            }
        }
        out.sort(Comparator.comparingLong(ClassGrowth::totalShallow).reversed()
                .thenComparing(Comparator.comparingLong(ClassGrowth::totalCount).reversed())
                .thenComparing(g -> g.key().className()));
        return out;
    }

    private static List<Long> column(long[][] values, int index) {
        List<Long> out = new ArrayList<>(values.length);
        for (long[] v : values) {
            out.add(v[index]);
        }
        return out;
    }

    /** Differences of consecutive values. */
    static List<Long> steps(List<Long> values) {
        List<Long> out = new ArrayList<>(values.size() - 1);
        for (int i = 1; i < values.size(); i++) {
            out.add(values.get(i) - values.get(i - 1));
        }
        return out;
    }

    /** The dumps, in series order (null entries for summaries made without a file). */
    public List<Path> sources() {
        return sources;
    }

    /** Paths that gained objects in every step and lie below no other such path; most retained bytes gained first. */
    public List<PathGrowth> paths() {
        return paths;
    }

    /** Classes whose instances grew in number in every step; most shallow bytes gained first. */
    public List<ClassGrowth> classes() {
        return classes;
    }

    /** Whether nothing grew in every step. */
    public boolean isEmpty() {
        return paths.isEmpty() && classes.isEmpty();
    }

    @Override
    public String toString() {
        return toString(DEFAULT_ROWS);
    }

    /** Both tables with at most {@code maxRows} rows each. */
    public String toString(int maxRows) {
        StringBuilder b = new StringBuilder("Growth across " + sources.size() + " dumps: ")
                .append(sources.stream().map(p -> p == null ? "heap" : String.valueOf(p.getFileName())).collect(Collectors.joining(", ")))
                .append('\n');
        if (isEmpty()) {
            return b.append("Nothing grew in every step.\n").toString();
        }
        TextTable t = new TextTable("Δcount per step", "Δretained", "count", "path").alignRight(1, 2);
        for (PathGrowth g : paths.subList(0, Math.min(maxRows, paths.size()))) {
            t.row(perStep(g.countDeltas()), TextTable.signed(g.totalRetained()), TextTable.number(g.counts().get(g.counts().size() - 1)),
                    g.path());
        }
        t.footer(more(paths.size(), maxRows) + TextTable.number(paths.size()) + " paths grew in every step");
        b.append("\nPaths that grew in every step\n").append(t);
        TextTable c = new TextTable("Δcount per step", "Δshallow", "count", "class").alignRight(1, 2);
        for (ClassGrowth g : classes.subList(0, Math.min(maxRows, classes.size()))) {
            c.row(perStep(g.countDeltas()), TextTable.signed(g.totalShallow()), TextTable.number(g.counts().get(g.counts().size() - 1)),
                    g.key().className());
        }
        c.footer(more(classes.size(), maxRows) + TextTable.number(classes.size()) + " classes grew in every step");
        return b.append("\nClasses that grew in every step\n").append(c).toString();
    }

    private static String more(int size, int max) {
        return size > max ? "… " + TextTable.number(size - max) + " more; " : "";
    }

    private static String perStep(List<Long> deltas) {
        return deltas.stream().map(TextTable::signed).collect(Collectors.joining(" "));
    }
}

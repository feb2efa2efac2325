package dev.heaplens.bench;

import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.hprof.HprofFile;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.util.Multiset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Runs the parse benchmarks through JMH's Java API and prints one table: time per pass with its
 * error, throughput over the HPROF bytes, the ratio to the read floor, and the bytes of heap the
 * finished graph holds per object and per reference.
 *
 * <pre>
 * java -Xmx4g -cp target/benchmarks.jar dev.heaplens.bench.Report [--dump javac-small]
 *      [--warmup 3] [--iterations 5] [--out target/report.md]
 * </pre>
 *
 * <p>Throughput is in MB/s with MB = 10^6 bytes, always over the uncompressed HPROF size, so the
 * gzip row says how fast the same content is analysed when it arrives compressed.
 */
public final class Report {
    private static final String FLOOR = "ReadFloorBench.mappedLongSum";
    private static final List<String> ORDER = List.of("ReadFloorBench.channelRead", FLOOR,
            "RecordPassBench.recordPass", "RecordPassBench.openAndRecordPass",
            "GraphBuildBench.buildGraph", "GraphBuildBench.openHeap");

    private Report() {
    }

    public static void main(String[] args) throws IOException, RunnerException {
        String dump = "javac-small";
        int warmup = 3;
        int iterations = 5;
        Path out = Dumps.directory().resolveSibling("report.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dump" -> dump = args[++i];
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: Report [--dump NAME] [--warmup N] [--iterations N] [--out FILE]");
                    System.exit(2);
                }
            }
        }
        String gzDump = dump + "-gz";
        Path plain = Dumps.path(dump);
        Path gz = Dumps.path(gzDump);
        HprofCensus census = HprofCensus.of(plain);
        GraphFacts graph = GraphFacts.of(plain);

        List<RunResult> results = new ArrayList<>();
        // Work on an opened file, plain dump only; graph build with 1 and 2 threads.
        results.addAll(run(options(warmup, iterations)
                .include(ReadFloorBench.class.getName())
                .include(RecordPassBench.class.getName() + ".recordPass$")
                .include(GraphBuildBench.class.getName() + ".buildGraph$")
                .param("dump", dump)
                .param("threads", "1", "2")));
        // From a path to a result, plain and gzip (where opening decompresses).
        results.addAll(run(options(warmup, iterations)
                .include(RecordPassBench.class.getName() + ".openAndRecordPass$")
                .include(GraphBuildBench.class.getName() + ".openHeap$")
                .param("dump", dump, gzDump)));

        results.sort(Comparator.comparingInt((RunResult r) -> ORDER.indexOf(shortName(r)))
                .thenComparing(r -> r.getParams().getParam("dump"))
                .thenComparing(r -> String.valueOf(r.getParams().getParam("threads"))));
        String table = render(dump, gz, census, graph, results);
        System.out.println();
        System.out.println(table);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, table);
        System.out.println("(written to " + out + ")");
    }

    private static ChainedOptionsBuilder options(int warmup, int iterations) {
        return new OptionsBuilder()
                .warmupIterations(warmup)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(2))
                .forks(1)
                .addProfiler(GCProfiler.class) // bytes allocated per operation: exact, unlike the times here
                .shouldFailOnError(true);
    }

    private static Collection<RunResult> run(ChainedOptionsBuilder options) throws RunnerException {
        return new Runner(options.build()).run();
    }

    /**
     * The graph's own account of its size, and what it really holds: every object reachable from
     * it, walked by JOL, less the open file.
     */
    record GraphFacts(int objects, long edges, long footprintBytes, long reachableBytes, String footprintTable) {
        static GraphFacts of(Path dump) {
            // JOL cannot ask Unsafe for the field offsets of records (heaplens has some): let it infer them.
            System.setProperty("jol.magicFieldOffset", "true");
            try (HprofFile file = HprofFile.open(dump)) {
                ObjectGraph graph = ObjectGraph.build(file);
                GraphLayout layout = GraphLayout.parseInstance(graph).subtract(GraphLayout.parseInstance(graph.file()));
                return new GraphFacts(graph.objectCount(), graph.edgeCount(), graph.footprintBytes(),
                        layout.totalSize(), largestClasses(layout, 6));
            }
        }

        /** The classes holding the most bytes, one line each. */
        private static String largestClasses(GraphLayout layout, int limit) {
            Multiset<Class<?>> sizes = layout.getClassSizes();
            Multiset<Class<?>> counts = layout.getClassCounts();
            return sizes.keys().stream()
                    .sorted(Comparator.comparingLong((Class<?> c) -> sizes.count(c)).reversed())
                    .limit(limit)
                    .map(c -> String.format(Locale.ROOT, "%,14d bytes in %,7d × %s",
                            sizes.count(c), counts.count(c), c.getTypeName()))
                    .collect(Collectors.joining("\n", "", "\n"));
        }
    }

    /** {@code Class.method} of a result. */
    private static String shortName(RunResult r) {
        String name = r.getParams().getBenchmark();
        return name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
    }

    private static double allocatedBytesPerOp(RunResult r) {
        return r.getSecondaryResults().entrySet().stream()
                .filter(e -> e.getKey().endsWith("gc.alloc.rate.norm"))
                .mapToDouble(e -> e.getValue().getScore())
                .findFirst().orElse(Double.NaN);
    }

    static String render(String dump, Path gz, HprofCensus census, GraphFacts graph,
                         List<RunResult> results) throws IOException {
        long bytes = census.fileBytes();
        double floorMs = results.stream()
                .filter(r -> shortName(r).equals(FLOOR))
                .mapToDouble(r -> r.getPrimaryResult().getScore())
                .findFirst().orElse(Double.NaN);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "heaplens parse benchmarks, %s, JDK %s, %d cores%n",
                LocalDate.now(), Runtime.version(), Runtime.getRuntime().availableProcessors()));
        sb.append(String.format(Locale.ROOT, "dump %s: %,d bytes (gzip: %,d bytes); census: %,d objects, %,d references%n",
                dump, bytes, Files.size(gz), census.objects(), census.references()));
        sb.append(String.format(Locale.ROOT, "graph: %,d objects, %,d edges%n%n", graph.objects(), graph.edges()));

        sb.append("| benchmark | dump | ms/op (mean ± 99.9% error) | MB/s | × floor | allocated MB/op |\n");
        sb.append("|---|---|---:|---:|---:|---:|\n");
        for (RunResult r : results) {
            Result<?> primary = r.getPrimaryResult();
            String name = shortName(r);
            if (name.endsWith(".buildGraph")) {
                name += " (" + r.getParams().getParam("threads") + " threads)";
            }
            double ms = primary.getScore();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.1f ± %.1f | %,.0f | %.2f | %,.1f |%n",
                    name, r.getParams().getParam("dump"), ms, primary.getScoreError(),
                    bytes / 1e6 / (ms / 1e3), ms / floorMs, allocatedBytesPerOp(r) / 1e6));
        }
        sb.append(String.format(Locale.ROOT, "%nfloor = %s (every byte of the mapped file loaded once)%n", FLOOR));

        double budget = 40.0 * graph.objects() + 4.0 * graph.edges();
        double perObjectBeyondEdges = (graph.footprintBytes() - 4.0 * graph.edges()) / graph.objects();
        sb.append(String.format(Locale.ROOT,
                "%ngraph memory: footprintBytes() = %,d bytes = %.1f B/object, or %.1f B/reference; "
                        + "charging 4 B to each reference leaves %.1f B/object%n"
                        + "(%.0f%% of the DESIGN budget of 40 B/object + 4 B/reference = %,.0f bytes)%n",
                graph.footprintBytes(), (double) graph.footprintBytes() / graph.objects(),
                (double) graph.footprintBytes() / graph.edges(), perObjectBeyondEdges,
                100 * graph.footprintBytes() / budget, budget));
        sb.append(String.format(Locale.ROOT,
                "heap reachable from the graph (JOL, less the HprofFile): %,d bytes = %.1f B/object%n",
                graph.reachableBytes(), (double) graph.reachableBytes() / graph.objects()));
        sb.append("\nwhere it goes (JOL, by class):\n```\n").append(graph.footprintTable()).append("```\n");
        return sb.toString();
    }
}

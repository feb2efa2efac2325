package dev.heaplens.bench;

import dev.heaplens.bench.peers.NetBeansDriver;
import dev.heaplens.bench.peers.SharkDriver;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The head-to-head comparison of issue 15, in one command: heaplens against Square's Shark and
 * NetBeans' profiler heap library (VisualVM's engine), each doing the work of
 * {@code heaplens analyze} (open and index the dump, a class histogram, retained sizes of every
 * object) as a cold child process, on the same dumps, under {@code /usr/bin/time -v}.
 *
 * <p>For each dump the tools run interleaved (heaplens, Shark, NetBeans, heaplens, …) so that a
 * noisy neighbour on the shared machine slows all three alike, every one with the same
 * {@code -Xmx}. Before every run the peers' caches are deleted ({@code *.nbcache} and
 * {@code *.hwcache} beside the dump, and the run's own {@code java.io.tmpdir}), so each run indexes
 * the dump from scratch. The dumps themselves are in the page cache (made or read just before):
 * these are CPU and memory figures, not disk. A run over its time limit or out of memory is recorded
 * as such, not retried.
 *
 * <p>Every run is appended to {@code target/peers/runs.tsv} as it ends; the tables (markdown, into
 * {@code benchmarks/README.md} between the {@code peers:begin}/{@code peers:end} markers) and the
 * chart ({@code benchmarks/peers.png}) are made from that file, so {@code --report-only} can render
 * them again without running anything.
 *
 * <pre>
 * java -cp target/benchmarks.jar dev.heaplens.bench.PeerComparison                 # default: 3 runs
 * java -cp target/benchmarks.jar dev.heaplens.bench.PeerComparison --full          # + h2-large (2 GB)
 * java -cp target/benchmarks.jar dev.heaplens.bench.PeerComparison --runs 1 --dumps javac-small --tools heaplens,shark
 * java -cp target/benchmarks.jar dev.heaplens.bench.PeerComparison --append --runs 1 --dumps javac-small   # add to the last runs
 * java -cp target/benchmarks.jar dev.heaplens.bench.PeerComparison --report-only
 * </pre>
 */
public final class PeerComparison {

    /**
     * The dumps of a default run: the two cases, a real application's dump of about 150 MB
     * (javac, 189 MB, 1.8 million objects) and one of about 1 GB (H2, 20 million objects).
     */
    static final List<String> DEFAULT_DUMPS = List.of("javac-large", "h2-medium");
    /** {@code --full}: every size, up to the 2 GB dump. */
    static final List<String> FULL_DUMPS = List.of("javac-small", "h2-small", "javac-large", "h2-medium", "h2-large");
    static final List<String> TOOLS = List.of("heaplens", "shark", "netbeans");

    private static final Pattern WALL = Pattern.compile("Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\): (?:(\\d+):)?(\\d+):(\\d+(?:\\.\\d+)?)");
    private static final Pattern RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");
    private static final Pattern EXIT = Pattern.compile("Exit status: (\\d+)");

    private PeerComparison() {
    }

    /** The options of one comparison. */
    record Options(int runs, boolean full, String xmx, int timeoutSeconds, List<String> dumps, List<String> tools,
                   boolean reportOnly, boolean append, boolean write, Path cli, String note) {

        static Options parse(String[] args) {
            int runs = 3;
            boolean full = false;
            String xmx = "8g";
            int timeout = -1;
            List<String> dumps = null;
            List<String> tools = TOOLS;
            boolean reportOnly = false;
            boolean append = false;
            boolean write = true;
            Path cli = null;
            String note = "";
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--runs" -> runs = Integer.parseInt(args[++i]);
                    case "--full" -> full = true;
                    case "--xmx" -> xmx = args[++i];
                    case "--timeout" -> timeout = Integer.parseInt(args[++i]);
                    case "--dumps" -> dumps = List.of(args[++i].split(","));
                    case "--tools" -> tools = List.of(args[++i].split(","));
                    case "--report-only" -> reportOnly = true;
                    case "--append" -> append = true;
                    case "--no-write" -> write = false;
                    case "--cli" -> cli = Path.of(args[++i]);
                    case "--note" -> note = args[++i];
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; options: --runs N --full --xmx SIZE --timeout SECONDS --dumps A,B --tools heaplens,shark,netbeans"
                            + " --report-only --append --no-write --cli heaplens-cli.jar --note TEXT");
                }
            }
            if (dumps == null) {
                dumps = full ? FULL_DUMPS : DEFAULT_DUMPS;
            }
            if (timeout < 0) {
                timeout = full ? 1800 : 240;
            }
            for (String t : tools) {
                if (!TOOLS.contains(t)) {
                    throw new IllegalArgumentException("unknown tool " + t + "; known: " + TOOLS);
                }
            }
            return new Options(runs, full, xmx, timeout, dumps, tools, reportOnly, append, write, cli, note);
        }
    }

    /** One cold run of one tool on one dump, as appended to {@code runs.tsv}. */
    record Run(String dump, long dumpBytes, long objects, long references, String tool, int round, String status,
               double wallSeconds, long rssKb, String result, String xmx, String started) {

        static final String HEADER = "dump\tdumpBytes\tobjects\treferences\ttool\tround\tstatus\twallSeconds\trssKb\tresult\txmx\tstarted";

        String line() {
            return String.join("\t", dump, Long.toString(dumpBytes), Long.toString(objects), Long.toString(references), tool,
                    Integer.toString(round), status, String.format(Locale.ROOT, "%.2f", wallSeconds), Long.toString(rssKb),
                    result.replace('\t', ' ').replace('\n', ' '), xmx, started);
        }

        static Run parse(String line) {
            String[] f = line.split("\t", -1);
            return new Run(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), f[4], Integer.parseInt(f[5]),
                    f[6], Double.parseDouble(f[7]), Long.parseLong(f[8]), f[9], f[10], f[11]);
        }

        boolean ok() {
            return status.equals("ok");
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path work = Dumps.directory().resolveSibling("peers");
        Files.createDirectories(work);
        Path tsv = work.resolve("runs.tsv");
        String machine = machine();
        if (!options.reportOnly()) {
            Path cli = options.cli() != null ? options.cli() : defaultCli();
            if (!Files.isRegularFile(cli)) {
                throw new IllegalStateException("no heaplens CLI jar at " + cli
                        + ": build it at the repository root with `mvn -B -q package -DskipTests`, or pass --cli PATH");
            }
            if (!options.append() || !Files.isRegularFile(tsv)) {
                Files.writeString(tsv, Run.HEADER + "\n", StandardCharsets.UTF_8);
                Files.writeString(work.resolve("machine.txt"), machine + "\n", StandardCharsets.UTF_8);
            } else {
                Files.writeString(work.resolve("machine.txt"), "; appended: " + loadAverage() + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.APPEND);
            }
            Instant start = Instant.now();
            long baseline = baselineRss(cli, options, work);
            Files.writeString(work.resolve("baseline.txt"), baseline + "\n", StandardCharsets.UTF_8);
            for (String name : options.dumps()) {
                Path dump = Dumps.path(name);
                HprofCensus census = census(dump);
                log(String.format(Locale.ROOT, "%s: %s", name, census));
                List<String> failed = new ArrayList<>();
                for (int round = 1; round <= options.runs(); round++) {
                    for (String tool : options.tools()) {
                        if (failed.contains(tool)) {
                            // another round over the time limit or out of memory would teach nothing and cost the most
                            log(String.format(Locale.ROOT, "  %-9s round %d: skipped (failed in an earlier round)", tool, round));
                            continue;
                        }
                        Run run = runOnce(name, dump, census, tool, round, cli, options, work);
                        if (!run.ok()) {
                            failed.add(tool);
                        }
                        log(String.format(Locale.ROOT, "  %-9s round %d: %-8s %8.2f s %,9d KB  %s", tool, round, run.status(),
                                run.wallSeconds(), run.rssKb(), abbreviate(run.result())));
                        Files.writeString(tsv, run.line() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                    }
                }
            }
            log("all runs took " + Duration.minutes(start));
        }
        List<Run> runs = readRuns(tsv);
        long baseline = Long.parseLong(Files.readString(work.resolve("baseline.txt")).strip());
        String savedMachine = Files.isRegularFile(work.resolve("machine.txt"))
                ? Files.readString(work.resolve("machine.txt")).strip() : machine;
        String markdown = PeerReport.markdown(runs, baseline, savedMachine, options);
        Path chart = benchmarksDir().resolve("peers.png");
        Path tableFile = work.resolve("peers.md");
        Files.writeString(tableFile, markdown, StandardCharsets.UTF_8);
        System.out.println(markdown);
        if (options.write()) {
            PeerChart.write(runs, chart);
            PeerReport.replaceInReadme(benchmarksDir().resolve("README.md"), markdown);
            log("wrote " + benchmarksDir().resolve("README.md") + " and " + chart);
        } else {
            PeerChart.write(runs, work.resolve("peers.png"));
            log("wrote " + tableFile + " and " + work.resolve("peers.png") + " (--no-write: README untouched)");
        }
    }

    /** Minutes since a start, for the log. */
    private static final class Duration {
        static String minutes(Instant start) {
            return String.format(Locale.ROOT, "%.1f min", start.until(Instant.now(), ChronoUnit.MILLIS) / 60_000.0);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** The command that runs {@code tool} on {@code dump}: each does the work of {@code heaplens analyze}. */
    static List<String> command(String tool, Path dump, Path cli, Options options, Path tmp) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-v", "-o", tmp.resolveSibling(tmp.getFileName() + ".time").toString()));
        if (tool.equals("heaplens")) {
            command.addAll(launcher(cli, "-Xmx" + options.xmx() + " -Djava.io.tmpdir=" + tmp));
            command.addAll(List.of("analyze", "--format", "json", dump.toString()));
            return command;
        }
        command.addAll(List.of(java(), "-Xmx" + options.xmx(), "-Djava.io.tmpdir=" + tmp));
        switch (tool) {
            case "shark" -> command.addAll(List.of("-cp", classPath(), SharkDriver.class.getName(), dump.toString()));
            case "netbeans" -> command.addAll(List.of("-cp", classPath(), NetBeansDriver.class.getName(), dump.toString()));
            default -> throw new IllegalArgumentException(tool);
        }
        return command;
    }

    private static Run runOnce(String name, Path dump, HprofCensus census, String tool, int round, Path cli, Options options,
                               Path work) throws IOException, InterruptedException {
        Path tmp = work.resolve("tmp");
        deletePeerCaches(dump, tmp);
        Files.createDirectories(tmp);
        Path timeFile = tmp.resolveSibling(tmp.getFileName() + ".time");
        Files.deleteIfExists(timeFile);
        Path out = work.resolve("last-" + tool + ".out");
        Path err = work.resolve("last-" + tool + ".err");
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Process p = new ProcessBuilder(command(tool, dump, cli, options, tmp))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        String status;
        if (!p.waitFor(options.timeoutSeconds(), TimeUnit.SECONDS)) {
            // Only this run's own JVM, under /usr/bin/time: time then reports what the JVM had used by then.
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
            }
            status = "timeout";
        } else {
            status = p.exitValue() == 0 ? "ok" : "exit-" + p.exitValue();
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        String time = Files.isRegularFile(timeFile) ? Files.readString(timeFile, StandardCharsets.UTF_8) : "";
        if (stderr.contains("OutOfMemoryError") || stdout.contains("OutOfMemoryError")) {
            status = "oom";
        }
        double wall = -1;
        Matcher w = WALL.matcher(time);
        if (w.find()) {
            wall = (w.group(1) == null ? 0 : Integer.parseInt(w.group(1)) * 3600) + Integer.parseInt(w.group(2)) * 60
                    + Double.parseDouble(w.group(3));
        } else if (status.equals("timeout")) {
            wall = options.timeoutSeconds();
        }
        Matcher r = RSS.matcher(time);
        long rss = r.find() ? Long.parseLong(r.group(1)) : -1;
        String result = status.equals("ok") ? summary(tool, stdout) : firstLine(stderr);
        deletePeerCaches(dump, tmp);
        return new Run(name, census.fileBytes(), census.objects(), census.references(), tool, round, status, wall, rss,
                result, options.xmx(), started);
    }

    /** The cross-check line: objects, classes, total shallow, largest retained, in the tool's own conventions. */
    static String summary(String tool, String stdout) {
        if (tool.equals("heaplens")) {
            // the JSON of `analyze --format json`: the summary first, then the top dominators
            String objects = field(stdout, "objects");
            String classes = field(stdout, "classesWithInstances");
            String shallow = field(stdout, "shallowBytes");
            int dominators = stdout.indexOf("\"topDominators\"");
            String largest = dominators < 0 ? "?" : field(stdout.substring(dominators), "retainedBytes");
            String largestClass = dominators < 0 ? "?" : stringField(stdout.substring(dominators), "class");
            return "objects=" + objects + " classesWithInstances=" + classes + " shallow=" + shallow
                    + " largestRetained=" + largest + " largestClass=" + largestClass;
        }
        for (String line : stdout.split("\n")) {
            if (line.startsWith("RESULT ")) {
                return line.substring("RESULT ".length()).replaceFirst("^tool=\\S+ ", "");
            }
        }
        return "no RESULT line";
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(-?\\d+)").matcher(json);
        return m.find() ? m.group(1) : "?";
    }

    private static String stringField(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "?";
    }

    /**
     * Deletes what a peer keeps between runs: NetBeans' index ({@code DUMP.nbcache}, or
     * {@code DUMP_N.nbcache}, a directory beside the dump; older releases used {@code .hwcache}) and
     * everything in the run's temporary directory, where NetBeans writes its index files when the
     * dump's directory is not writable. Shark and heaplens keep nothing.
     */
    static void deletePeerCaches(Path dump, Path tmp) throws IOException {
        String base = dump.getFileName().toString();
        try (Stream<Path> siblings = Files.list(dump.toAbsolutePath().getParent())) {
            for (Path p : (Iterable<Path>) siblings::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith(base) && (n.endsWith(".nbcache") || n.endsWith(".hwcache"))) {
                    deleteRecursively(p);
                }
            }
        }
        deleteRecursively(tmp);
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }

    /**
     * The RSS of a JVM with the same {@code -Xmx} that loads the CLI and does nothing
     * ({@code bin/heaplens --help}): what every run pays before it reads a byte. Median of three.
     */
    private static long baselineRss(Path cli, Options options, Path work) throws IOException, InterruptedException {
        List<Long> rss = new ArrayList<>();
        Path timeFile = work.resolve("baseline.time");
        for (int i = 0; i < 3; i++) {
            List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-v", "-o", timeFile.toString()));
            command.addAll(launcher(cli, "-Xmx" + options.xmx()));
            command.add("--help");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("baseline.out").toFile()).start();
            p.waitFor();
            Matcher r = RSS.matcher(Files.readString(timeFile));
            if (r.find()) {
                rss.add(Long.parseLong(r.group(1)));
            }
        }
        rss.sort(null);
        return rss.isEmpty() ? 0 : rss.get(rss.size() / 2);
    }

    /** The census of a dump, cached beside it ({@code DUMP.census}), since reading 2 GB takes a while. */
    private static HprofCensus census(Path dump) throws IOException {
        Path cached = dump.resolveSibling(dump.getFileName() + ".census");
        if (Files.isRegularFile(cached) && Files.getLastModifiedTime(cached).compareTo(Files.getLastModifiedTime(dump)) >= 0) {
            String[] f = Files.readString(cached).strip().split(" ");
            return new HprofCensus(Long.parseLong(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]));
        }
        HprofCensus c = HprofCensus.of(dump);
        Files.writeString(cached, c.fileBytes() + " " + c.idSize() + " " + c.classes() + " " + c.instances() + " "
                + c.objectArrays() + " " + c.primitiveArrays() + " " + c.references() + " " + c.roots() + "\n");
        return c;
    }

    static List<Run> readRuns(Path tsv) throws IOException {
        if (!Files.isRegularFile(tsv)) {
            throw new IllegalStateException("no " + tsv + ": run the comparison first");
        }
        List<Run> runs = new ArrayList<>();
        for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("dump\t")) {
                runs.add(Run.parse(line));
            }
        }
        return runs;
    }

    private static String machine() {
        String cpu = "?";
        long memKb = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memKb = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // leave the unknowns
        }
        return String.format(Locale.ROOT, "%d cores (%s), %.0f GB, %s %s (%s), %s", Runtime.getRuntime().availableProcessors(), cpu,
                memKb / 1024.0 / 1024.0, System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), loadAverage());
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return "load average " + f[0] + " " + f[1] + " " + f[2] + " at " + Instant.now().truncatedTo(ChronoUnit.MINUTES);
        } catch (IOException e) {
            return "load average unknown";
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String classPath() {
        return System.getProperty("java.class.path");
    }

    /** {@code benchmarks/}: the parent of {@code target/}. */
    static Path benchmarksDir() {
        try {
            Path codeSource = Path.of(PeerComparison.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return codeSource.toAbsolutePath().getParent().getParent();
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("").toAbsolutePath();
        }
    }

    /**
     * heaplens as a user runs it: {@code bin/heaplens} (its JVM options: C1 only, transparent huge pages
     * where the kernel offers them) on {@code cli}, with this JDK and {@code javaOptions}.
     */
    static List<String> launcher(Path cli, String javaOptions) {
        return List.of("env", "JAVA_HOME=" + System.getProperty("java.home"), "HEAPLENS_JAR=" + cli,
                "HEAPLENS_JAVA_OPTS=" + javaOptions, "sh", benchmarksDir().getParent().resolve("bin").resolve("heaplens").toString());
    }

    /** The library's CLI jar beside the benchmarks: {@code ../target/heaplens-cli.jar}. */
    private static Path defaultCli() {
        return benchmarksDir().getParent().resolve("target").resolve("heaplens-cli.jar");
    }

    private static String firstLine(String s) {
        for (String line : s.split("\n")) {
            if (line.contains("OutOfMemoryError") || line.contains("Exception")) {
                return line.strip();
            }
        }
        String stripped = s.strip();
        return stripped.isEmpty() ? "" : stripped.lines().findFirst().orElse("");
    }

    private static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }

    static void log(String message) {
        System.err.println("[peers] " + message);
    }

    /** Groups runs by dump (in order of size) and tool (in {@link #TOOLS} order). */
    static Map<String, Map<String, List<Run>>> byDumpAndTool(List<Run> runs) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (Run r : runs) {
            sizes.put(r.dump(), r.dumpBytes());
        }
        List<String> dumps = new ArrayList<>(sizes.keySet());
        dumps.sort(Comparator.comparingLong(sizes::get));
        Map<String, Map<String, List<Run>>> grouped = new LinkedHashMap<>();
        for (String d : dumps) {
            Map<String, List<Run>> tools = new LinkedHashMap<>();
            for (String t : TOOLS) {
                List<Run> of = runs.stream().filter(r -> r.dump().equals(d) && r.tool().equals(t)).toList();
                if (!of.isEmpty()) {
                    tools.put(t, of);
                }
            }
            grouped.put(d, tools);
        }
        return grouped;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}

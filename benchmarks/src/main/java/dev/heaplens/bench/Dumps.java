package dev.heaplens.bench;

import dev.heaplens.Heap;
import dev.heaplens.bench.workload.H2Workload;
import dev.heaplens.bench.workload.JavacWorkload;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The dumps the benchmarks read: heaps of real programs, taken from child JVMs, made once and
 * cached.
 *
 * <p>Each workload runs {@link JavacWorkload} in a child JVM over a fixed subset of the JDK's own
 * {@code java.base} sources (from the JDK's {@code src.zip}), so the heap is javac's: symbol
 * tables, types, attributed trees, source buffers. The child dumps itself with
 * {@code HotSpotDiagnosticMXBean.dumpHeap(file, true)} ({@code NAME.hprof}), then the parent takes a
 * second, gzip-compressed dump of the same state with {@code jcmd <pid> GC.heap_dump -gz=1}
 * ({@code NAME.hprof.gz}, asked for as {@code NAME-gz}).
 *
 * <p>The H2 dumps ({@link H2Dump}: {@code h2-small}, {@code h2-medium}, {@code h2-large}) come from
 * {@link H2Workload}, an in-memory database of 0.2, 1.4 or 3 million rows in a child JVM that dumps
 * itself live; they have no gzip twin, and {@link #names()} leaves them out (ask for them by name).
 *
 * <p>Dumps live in {@code benchmarks/target/dumps/} (beside {@code benchmarks.jar}), or in the
 * directory named by {@code -Dheaplens.dumps=DIR}. The sources come from
 * {@code -Dheaplens.jdkSources=src.zip}, else the running JDK's {@code lib/src.zip}, else a copy
 * unpacked from Debian's {@code openjdk-NN-source} package into {@code DIR/jdk-src/} (fetched with
 * {@code apt-get download} the first time, when the JDK ships no sources).
 *
 * <pre>
 * java -cp target/benchmarks.jar dev.heaplens.bench.Dumps            # make all, print a census
 * java -cp target/benchmarks.jar dev.heaplens.bench.Dumps javac-small
 * java -cp target/benchmarks.jar dev.heaplens.bench.Dumps h2-medium   # about 1 GB
 * </pre>
 */
public final class Dumps {

    /** The real workloads, each a javac run over a subset of {@code java.base}. */
    public enum Workload {
        /** About 1.07 million objects, 106 MB: javac attributing {@code java.lang} (301 files). */
        JAVAC_SMALL("javac-small", List.of("java/lang")),
        /** About 1.8 million objects, 188 MB: {@code java.lang}, {@code java.util.concurrent}, {@code java.io}, {@code java.nio}, {@code java.math} (729 files). */
        JAVAC_LARGE("javac-large", List.of("java/lang", "java/util/concurrent", "java/io", "java/nio", "java/math"));

        private final String dumpName;
        private final List<String> packageDirs;

        Workload(String dumpName, List<String> packageDirs) {
            this.dumpName = dumpName;
            this.packageDirs = packageDirs;
        }

        public String dumpName() {
            return dumpName;
        }

        /** Package directories of {@code java.base} (each with its subpackages) that javac compiles. */
        public List<String> packageDirs() {
            return packageDirs;
        }

        static Workload named(String name) {
            for (Workload w : values()) {
                if (w.dumpName.equals(name)) {
                    return w;
                }
            }
            throw new IllegalArgumentException("no workload '" + name + "'; known: javac-small, javac-large "
                    + "(add -gz for the gzip dump), h2-small, h2-medium, h2-large");
        }
    }

    /**
     * The H2 workloads: {@link H2Workload}, an in-memory database of {@code rows} rows, dumped live by
     * the child itself (a plain dump only; about 690 bytes of HPROF and 14.5 objects a row).
     */
    public enum H2Dump {
        /** 200,000 rows: about 140 MB of HPROF, 2.9 million objects. */
        H2_SMALL("h2-small", 200_000),
        /** 1.4 million rows: about 1 GB of HPROF, 20 million objects (the default peer comparison's large dump). */
        H2_MEDIUM("h2-medium", 1_400_000),
        /** Three million rows: about 2 GB of HPROF, 44 million objects ({@code PeerComparison --full}). */
        H2_LARGE("h2-large", 3_000_000);

        private final String dumpName;
        private final long rows;

        H2Dump(String dumpName, long rows) {
            this.dumpName = dumpName;
            this.rows = rows;
        }

        public String dumpName() {
            return dumpName;
        }

        public long rows() {
            return rows;
        }

        static H2Dump named(String name) {
            for (H2Dump d : values()) {
                if (d.dumpName.equals(name)) {
                    return d;
                }
            }
            return null;
        }
    }

    /** The H2 child's heap: three million rows hold about 1.4 GB live, and inserting them needs room to spare. */
    private static final String H2_CHILD_HEAP = "6g";
    private static final String MODULE = "java.base";
    private static final String GZ_SUFFIX = "-gz";

    private Dumps() {
    }

    /** All javac dump names, plain and gzip (the H2 dumps are made only when asked for by name). */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Workload w : Workload.values()) {
            names.add(w.dumpName());
            names.add(w.dumpName() + GZ_SUFFIX);
        }
        return names;
    }

    /**
     * The dump called {@code name} ({@code javac-small}, {@code javac-large}, or either with
     * {@code -gz}), made first if it is not cached yet.
     */
    public static Path path(String name) {
        H2Dump h2 = H2Dump.named(name);
        if (h2 != null) {
            Path plain = directory().resolve(h2.dumpName() + ".hprof");
            ensure(h2.dumpName(), List.of(plain), () -> makeH2(h2, plain));
            return plain;
        }
        boolean gzip = name.endsWith(GZ_SUFFIX);
        Workload workload = Workload.named(gzip ? name.substring(0, name.length() - GZ_SUFFIX.length()) : name);
        Path plain = directory().resolve(workload.dumpName() + ".hprof");
        Path compressed = directory().resolve(workload.dumpName() + ".hprof.gz");
        ensure(workload.dumpName(), List.of(plain, compressed), () -> make(workload, plain, compressed));
        return gzip ? compressed : plain;
    }

    /** The dump called {@code name}, opened as a {@link Heap} (graph built; the caller closes it). */
    public static Heap heap(String name) {
        return Heap.open(path(name));
    }

    /** Where dumps are cached. */
    public static Path directory() {
        String configured = System.getProperty("heaplens.dumps");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        try {
            // benchmarks/target/benchmarks.jar or benchmarks/target/classes: either way, target/dumps.
            Path codeSource = Path.of(Dumps.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return codeSource.toAbsolutePath().getParent().resolve("dumps");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("target", "dumps").toAbsolutePath();
        }
    }

    public static void main(String[] args) throws IOException {
        List<String> names = args.length == 0 ? names() : List.of(args);
        for (String name : names) {
            Path dump = path(name);
            System.out.println(name + ": " + dump);
            System.out.println("  " + HprofCensus.of(dump));
        }
    }

    // ---------------------------------------------------------------------------------------------

    private interface Maker {
        void make() throws IOException;
    }

    /** Runs {@code maker} under the directory's lock unless every one of {@code files} is there. */
    private static synchronized void ensure(String name, List<Path> files, Maker maker) {
        if (files.stream().allMatch(Files::isRegularFile)) {
            return;
        }
        try {
            Files.createDirectories(directory());
            // Several JMH forks (or a Report and a fork) may start at once: one makes, the others wait.
            try (FileChannel lockFile = FileChannel.open(directory().resolve(".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = lockFile.lock()) {
                if (!files.stream().allMatch(Files::isRegularFile)) {
                    maker.make();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make dump " + name + " in " + directory(), e);
        }
    }

    private static void makeH2(H2Dump dump, Path plain) throws IOException {
        Path tmp = directory().resolve(dump.dumpName() + ".tmp.hprof");
        Files.deleteIfExists(tmp);
        log(String.format(Locale.ROOT, "making %s: an in-memory H2 database of %,d rows in a child JVM",
                dump.dumpName(), dump.rows()));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xmx" + H2_CHILD_HEAP, "-XX:+UseParallelGC",
                "-cp", System.getProperty("java.class.path"),
                H2Workload.class.getName(), tmp.toString(), Long.toString(dump.rows()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                log("  child: " + line);
            }
            if (!child.waitFor(20, TimeUnit.MINUTES) || child.exitValue() != 0) {
                throw new IOException("workload child failed: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making " + dump.dumpName(), e);
        } finally {
            child.destroy();
        }
        if (!Files.isRegularFile(tmp)) {
            throw new IOException("workload child wrote no dump: " + command);
        }
        Files.move(tmp, plain, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log(String.format(Locale.ROOT, "made %s (%,d bytes)", plain.getFileName(), Files.size(plain)));
    }

    private static void make(Workload workload, Path plain, Path compressed) throws IOException {
        Path sources = extractSources(workload);
        Path tmpPlain = directory().resolve(workload.dumpName() + ".tmp.hprof"); // HotSpot insists on .hprof
        Path tmpCompressed = directory().resolve(workload.dumpName() + ".tmp.hprof.gz");
        Files.deleteIfExists(tmpPlain);
        Files.deleteIfExists(tmpCompressed);
        log("making " + workload.dumpName() + ": javac over " + workload.packageDirs() + " in a child JVM");

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xmx3g", "-XX:+UseParallelGC",
                "-cp", System.getProperty("java.class.path"),
                JavacWorkload.class.getName(), tmpPlain.toString(), MODULE, sources.toString(), "analyze", "--await");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                log("  child: " + line);
                if (line.startsWith("READY ")) {
                    jcmdGzipDump(Long.parseLong(line.substring(6).trim()), tmpCompressed);
                    child.getOutputStream().close(); // lets the child exit
                }
            }
            if (!child.waitFor(10, TimeUnit.MINUTES) || child.exitValue() != 0) {
                throw new IOException("workload child failed: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making " + workload.dumpName(), e);
        } finally {
            child.destroy();
        }
        if (!Files.isRegularFile(tmpPlain) || !Files.isRegularFile(tmpCompressed)) {
            throw new IOException("workload child wrote no dump: " + command);
        }
        Files.move(tmpCompressed, compressed, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmpPlain, plain, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log(String.format(Locale.ROOT, "made %s (%,d bytes) and %s (%,d bytes)",
                plain.getFileName(), Files.size(plain), compressed.getFileName(), Files.size(compressed)));
    }

    private static void jcmdGzipDump(long pid, Path file) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<String> command = List.of(jcmd.toString(), Long.toString(pid), "GC.heap_dump", "-gz=1", file.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("jcmd failed: " + command + "\n" + output);
        }
        log("  jcmd: " + output.strip().replace('\n', ' '));
    }

    /** Unpacks the workload's packages of {@code java.base} (with subpackages) into {@code DIR/src/NAME}. */
    private static Path extractSources(Workload workload) throws IOException {
        Path target = directory().resolve("src").resolve(workload.dumpName());
        deleteRecursively(target);
        Path zip = jdkSources();
        int files = 0;
        try (ZipFile sources = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : Collections.list(sources.entries())) {
                String name = entry.getName();
                if (entry.isDirectory() || !name.endsWith(".java") || !name.startsWith(MODULE + "/")) {
                    continue;
                }
                String relative = name.substring(MODULE.length() + 1);
                if (workload.packageDirs().stream().noneMatch(dir -> relative.startsWith(dir + "/"))) {
                    continue;
                }
                Path out = target.resolve(relative);
                Files.createDirectories(out.getParent());
                try (InputStream in = sources.getInputStream(entry)) {
                    Files.copy(in, out);
                }
                files++;
            }
        }
        if (files == 0) {
            throw new IOException("no sources of " + workload.packageDirs() + " in " + zip);
        }
        log("  " + files + " source files from " + zip);
        return target;
    }

    /** The JDK's {@code src.zip}; see the class comment for where it is looked for. */
    static Path jdkSources() throws IOException {
        String configured = System.getProperty("heaplens.jdkSources");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path shipped = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        if (Files.isRegularFile(shipped)) {
            return shipped;
        }
        int feature = Runtime.version().feature();
        Path unpacked = directory().resolve("jdk-src");
        Path zip = unpacked.resolve("usr/lib/jvm/openjdk-" + feature + "/lib/src.zip");
        if (Files.isRegularFile(zip)) {
            return zip;
        }
        // Debian's JDK keeps its sources in a separate package. Installing it would upgrade the JDK
        // the benchmarks run on, so fetch the package file only and unpack it here.
        Files.createDirectories(unpacked);
        String pkg = "openjdk-" + feature + "-source";
        log(shipped + " is missing: fetching " + pkg + " with apt-get download into " + unpacked);
        run(unpacked, "apt-get", "download", pkg);
        Path deb;
        try (Stream<Path> list = Files.list(unpacked)) {
            deb = list.filter(p -> p.getFileName().toString().startsWith(pkg + "_"))
                    .filter(p -> p.getFileName().toString().endsWith(".deb"))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IOException("apt-get download left no " + pkg + " package in " + unpacked));
        }
        run(unpacked, "dpkg-deb", "-x", deb.toString(), unpacked.toString());
        Files.delete(deb);
        if (!Files.isRegularFile(zip)) {
            throw new IOException("no " + zip + " in " + deb + "; pass -Dheaplens.jdkSources=PATH/src.zip");
        }
        return zip;
    }

    private static void run(Path dir, String... command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed; pass -Dheaplens.jdkSources=PATH/src.zip "
                        + "to use JDK sources from elsewhere\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private static void log(String message) {
        System.err.println("[dumps] " + message);
    }
}

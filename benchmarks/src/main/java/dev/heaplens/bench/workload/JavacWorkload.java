package dev.heaplens.bench.workload;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.JavacTask;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * A real program whose heap the benchmarks read: javac, holding the attributed trees and symbol
 * tables of a few hundred JDK source files.
 *
 * <p>Runs in a child JVM started by {@code Dumps}. It compiles (parse, then enter + attribute +
 * flow, no code generation) every {@code .java} file under a source directory as a patch of the module
 * they belong to, keeps the compiler reachable from a static field, and dumps its own heap with
 * {@link HotSpotDiagnosticMXBean#dumpHeap(String, boolean)} ({@code live = true}, so a full GC
 * runs first and the dump holds only reachable objects).
 *
 * <pre>
 * java -cp benchmarks.jar dev.heaplens.bench.workload.JavacWorkload \
 *      OUT.hprof MODULE SOURCE_DIR [parse|analyze] [--await]
 * </pre>
 *
 * <p>With {@code --await} it prints {@code READY <pid>} after the dump and then waits for its
 * standard input to close, so that the parent can take a second dump of the same state with
 * {@code jcmd <pid> GC.heap_dump -gz=1}.
 */
public final class JavacWorkload {

    /** What the dump holds: the task, its trees and the elements it entered. Never cleared. */
    static volatile Object[] retained;

    private JavacWorkload() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: JavacWorkload OUT.hprof MODULE SOURCE_DIR [parse|analyze] [--await]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        String module = args[1];
        Path sourceDir = Path.of(args[2]);
        boolean analyze = args.length < 4 || !"parse".equals(args[3]);
        boolean await = List.of(args).contains("--await");

        List<Path> files;
        try (Stream<Path> walk = Files.walk(sourceDir)) {
            files = walk.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.getFileName().toString().equals("module-info.java"))
                    .sorted()
                    .collect(Collectors.toList());
        }

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager fileManager =
                javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
        Iterable<? extends JavaFileObject> units = fileManager.getJavaFileObjectsFromPaths(files);
        List<String> options = List.of(
                "--patch-module", module + "=" + sourceDir,
                "-proc:none",
                "-implicit:none",
                "-Xlint:none",
                "-nowarn",
                "-XDsuppressNotes",
                "-Xmaxerrs", "100000");
        JavacTask task = (JavacTask) javac.getTask(null, fileManager, diagnostics, options, null, units);

        long start = System.nanoTime();
        List<CompilationUnitTree> trees = new ArrayList<>();
        task.parse().forEach(trees::add);
        List<Element> elements = new ArrayList<>();
        if (analyze) { // enters, attributes and flow-analyses every tree
            task.analyze().forEach(elements::add);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;

        long errors = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR).count();
        retained = new Object[] {task, fileManager, diagnostics, trees, elements};

        System.out.printf(Locale.ROOT, "javac %s: %d files, %d trees, %d elements, %d errors, %d ms%n",
                analyze ? "parse+analyze" : "parse", files.size(), trees.size(), elements.size(), errors, millis);
        diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .limit(5)
                .forEach(d -> System.out.println("  " + d.toString().lines().findFirst().orElse("")));

        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.deleteIfExists(out);
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        hotspot.dumpHeap(out.toString(), true);
        System.out.println("dumped " + out + " (" + Files.size(out) + " bytes)");

        if (await) {
            System.out.println("READY " + ProcessHandle.current().pid());
            System.out.flush();
            awaitEndOfInput();
        }
        // Keep the state reachable up to here, whatever the JIT decides about locals.
        if (retained.length == 0) {
            System.out.println(task);
        }
    }

    private static void awaitEndOfInput() throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            while (in.readLine() != null) {
                // the parent closes our input once it has what it needs
            }
        }
    }
}

package dev.heaplens.leaks;

import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs what {@code examples/leaks} shows, so it cannot rot: the JUnit example (compiled with the
 * tests) through the JUnit Platform — the leaky screen's test fails with the path through
 * {@code EventBus.LISTENERS}, the fixed one passes — and the JShell script through {@code jdk.jshell},
 * in a JShell execution JVM as {@code jshell} itself would start one.
 */
class ExamplesTest {
    private static final Path EXAMPLES = Path.of("examples", "leaks");

    @TempDir
    Path dumps;

    @Test
    void theJUnitExampleCatchesTheLeakyScreenAndPassesTheFixedOne() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .selectors(DiscoverySelectors.selectClass("leaks.ListenerLeakTest"))
                .configurationParameter(LeakCheckOptions.DUMP_DIRECTORY_KEY, dumps.toString())
                .configurationParameter(LeakCheckOptions.KEEP_DUMPS_KEY, "false")
                .execute().testEvents();
        tests.assertStatistics(s -> s.started(2).succeeded(1).failed(1));
        assertEquals(List.of("closedScreenIsCollected(LeakWatcher)"),
                tests.succeeded().list().stream().map(e -> e.getTestDescriptor().getDisplayName()).toList());
        Event failed = tests.failed().list().get(0);
        assertEquals("closedLeakyScreenIsCollected(LeakWatcher)", failed.getTestDescriptor().getDisplayName());
        LeakAssertionError e = assertInstanceOf(LeakAssertionError.class,
                failed.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow());
        String m = e.getMessage();
        assertTrue(Pattern.compile("\"leaky screen after close\\(\\)\": leaks\\.LeakyScreen@0x\\p{XDigit}+ \\([^)]+\\)\nclass ")
                .matcher(m).find(), m);
        assertTrue(Pattern.compile("\nclass leaks\\.EventBus@0x\\p{XDigit}+ \\([^)]*\\), held by the app class loader \\(GC root: JNI"
                + " global, jdk\\.internal\\.loader\\.ClassLoaders\\$AppClassLoader@0x\\p{XDigit}+\\)\n"
                + " +static EventBus\\.LISTENERS +→ java\\.util\\.ArrayList@0x\\p{XDigit}+ \\([^)]*\\)\n"
                + " +\\.elementData +→ java\\.lang\\.Object\\[\\]@0x\\p{XDigit}+ \\([^)]*\\)\n"
                + " +\\[\\d+\\] +→ leaks\\.LeakyScreen@0x\\p{XDigit}+ \\([^)]*\\)\n").matcher(m).find(), m);
    }

    @Test
    void theJShellScriptShowsTheLeakThenTheCollection() throws IOException {
        String script = Files.readString(EXAMPLES.resolve("watch-an-object.jsh"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        try (JShell shell = JShell.builder().out(print).err(print)
                .remoteVMOptions("-D" + LeakCheckOptions.DUMP_DIRECTORY_KEY + "=" + dumps, "-Xmx256m").build()) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (!Path.of(entry).getFileName().toString().startsWith("junit-")) {
                    shell.addToClasspath(entry);
                }
            }
            for (String snippet : snippets(shell.sourceCodeAnalysis(), script)) {
                for (SnippetEvent event : shell.eval(snippet)) {
                    if (event.exception() != null || event.status() == Snippet.Status.REJECTED) {
                        problems.add(snippet + " → " + (event.exception() != null ? event.exception() : "rejected: "
                                + shell.diagnostics(event.snippet()).map(d -> d.getMessage(null)).toList()));
                    }
                }
            }
        }
        String text = out.toString(StandardCharsets.UTF_8);
        if (!problems.isEmpty()) {
            fail("the script failed: " + problems + "\noutput:\n" + text);
        }
        assertTrue(text.startsWith("1 of 1 watched object was not garbage-collected"), text);
        assertTrue(Pattern.compile("static \\$JShell\\$\\d+\\.cache +→ java\\.util\\.HashMap@.*\n"
                + " +\\.table +→ java\\.util\\.HashMap\\$Node\\[\\]@.*\n"
                + " +\\[\\d+\\] +→ java\\.util\\.HashMap\\$Node@.*\n"
                + " +\\.value +→ java\\.lang\\.StringBuilder@").matcher(text).find(), text);
        assertTrue(text.contains("Heap dump kept: " + dumps.toAbsolutePath()), text);
        assertTrue(text.endsWith("after cache.clear(): LeakWatcher: 0 watched objects not collected yet\n"), text);
        assertEquals(1, KeptDumps.in(dumps).size(), "the failed check's dump, and none of the passing one");
    }

    /** The script's snippets as JShell reads them; commands ({@code /exit}) and comments left out. */
    private static List<String> snippets(SourceCodeAnalysis analysis, String script) {
        StringBuilder source = new StringBuilder();
        for (String line : script.lines().toList()) {
            if (!line.startsWith("/")) {
                source.append(line).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        String rest = source.toString();
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                break;
            }
            if (!info.completeness().isComplete()) {
                throw new IllegalStateException("incomplete snippet at the end of the script: " + rest);
            }
            out.add(info.source());
            rest = info.remaining();
        }
        return out;
    }
}

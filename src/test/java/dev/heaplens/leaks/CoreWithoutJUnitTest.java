package dev.heaplens.leaks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JUnit is an optional dependency: {@link LeakWatcher} and {@link HeapAssertions} pass and fail in a
 * JVM whose class path has no JUnit (nor opentest4j), and only {@code dev.heaplens.leaks.junit}
 * imports JUnit.
 */
class CoreWithoutJUnitTest {
    @TempDir
    Path temp;

    private static boolean isJUnit(String entry) {
        String name = Path.of(entry).getFileName().toString();
        return name.startsWith("junit-") || name.startsWith("opentest4j") || name.startsWith("apiguardian")
                || name.startsWith("assertj");
    }

    @Test
    void leakAssertionsWorkWithoutJUnitOnTheClassPath() throws IOException, InterruptedException {
        String[] full = System.getProperty("java.class.path").split(File.pathSeparator);
        assertTrue(Arrays.stream(full).anyMatch(CoreWithoutJUnitTest::isJUnit), "this JVM's class path names JUnit's jars");
        String classPath = Arrays.stream(full).filter(e -> !isJUnit(e)).collect(Collectors.joining(File.pathSeparator));

        // HeapAssertions takes its settings from system properties: dumps here, none kept
        ChildProgram child = ChildProgram.run(classPath, List.of("-Xmx128m", "-D" + LeakCheckOptions.DUMP_DIRECTORY_KEY + "=" + temp,
                "-D" + LeakCheckOptions.KEEP_DUMPS_KEY + "=false"), 120, WithoutJUnitProgram.class, temp.toString());
        String out = child.output();
        assertEquals(0, child.exitCode(), out);
        List<String> lines = out.lines().toList();
        assertEquals("NO JUNIT", lines.get(0), out);
        assertEquals(List.of("NO JUNIT", "COLLECTED", "NO INSTANCES", "LEAK REPORTED", "INSTANCE REPORTED"),
                lines.stream().filter(l -> l.matches("[A-Z ]+")).toList(), out);
        String registered = WithoutJUnitProgram.Registered.class.getName();
        assertTrue(out.contains("\"left in the registry\": " + registered + "@"), out);
        assertTrue(out.contains("static WithoutJUnitProgram.REGISTRY"), out);
        assertTrue(out.contains("Expected no instances of " + registered + " (subclasses included), found 1 strongly reachable"), out);
        assertTrue(out.contains("Heap dump deleted (heaplens.leaks.keep-dumps=false)."), out);
        try (Stream<Path> files = Files.list(temp)) {
            assertEquals(List.of(), files.toList(), "keepDumps(false): no dump left");
        }
    }

    private static final Pattern JUNIT_USE = Pattern.compile("org\\.junit\\.(jupiter|platform)\\.");

    /** Only the extension's package may import (or name) JUnit's classes; everything else must load without it. */
    @Test
    void onlyTheJUnitSubpackageImportsJUnit() throws IOException {
        Path main = Path.of("src/main/java");
        Path extension = main.resolve("dev/heaplens/leaks/junit");
        try (Stream<Path> sources = Files.walk(main)) {
            List<Path> offenders = sources.filter(f -> f.toString().endsWith(".java") && !f.startsWith(extension))
                    .filter(f -> {
                        try {
                            return JUNIT_USE.matcher(Files.readString(f)).find();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).toList();
            assertEquals(List.of(), offenders);
        }
        try (Stream<Path> sources = Files.list(extension)) {
            assertFalse(sources.toList().isEmpty());
        }
    }
}

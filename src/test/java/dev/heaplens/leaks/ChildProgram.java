package dev.heaplens.leaks;

import dev.heaplens.testing.ChildJvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A main class of the test sources run to completion in a JVM of its own, with a chosen class path
 * and heap: its exit code and everything it printed. Output goes to a file, so a child that hangs
 * is ended after the time limit instead of blocking the reader.
 *
 * @param exitCode the child's exit code
 * @param output   stdout and stderr, interleaved
 */
record ChildProgram(int exitCode, String output) {

    /**
     * Runs {@code main} with {@code args}.
     *
     * @param vmFlags e.g. {@code -Xmx128m}, {@code -Dkey=value}
     */
    static ChildProgram run(String classPath, List<String> vmFlags, long timeoutSeconds, Class<?> main, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ChildJvm.currentJavaHome().resolve("bin/java").toString()));
        cmd.addAll(vmFlags);
        cmd.addAll(List.of("-cp", classPath, main.getName()));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("heaplens-child", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (!done) {
                throw new IllegalStateException(main.getSimpleName() + " did not finish in " + timeoutSeconds + " s:\n" + out);
            }
            return new ChildProgram(p.exitValue(), out);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}

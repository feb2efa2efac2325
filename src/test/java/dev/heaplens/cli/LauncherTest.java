package dev.heaplens.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/heaplens}, the launcher: it runs the command line with C1 only and, where the kernel offers them,
 * transparent huge pages; it says what to do when there is no jar.
 */
class LauncherTest {
    record Run(int status, String out, String err) {
    }

    private static Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 2];
        command[0] = "sh";
        command[1] = Path.of("bin", "heaplens").toString();
        System.arraycopy(args, 0, command, 2, args.length);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("HEAPLENS_JAVA_OPTS");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void itRunsTheCommandLineWithTheC1CompilerOnlyAndSmallHeapRegions() throws Exception {
        Run r = launch(Map.of("HEAPLENS_CLASSPATH", System.getProperty("java.class.path"),
                "HEAPLENS_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), "--version");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("-XX:TieredStopAtLevel=1"), r.out());
        assertTrue(r.out().contains("-XX:G1HeapRegionSize=1048576"), r.out());
        assertTrue(r.out().contains("heaplens 0.1.0"), r.out());
    }

    /**
     * Transparent huge pages where the kernel offers them, and nowhere else: where it says never, the
     * JVM would print a warning into the output the user pipes.
     */
    @Test
    void itAsksForTransparentHugePagesWhereTheKernelOffersThem() throws Exception {
        Path setting = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        boolean offered = Files.isReadable(setting) && !Files.readString(setting).contains("[never]");
        Run r = launch(Map.of("HEAPLENS_CLASSPATH", System.getProperty("java.class.path"),
                "HEAPLENS_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), "--version");
        assertEquals(0, r.status(), r.err());
        assertEquals(offered, r.out().contains("-XX:+UseTransparentHugePages"), setting + " offered: " + offered + "; " + r.out());
        Run plain = launch(Map.of("HEAPLENS_CLASSPATH", System.getProperty("java.class.path")), "--version");
        assertEquals("heaplens 0.1.0", plain.out().strip(), "nothing but the version on stdout");
        assertEquals("", plain.err(), "nothing on stderr");
    }

    @Test
    void withoutAJarItSaysHowToBuildOne() throws Exception {
        Run r = launch(Map.of("HEAPLENS_JAR", "/nonexistent/heaplens-cli.jar"), "--version");
        assertEquals(1, r.status());
        assertEquals("heaplens: no /nonexistent/heaplens-cli.jar: build it first with: mvn -B -q package -DskipTests", r.err().strip());
    }
}

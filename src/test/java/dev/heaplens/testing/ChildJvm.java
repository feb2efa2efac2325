package dev.heaplens.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a workload main class from the test classpath, which prints
 * {@code READY <pid>} once it is quiescent; {@code jcmd} talks to it.
 */
public final class ChildJvm implements AutoCloseable {
    /** The JDK 25 install on these machines, if present. */
    public static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    private final Path javaHome;
    private final Process process;
    private final long pid;
    private final List<String> output = new ArrayList<>();

    private ChildJvm(Path javaHome, Process process, long pid) {
        this.javaHome = javaHome;
        this.process = process;
        this.pid = pid;
    }

    /** The JDK running these tests. */
    public static Path currentJavaHome() {
        return Path.of(System.getProperty("java.home"));
    }

    /** Starts {@code mainClass} on {@code javaHome}'s java with the given VM flags and waits for READY. */
    public static ChildJvm start(Path javaHome, Class<?> mainClass, List<String> vmFlags, String... args) throws IOException {
        return start(List.of(), javaHome, mainClass, vmFlags, args);
    }

    /** The command prefix that runs a program as user {@code nobody} (tests run as root), or null if it cannot. */
    public static List<String> asNobody() {
        boolean root = "root".equals(System.getProperty("user.name"));
        return root && Files.isExecutable(Path.of("/usr/bin/setpriv"))
                ? List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups") : null;
    }

    /** {@link #start(Path, Class, List, String...)} under a command prefix, e.g. {@link #asNobody()}. */
    public static ChildJvm start(List<String> prefix, Path javaHome, Class<?> mainClass, List<String> vmFlags, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(javaHome.resolve("bin/java").toString());
        cmd.addAll(vmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> seen = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            seen.add(line);
            if (line.startsWith("READY ")) {
                ChildJvm child = new ChildJvm(javaHome, p, Long.parseLong(line.substring(6).trim()));
                child.output.addAll(seen);
                drain(in);
                return child;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        p.destroyForcibly();
        throw new IOException("child JVM did not become ready: " + String.join("\n", seen));
    }

    private static void drain(BufferedReader in) {
        Thread t = new Thread(() -> {
            try {
                while (in.readLine() != null) {
                    // discard: keeps the child from blocking on a full pipe
                }
            } catch (IOException ignored) {
                // the child went away
            }
        }, "child-output");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The JVM's flags as {@code jcmd VM.flags -all} prints them ({@code bool UseCompressedOops = true ...}):
     * name to value, an independent view of what a capture reads through JMX.
     */
    public static java.util.Map<String, String> vmFlags(Path javaHome, long pid) throws IOException, InterruptedException {
        java.util.Map<String, String> flags = new java.util.TreeMap<>();
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("^\\s*\\S+\\s+(\\w+)\\s+:?=\\s+(\\S*)\\s.*$");
        for (String l : jcmd(javaHome, pid, "VM.flags", "-all").split("\n")) {
            java.util.regex.Matcher m = line.matcher(l);
            if (m.matches()) {
                flags.put(m.group(1), m.group(2));
            }
        }
        return flags;
    }

    /** This child's flags ({@link #vmFlags(Path, long)}). */
    public java.util.Map<String, String> vmFlags() throws IOException, InterruptedException {
        return vmFlags(javaHome, pid);
    }

    /** The child's pid. */
    public long pid() {
        return pid;
    }

    /** Runs {@code jcmd <pid> <command...>} from the child's JDK and returns its output. */
    public String jcmd(String... command) throws IOException, InterruptedException {
        return jcmd(javaHome, pid, command);
    }

    /** Runs {@code jcmd <pid> <command...>} from {@code javaHome} and returns its output. */
    public static String jcmd(Path javaHome, long pid, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaHome.resolve("bin/jcmd").toString());
        cmd.add(Long.toString(pid));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    /** Dumps the child's live heap to {@code target} with jcmd. */
    public Path heapDump(Path target, boolean gzip) throws IOException, InterruptedException {
        Files.deleteIfExists(target);
        if (gzip) {
            jcmd("GC.heap_dump", "-gz=1", target.toString());
        } else {
            jcmd("GC.heap_dump", target.toString());
        }
        return target;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

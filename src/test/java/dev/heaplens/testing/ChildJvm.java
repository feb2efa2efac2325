package dev.heaplens.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a workload main class from the test classpath, which prints
 * {@code READY <pid>} once it is quiescent; {@code jcmd} talks to it. A workload that reads its
 * stdin can be driven in steps: {@link #step} sends it a line and waits for its next {@code READY}.
 */
public final class ChildJvm implements AutoCloseable {
    /** The JDK 25 install on these machines, if present. */
    public static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    private static final int KEPT_LINES = 200;

    private final Path javaHome;
    private final Process process;
    private final long pid;
    /** The latest lines of output, for error messages; the reader thread appends. */
    private final Deque<String> output;
    private final BlockingQueue<String> readyLines;

    private ChildJvm(Path javaHome, Process process, long pid, Deque<String> output, BlockingQueue<String> readyLines) {
        this.javaHome = javaHome;
        this.process = process;
        this.pid = pid;
        this.output = output;
        this.readyLines = readyLines;
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
        Deque<String> output = new ArrayDeque<>();
        BlockingQueue<String> ready = new LinkedBlockingQueue<>();
        read(p, output, ready);
        String first = awaitReady(p, output, ready);
        return new ChildJvm(javaHome, p, Long.parseLong(first.substring(6).trim()), output, ready);
    }

    /** Reads the child's output on a daemon thread (so the child never blocks on a full pipe), queueing READY lines. */
    private static void read(Process p, Deque<String> output, BlockingQueue<String> ready) {
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Thread t = new Thread(() -> {
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (output) {
                        output.addLast(line);
                        if (output.size() > KEPT_LINES) {
                            output.removeFirst();
                        }
                    }
                    if (line.startsWith("READY ")) {
                        ready.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the child went away
            }
        }, "child-output");
        t.setDaemon(true);
        t.start();
    }

    private static String awaitReady(Process p, Deque<String> output, BlockingQueue<String> ready) throws IOException {
        try {
            String line = ready.poll(60, TimeUnit.SECONDS);
            if (line != null) {
                return line;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.destroyForcibly();
        String seen;
        synchronized (output) {
            seen = String.join("\n", output);
        }
        throw new IOException("child JVM did not become ready: " + seen);
    }

    /** Sends {@code line} to the child's stdin and waits until it prints {@code READY} again. */
    public void step(String line) throws IOException {
        var stdin = process.getOutputStream();
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        awaitReady(process, output, readyLines);
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

    /** A value of the JDK's {@code release} file ({@code IMPLEMENTOR="Debian"}), unquoted, or {@code null}. */
    public static String release(Path javaHome, String key) throws IOException {
        for (String line : Files.readAllLines(javaHome.resolve("release"), StandardCharsets.UTF_8)) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).replace("\"", "");
            }
        }
        return null;
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

package dev.heaplens.capture;

import dev.heaplens.Heap;
import dev.heaplens.fixtures.CaptureClient;
import dev.heaplens.fixtures.CaptureWorkload;
import dev.heaplens.testing.ChildJvm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every capture failure that can be produced on this machine, each with the message a user reads.
 *
 * <p>The tests run as root, for whom permission bits do not apply; an unwritable directory is made
 * real in two ways that hold for root too: a "directory" below a regular file (heaplens' own check),
 * and a dumping JVM that runs as {@code nobody} asked to write into root's 0700 temporary directory
 * (the JVM's own error, passed on). A full disk is a 1 MB tmpfs mounted for the test.
 */
class CaptureErrorsTest {
    static ChildJvm child;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() throws IOException {
        child = ChildJvm.start(ChildJvm.currentJavaHome(), CaptureWorkload.class, List.of("-Xmx64m"));
    }

    @AfterAll
    static void stop() {
        child.close();
    }

    private static CaptureException failure(CaptureException.Reason reason, org.junit.jupiter.api.function.Executable capture) {
        CaptureException e = assertThrows(CaptureException.class, capture);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    @Test
    void aProcessThatIsGone() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        CaptureException e = failure(CaptureException.Reason.NO_SUCH_PROCESS, () -> Heap.capture(p.pid()));
        assertEquals("no process with pid " + p.pid() + " (has it ended? 'jcmd -l' lists the JVMs this user can see)", e.getMessage());
    }

    @Test
    void aProcessThatIsNotAJvmIsLeftAlone() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            CaptureException e = failure(CaptureException.Reason.NOT_HOTSPOT, () -> ProcessMemory.of(sleep.pid()));
            assertEquals("process " + sleep.pid() + " (sleep) is not a Java virtual machine (no libjvm.so is loaded): heaplens"
                    + " captures HotSpot JVMs (OpenJDK, Oracle, Temurin, ...); 'jcmd -l' lists them", e.getMessage());
            Thread.sleep(200);
            assertTrue(sleep.isAlive(), "no attach signal (SIGQUIT) was sent to a program that is not a JVM");
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void aProtectedProcessWithoutSignOfAJvmIsLeftAlone() {
        // pid 1 of this sandbox is its init program, whose memory map even root cannot read
        Assumptions.assumeFalse(Files.isReadable(Path.of("/proc/1/maps")) && readable(Path.of("/proc/1/maps")),
                "needs a process whose /proc/<pid>/maps is not readable");
        Assumptions.assumeFalse(Files.exists(Path.of("/tmp/.java_pid1")), "pid 1 is a JVM here");
        CaptureException e = failure(CaptureException.Reason.NOT_HOTSPOT, () -> Heap.capture(1));
        assertTrue(e.getMessage().startsWith("process 1 ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("shows no sign of a HotSpot JVM (its memory map is not readable, and it has no"
                + " hsperfdata file or attach socket): heaplens does not signal it; 'jcmd -l' lists the JVMs"), e.getMessage());
    }

    private static boolean readable(Path file) {
        try {
            Files.readAllBytes(file);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aJvmThatDisablesAttach() throws Exception {
        try (ChildJvm closed = ChildJvm.start(ChildJvm.currentJavaHome(), CaptureWorkload.class,
                List.of("-Xmx64m", "-XX:+DisableAttachMechanism"))) {
            CaptureException e = failure(CaptureException.Reason.ATTACH_REFUSED, () -> Heap.capture(closed.pid()));
            assertEquals("process " + closed.pid() + " refuses attach requests: it runs with -XX:+DisableAttachMechanism."
                    + " Restart it without that flag to capture it from outside, or dump it from inside"
                    + " (HotSpotDiagnosticMXBean, -XX:+HeapDumpOnOutOfMemoryError)", e.getMessage());
        }
    }

    @Test
    void anExistingTargetIsNeverOverwritten() throws Exception {
        Path existing = Files.writeString(temp.resolve("app.hprof"), "mine");
        CaptureException e = failure(CaptureException.Reason.TARGET_EXISTS,
                () -> Heap.capture(child.pid(), CaptureOptions.defaults().to(existing)));
        assertEquals(existing + " already exists: heaplens never overwrites a file; choose another name or a directory", e.getMessage());
        assertEquals("mine", Files.readString(existing));
        // nor is an existing sidecar; and this JVM's own capture checks the same
        Path sidecar = Files.writeString(temp.resolve("other.hprof.json"), "{}");
        CaptureException own = failure(CaptureException.Reason.TARGET_EXISTS,
                () -> Heap.capture(CaptureOptions.defaults().to(temp.resolve("other.hprof"))));
        assertEquals(sidecar + " already exists: heaplens never overwrites a file; choose another name or a directory", own.getMessage());
        assertEquals("{}", Files.readString(sidecar));
        try (Stream<Path> files = Files.list(temp)) {
            assertEquals(2, files.count(), "nothing else was written");
        }
    }

    @Test
    void aDirectoryBelowARegularFile() throws Exception {
        Path file = Files.writeString(temp.resolve("notes.txt"), "not a directory");
        Path target = file.resolve("dumps").resolve("app.hprof");
        CaptureException e = failure(CaptureException.Reason.UNWRITABLE,
                () -> Heap.capture(child.pid(), CaptureOptions.defaults().to(target)));
        assertEquals("cannot write the heap dump " + target + ": " + file + " is a file, not a directory", e.getMessage());
        CaptureException missing = failure(CaptureException.Reason.UNWRITABLE,
                () -> Heap.capture(CaptureOptions.defaults().in(temp.resolve("nowhere"))));
        assertEquals("cannot write a heap dump into " + temp.resolve("nowhere") + ": directory " + temp.resolve("nowhere")
                + " does not exist", missing.getMessage());
    }

    @Test
    void aDirectoryTheDumpingJvmCannotWrite() throws Exception {
        List<String> nobody = ChildJvm.asNobody();
        Assumptions.assumeTrue(nobody != null, "needs root and setpriv to run a JVM as another user");
        try (ChildJvm other = ChildJvm.start(nobody, ChildJvm.currentJavaHome(), CaptureWorkload.class, List.of("-Xmx64m"))) {
            Path target = temp.resolve("app.hprof"); // @TempDir is root's, mode 0700
            CaptureException e = failure(CaptureException.Reason.UNWRITABLE,
                    () -> Heap.capture(other.pid(), CaptureOptions.defaults().to(target)));
            assertEquals("process " + other.pid() + " cannot write the heap dump " + target + ": Permission denied. The JVM being"
                    + " dumped writes the file itself, as its own user (nobody): choose a directory that user can write", e.getMessage());
        }
    }

    /**
     * A {@code .java_pid<pid>} socket of root's, left by a JVM that was killed, with the pid a JVM of
     * {@code nobody}'s has now: that JVM cannot remove it, and attaching connected to the dead socket
     * ("Connection refused", seen in CI).
     */
    @Test
    void aDeadAttachSocketOfAnotherUserIsRemovedBeforeAttaching() throws Exception {
        List<String> nobody = ChildJvm.asNobody();
        Assumptions.assumeTrue(nobody != null, "needs root and setpriv to run a JVM as another user");
        try (ChildJvm other = ChildJvm.start(nobody, ChildJvm.currentJavaHome(), CaptureWorkload.class, List.of("-Xmx64m"))) {
            Path socket = AttachListener.socketFile(other.pid());
            Assumptions.assumeFalse(Files.exists(socket), "the child's attach listener is already running");
            try (java.nio.channels.ServerSocketChannel dead = java.nio.channels.ServerSocketChannel.open(
                    java.net.StandardProtocolFamily.UNIX)) {
                dead.bind(java.net.UnixDomainSocketAddress.of(socket));
            }
            assertTrue(Files.exists(socket), "a closed socket leaves its file");
            String version = AttachListener.of(TargetProcess.check(other.pid()), other.pid()).jcmd("VM.version");
            assertTrue(version.contains("JDK"), version);
            assertEquals(65534, ((Number) Files.getAttribute(socket, "unix:uid")).intValue(), "the socket is the child's own now");
        }
    }

    @Test
    void anotherUsersProcess() throws Exception {
        List<String> nobody = ChildJvm.asNobody();
        Assumptions.assumeTrue(nobody != null, "needs root and setpriv to run a client as another user");
        List<String> cmd = new ArrayList<>(nobody);
        cmd.addAll(List.of(ChildJvm.currentJavaHome().resolve("bin/java").toString(), "-cp",
                Path.of("target/classes").toAbsolutePath() + ":" + Path.of("target/test-classes").toAbsolutePath(),
                CaptureClient.class.getName(), Long.toString(child.pid())));
        Process client = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(client.waitFor(60, TimeUnit.SECONDS));
        assertEquals("OTHER_USER: process " + child.pid() + " belongs to user root, and heaplens runs as nobody: a JVM accepts"
                + " attach requests only from its own user (or root); run heaplens as root, e.g. sudo -u root java -jar"
                + " heaplens-cli.jar ...", out);
    }

    @Test
    void aFullDisk() throws Exception {
        Path small = Files.createDirectory(temp.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(mount.waitFor(20, TimeUnit.SECONDS) && mount.exitValue() == 0,
                "needs to mount a 1 MB tmpfs (root with CAP_SYS_ADMIN)");
        try {
            CaptureException e = failure(CaptureException.Reason.DISK_FULL,
                    () -> Heap.capture(child.pid(), CaptureOptions.defaults().in(small)));
            assertTrue(e.getMessage().startsWith("the disk filled up while process " + child.pid() + " wrote the heap dump "
                    + small.resolve("heaplens-" + child.pid() + "-")), e.getMessage());
            assertTrue(e.getMessage().endsWith("(No space left on device); the partial dump was deleted: free some space or dump"
                    + " into another directory"), e.getMessage());
            try (Stream<Path> files = Files.list(small)) {
                assertArrayEquals(new Path[0], files.toArray(Path[]::new), "the partial dump was deleted");
            }
        } finally {
            new ProcessBuilder("umount", small.toString()).start().waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void dumpErrorsAreClassifiedByTheirSystemMessage() {
        Path f = Path.of("/data/app.hprof");
        assertEquals(CaptureException.Reason.TARGET_EXISTS, DumpFailure.of(1, "app", f, "File exists").reason());
        assertEquals(CaptureException.Reason.DISK_FULL, DumpFailure.of(1, "app", f, "Disk quota exceeded").reason());
        assertEquals(CaptureException.Reason.UNWRITABLE, DumpFailure.of(1, "app", f, "Read-only file system").reason());
        CaptureException other = DumpFailure.of(1, "app", f, "Input/output error");
        assertEquals(CaptureException.Reason.FAILED, other.reason());
        assertEquals("heap dump of process 1 to /data/app.hprof failed: Input/output error", other.getMessage());
    }
}

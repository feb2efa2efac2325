package dev.heaplens.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What can be learnt about a process before attaching to it, so that the common mistakes get a clear
 * message instead of an attach timeout: it does not exist, it belongs to another user, it is not a
 * HotSpot JVM. The last matters: attaching signals the process ({@code SIGQUIT}), which a program
 * that is not a JVM does not expect and may die of.
 */
final class TargetProcess {
    private final long pid;
    private final ProcessHandle handle;

    private TargetProcess(long pid, ProcessHandle handle) {
        this.pid = pid;
        this.handle = handle;
    }

    /**
     * The process with this pid, checked: it exists, it runs as the same user as this JVM (or this JVM
     * runs as root), and, where {@code /proc} tells, it has HotSpot loaded.
     */
    static TargetProcess check(long pid) {
        if (pid <= 0) {
            throw new CaptureException(CaptureException.Reason.NO_SUCH_PROCESS, "not a process id: " + pid);
        }
        ProcessHandle handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive).orElseThrow(() -> noSuchProcess(pid));
        TargetProcess target = new TargetProcess(pid, handle);
        target.checkUser();
        target.checkHotSpot();
        return target;
    }

    static CaptureException noSuchProcess(long pid) {
        return new CaptureException(CaptureException.Reason.NO_SUCH_PROCESS, "no process with pid " + pid
                + " (has it ended? 'jcmd -l' lists the JVMs this user can see)");
    }

    /** Whether the process is still there. */
    boolean alive() {
        return handle.isAlive();
    }

    /** The user the process runs as, if known. */
    Optional<String> user() {
        return handle.info().user();
    }

    /** The effective user id the process runs as, where {@code /proc} tells. */
    Optional<Long> uid() {
        return effectiveUid(Path.of("/proc", Long.toString(pid), "status"));
    }

    private String command() {
        return handle.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("unknown command");
    }

    private void checkUser() {
        Optional<Long> targetUid = effectiveUid(Path.of("/proc", Long.toString(pid), "status"));
        Optional<Long> ownUid = effectiveUid(Path.of("/proc/self/status"));
        String ownUser = System.getProperty("user.name");
        boolean otherUser;
        if (targetUid.isPresent() && ownUid.isPresent()) {
            otherUser = !targetUid.get().equals(ownUid.get()) && ownUid.get() != 0; // root may attach to anyone
        } else {
            otherUser = user().isPresent() && ownUser != null && !user().get().equals(ownUser);
        }
        if (otherUser) {
            String owner = user().orElse(targetUid.map(u -> "uid " + u).orElse("another user"));
            throw new CaptureException(CaptureException.Reason.OTHER_USER, "process " + pid + " belongs to user " + owner
                    + ", and heaplens runs as " + ownUser + ": a JVM accepts attach requests only from its own user"
                    + " (or root); run heaplens as " + owner + ", e.g. sudo -u " + owner + " java -jar heaplens-cli.jar ...");
        }
    }

    private void checkHotSpot() {
        Path maps = Path.of("/proc", Long.toString(pid), "maps");
        String text;
        try {
            text = Files.readString(maps, StandardCharsets.ISO_8859_1);
        } catch (IOException | SecurityException e) {
            text = null;
        }
        if (text == null) {
            // the memory map is not readable (a protected process, or no /proc): ask for a sign of a
            // HotSpot JVM before attaching, which signals the process
            if (Files.isDirectory(Path.of("/proc")) && !looksLikeHotSpot()) {
                throw new CaptureException(CaptureException.Reason.NOT_HOTSPOT, "process " + pid + " (" + command() + ") shows"
                        + " no sign of a HotSpot JVM (its memory map is not readable, and it has no hsperfdata file or attach"
                        + " socket): heaplens does not signal it; 'jcmd -l' lists the JVMs");
            }
            return;
        }
        if (text.contains("/libjvm.so") && !text.contains("libj9vm")) {
            return;
        }
        String kind = text.contains("libj9vm") ? "an Eclipse OpenJ9 JVM, not HotSpot"
                : "not a Java virtual machine (no libjvm.so is loaded)";
        throw new CaptureException(CaptureException.Reason.NOT_HOTSPOT, "process " + pid + " (" + command() + ") is "
                + kind + ": heaplens captures HotSpot JVMs (OpenJDK, Oracle, Temurin, ...); 'jcmd -l' lists them");
    }

    /**
     * Whether the process shows what a HotSpot JVM leaves in its temporary directory (seen through
     * {@code /proc/<pid>/root}, so also in a container): its attach socket, or its performance data
     * file {@code hsperfdata_<user>/<pid>}.
     */
    private boolean looksLikeHotSpot() {
        String id = Long.toString(pid);
        for (Path tmp : new Path[] {Path.of("/proc", id, "root", "tmp"), Path.of(System.getProperty("java.io.tmpdir"))}) {
            if (Files.exists(tmp.resolve(".java_pid" + id))) {
                return true;
            }
            try (java.util.stream.Stream<Path> dirs = Files.list(tmp)) {
                if (dirs.anyMatch(d -> d.getFileName().toString().startsWith("hsperfdata_") && Files.exists(d.resolve(id)))) {
                    return true;
                }
            } catch (IOException | SecurityException | java.io.UncheckedIOException e) {
                // not listable: no sign from here
            }
        }
        return false;
    }

    /**
     * The pid the JVM sees itself as: the innermost of {@code NSpid} in {@code /proc/<pid>/status}
     * (different inside a container's pid namespace), or {@code pid} where the kernel does not say.
     */
    static long namespacePid(long pid) {
        for (String line : statusLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("NSpid:")) {
                String[] ids = line.substring(6).trim().split("\\s+");
                try {
                    return Long.parseLong(ids[ids.length - 1]);
                } catch (NumberFormatException e) {
                    return pid;
                }
            }
        }
        return pid;
    }

    private static List<String> statusLines(Path status) {
        try {
            return Files.readAllLines(status, StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return List.of(); // not Linux, or the process is gone
        }
    }

    private static Optional<Long> effectiveUid(Path status) {
        for (String line : statusLines(status)) {
            if (line.startsWith("Uid:")) {
                String[] ids = line.substring(4).trim().split("\\s+");
                try {
                    return Optional.of(Long.parseLong(ids.length > 1 ? ids[1] : ids[0]));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}

package dev.heaplens.capture;

import java.nio.file.Path;

/**
 * Turns the error a JVM reports for a failed heap dump (HotSpot passes on the C library's
 * {@code strerror} text) into a {@link CaptureException} that says what to do.
 */
final class DumpFailure {
    private DumpFailure() {
    }

    /**
     * The exception for a dump of process {@code pid} (run by {@code user}) to {@code file} that
     * failed with {@code message}.
     */
    static CaptureException of(long pid, String user, Path file, String message) {
        String m = message == null ? "" : message;
        if (m.contains("File exists")) {
            return exists(file);
        }
        if (m.contains("No space left") || m.contains("Disk quota exceeded") || m.contains("File too large")) {
            return new CaptureException(CaptureException.Reason.DISK_FULL, "the disk filled up while process " + pid
                    + " wrote the heap dump " + file + " (" + m + "); the partial dump was deleted: free some space"
                    + " or dump into another directory");
        }
        if (m.contains("Permission denied") || m.contains("Read-only file system") || m.contains("Not a directory")
                || m.contains("No such file or directory") || m.contains("Operation not permitted")) {
            return new CaptureException(CaptureException.Reason.UNWRITABLE, "process " + pid + " cannot write the heap dump "
                    + file + ": " + m + ". The JVM being dumped writes the file itself, as its own user"
                    + (user == null ? "" : " (" + user + ")") + ": choose a directory that user can write");
        }
        return new CaptureException(CaptureException.Reason.FAILED,
                "heap dump of process " + pid + " to " + file + " failed: " + (m.isEmpty() ? "no reason given" : m));
    }

    /** The exception for a dump target (or its sidecar) that already exists. */
    static CaptureException exists(Path file) {
        return new CaptureException(CaptureException.Reason.TARGET_EXISTS,
                file + " already exists: heaplens never overwrites a file; choose another name or a directory");
    }
}

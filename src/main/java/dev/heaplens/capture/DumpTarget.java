package dev.heaplens.capture;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a dump may go: checks a target before a JVM is asked to write it, and proposes fresh names.
 * The checks give clear messages early; the JVM's exclusive create ({@code O_EXCL}) is what makes a
 * name safe against a race.
 */
final class DumpTarget {
    private DumpTarget() {
    }

    /**
     * {@code file} made absolute (the JVM being dumped resolves a relative path against its own
     * working directory), after checking that its directory exists and that neither it nor its
     * sidecar exists.
     */
    static Path exact(Path file) {
        Path target = file.toAbsolutePath().normalize();
        if (target.getFileName() == null) {
            throw new CaptureException(CaptureException.Reason.UNWRITABLE, "cannot write a heap dump to " + file + ": not a file name");
        }
        checkDirectory(target.getParent(), target);
        if (Files.isDirectory(target)) {
            throw new CaptureException(CaptureException.Reason.TARGET_EXISTS, target + " is a directory: name a file to write,"
                    + " or ask for a fresh name in that directory");
        }
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw DumpFailure.exists(target);
        }
        if (Files.exists(CapturedHeap.sidecarOf(target), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw DumpFailure.exists(CapturedHeap.sidecarOf(target));
        }
        return target;
    }

    /** {@code dir} made absolute, after checking that it is an existing directory. */
    static Path directory(Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        checkDirectory(target, null);
        return target;
    }

    /** The {@code n}th candidate name in {@code dir}: {@code base.ext}, then {@code base-2.ext}, ... */
    static Path candidate(Path dir, String base, String extension, int n) {
        return dir.resolve(base + (n == 1 ? "" : "-" + n) + extension);
    }

    /** Whether neither {@code file} nor its sidecar exists. */
    static boolean free(Path file) {
        return !Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && !Files.exists(CapturedHeap.sidecarOf(file), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    private static void checkDirectory(Path dir, Path file) {
        String what = file == null ? "cannot write a heap dump into " + dir : "cannot write the heap dump " + file;
        if (Files.isDirectory(dir)) {
            return;
        }
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new CaptureException(CaptureException.Reason.UNWRITABLE, what + ": " + existing + " is a file, not a directory");
        }
        throw new CaptureException(CaptureException.Reason.UNWRITABLE, what + ": directory " + dir + " does not exist");
    }
}

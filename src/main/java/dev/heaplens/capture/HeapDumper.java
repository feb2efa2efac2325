package dev.heaplens.capture;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one heap dump file safely through a JVM's dump {@link Route}: never over an existing file,
 * into a fresh name when none is given, gzip-compressed on request.
 *
 * <p>The JVM being dumped writes the file itself, creating it exclusively ({@code O_EXCL}): that is
 * what claims a fresh name atomically. A route that cannot write a target itself (HotSpot's
 * management interface accepts only names ending in {@code .hprof} and cannot compress) dumps to a
 * hidden {@code .<name>.<random>.partial.hprof} beside it first, which heaplens then compresses into
 * the target (or links to it) and deletes.
 */
final class HeapDumper {
    /** Fresh names tried before giving up. */
    private static final int MAX_CANDIDATES = 1000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How a JVM is asked to write a heap dump. */
    interface Route {
        /**
         * Asks the JVM to write a dump of its heap into {@code file}, which it creates exclusively.
         *
         * @throws IOException whose message is the JVM's reason (the C library's wording: "File exists", ...)
         */
        void dumpHeap(Path file, boolean live, boolean gzip) throws IOException;

        /** Whether the JVM writes a file of any name, gzip-compressed on request. */
        boolean writesAnyTarget();
    }

    private final Route route;
    private final long pid;
    private final String user;
    private final BooleanSupplier alive;

    HeapDumper(Route route, long pid, String user, BooleanSupplier alive) {
        this.route = route;
        this.pid = pid;
        this.user = user;
        this.alive = alive;
    }

    /** Dumps as {@code options} say; a fresh name is {@code base.hprof[.gz]}, {@code base-2...}. Returns the file. */
    Path dump(CaptureOptions options, String base) {
        if (options.file() != null) {
            Path target = DumpTarget.exact(options.file());
            write(target, options);
            return target;
        }
        Path dir = DumpTarget.directory(options.directory() != null ? options.directory()
                : Path.of(System.getProperty("java.io.tmpdir")));
        String extension = options.gzip() ? ".hprof.gz" : ".hprof";
        for (int n = 1; n <= MAX_CANDIDATES; n++) {
            Path candidate = DumpTarget.candidate(dir, base, extension, n);
            if (!DumpTarget.free(candidate)) {
                continue;
            }
            try {
                write(candidate, options);
                return candidate;
            } catch (CaptureException e) {
                if (e.reason() != CaptureException.Reason.TARGET_EXISTS) {
                    throw e;
                }
                // another process took the name between the check and the exclusive create: try the next
            }
        }
        throw new CaptureException(CaptureException.Reason.TARGET_EXISTS, "no free name " + base + "-N" + extension
                + " in " + dir + " up to N = " + MAX_CANDIDATES);
    }

    /** Writes {@code target}, which did not exist a moment ago. */
    void write(Path target, CaptureOptions options) {
        String name = target.getFileName().toString();
        if (route.writesAnyTarget() || (!options.gzip() && name.endsWith(".hprof"))) {
            dumpHeap(target, options.liveOnly(), options.gzip());
            return;
        }
        Path partial = target.resolveSibling("." + name + "." + HexFormat.of().toHexDigits(RANDOM.nextInt()) + ".partial.hprof");
        dumpHeap(partial, options.liveOnly(), false);
        try {
            if (options.gzip()) {
                gzip(partial, target);
            } else {
                link(partial, target);
            }
        } finally {
            deleteQuietly(partial);
        }
    }

    private void dumpHeap(Path file, boolean live, boolean gzip) {
        try {
            route.dumpHeap(file, live, gzip);
        } catch (IOException e) {
            CaptureException failure = DumpFailure.of(pid, user, file, e.getMessage());
            if (failure.reason() != CaptureException.Reason.TARGET_EXISTS) {
                deleteQuietly(file); // created exclusively by this dump, so ours: a partial file
            }
            throw failure;
        } catch (CaptureException e) {
            deleteQuietly(file);
            throw e;
        } catch (RuntimeException e) {
            deleteQuietly(file);
            if (!alive.getAsBoolean()) {
                throw TargetProcess.noSuchProcess(pid);
            }
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new CaptureException(CaptureException.Reason.FAILED,
                    "heap dump of process " + pid + " to " + file + " failed: " + cause, e);
        }
        if (!Files.exists(file)) {
            throw new CaptureException(CaptureException.Reason.FAILED, "process " + pid + " reported the heap dump written,"
                    + " but " + file + " does not exist here: does that JVM run in a container, with a file system of its own?");
        }
    }

    private void gzip(Path plain, Path target) {
        try (InputStream in = Files.newInputStream(plain);
             OutputStream out = new GZIPOutputStream(Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                     StandardOpenOption.WRITE), 1 << 16)) {
            in.transferTo(out);
        } catch (FileAlreadyExistsException e) {
            throw DumpFailure.exists(target);
        } catch (IOException e) {
            deleteQuietly(target);
            throw DumpFailure.of(ProcessHandle.current().pid(), System.getProperty("user.name"), target, reason(e));
        }
    }

    private void link(Path partial, Path target) {
        try {
            try {
                Files.createLink(target, partial); // atomic, and fails if the target exists
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof FileAlreadyExistsException) {
                    throw e;
                }
                Files.move(partial, target); // no REPLACE_EXISTING: fails if the target exists
            }
        } catch (FileAlreadyExistsException e) {
            throw DumpFailure.exists(target);
        } catch (IOException e) {
            throw DumpFailure.of(ProcessHandle.current().pid(), System.getProperty("user.name"), target, reason(e));
        }
    }

    /** The C library's wording for an I/O error, which {@link DumpFailure} understands. */
    static String reason(IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException | SecurityException ignored) {
            // best effort: the caller reports the original failure
        }
    }
}

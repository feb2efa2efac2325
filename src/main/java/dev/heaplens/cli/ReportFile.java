package dev.heaplens.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writes a command's report to the file {@code -o} names: whole or not at all, and never over the dump it reads. */
final class ReportFile {
    private ReportFile() {
    }

    /** Whether {@code output} names the same file as {@code dump} (by path, or by file identity when both exist). */
    static boolean sameFile(Path output, Path dump) {
        try {
            if (output.toAbsolutePath().normalize().equals(dump.toAbsolutePath().normalize())) {
                return true;
            }
            return Files.exists(output) && Files.exists(dump) && Files.isSameFile(output, dump);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes {@code text} (UTF-8) to {@code output} through a temporary file beside it, moved into
     * place when complete; returns the bytes written.
     *
     * @throws UncheckedIOException naming the file, if it cannot be written
     */
    static long write(Path output, String text) {
        Path target = output.toAbsolutePath();
        Path dir = target.getParent();
        Path temp = null;
        try {
            // not Files.createTempFile: its file is private to the owner (0600), and a report is meant to be shared
            temp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".part");
            Files.writeString(temp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            long size = Files.size(temp);
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return size;
        } catch (IOException e) {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the write failed already; that is the error to report
                }
            }
            throw new UncheckedIOException("cannot write the report to " + output + ": " + e, e);
        }
    }
}

package dev.heaplens.alloc;

import java.nio.file.Path;

/**
 * A file that is not a JFR recording, or one that is cut short or damaged, with the file and what is
 * wrong with it in one line.
 *
 * <pre>{@code
 * try { AllocationProfile.read(Path.of("app.jfr")); }
 * catch (JfrFormatException e) { System.err.println(e.getMessage()); }   // "app.jfr: not a JFR recording ..."
 * }</pre>
 */
public final class JfrFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** A problem with {@code file}. */
    public JfrFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The recording that could not be read. */
    public Path file() {
        return file;
    }
}

package dev.heaplens.hprof;

import java.nio.file.Path;

/**
 * A heap dump that is not what the HPROF format promises: truncated, corrupt or hostile.
 *
 * <p>The message always names the file, the byte offset where the problem was found and the
 * record being read, so a user can look at the bytes themselves:
 *
 * <pre>{@code
 * app.hprof: at byte 1048576 in HEAP DUMP SEGMENT / INSTANCE DUMP: field data of 24 bytes runs past the end of the segment
 * }</pre>
 */
public class HprofFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;
    private final String record;
    private final String problem;

    /**
     * @param file    the dump (may be {@code null} for an anonymous stream)
     * @param offset  byte offset in the (decompressed) dump where the problem was found
     * @param record  the record being read, e.g. {@code "HEAP DUMP SEGMENT / INSTANCE DUMP"}
     * @param problem what was expected and what was found
     */
    public HprofFormatException(Path file, long offset, String record, String problem) {
        super(format(file, offset, record, problem));
        this.file = file;
        this.offset = offset;
        this.record = record;
        this.problem = problem;
    }

    /** The same problem, with a cause such as an {@link java.io.IOException}. */
    public HprofFormatException(Path file, long offset, String record, String problem, Throwable cause) {
        this(file, offset, record, problem);
        initCause(cause);
    }

    private static String format(Path file, long offset, String record, String problem) {
        return (file == null ? "<hprof>" : file.toString()) + ": at byte " + offset
                + (record == null || record.isEmpty() ? "" : " in " + record) + ": " + problem;
    }

    /** The dump, or {@code null}. */
    public Path file() {
        return file;
    }

    /** Byte offset in the (decompressed) dump where the problem was found. */
    public long offset() {
        return offset;
    }

    /** The record being read, e.g. {@code "HEAP DUMP SEGMENT / CLASS DUMP"}. */
    public String record() {
        return record;
    }

    /** The problem alone, without file and offset. */
    public String problem() {
        return problem;
    }
}

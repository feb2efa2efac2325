package dev.heaplens.capture;

/**
 * A capture or a process-memory reading that failed, with a message a user can act on and a
 * {@link Reason} a program can switch on.
 *
 * <pre>{@code
 * try {
 *     Heap.capture(pid);
 * } catch (CaptureException e) {
 *     if (e.reason() == CaptureException.Reason.ATTACH_REFUSED) { ... }
 *     System.err.println(e.getMessage()); // "process 4242 refuses attach requests ..."
 * }
 * }</pre>
 */
public final class CaptureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, coarsely enough to act on. */
    public enum Reason {
        /** No process has that pid (or it ended while heaplens talked to it). */
        NO_SUCH_PROCESS,
        /** The process is not a HotSpot JVM (another program, or a JVM without HotSpot's attach protocol). */
        NOT_HOTSPOT,
        /** The JVM refuses or does not answer attach requests ({@code -XX:+DisableAttachMechanism}, {@code -Xrs}, stuck). */
        ATTACH_REFUSED,
        /** The process belongs to another user; a JVM accepts attach requests from its own user only. */
        OTHER_USER,
        /** The Attach API or the target's management agent is missing (a JRE or a trimmed runtime image). */
        UNSUPPORTED,
        /** The dump file (or its metadata sidecar) already exists; heaplens never overwrites a file. */
        TARGET_EXISTS,
        /** The dump's directory does not exist, is not a directory, or the dumping process cannot write there. */
        UNWRITABLE,
        /** The disk (or quota) filled up while the dump was written. */
        DISK_FULL,
        /** The dump or a reading failed for another reason; the message says which. */
        FAILED
    }

    private final Reason reason;

    /** A failure for {@code reason}, with the message a user reads. */
    public CaptureException(Reason reason, String message) {
        this(reason, message, null);
    }

    /** A failure for {@code reason} caused by {@code cause}. */
    public CaptureException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** What went wrong. */
    public Reason reason() {
        return reason;
    }
}

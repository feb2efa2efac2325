package dev.heaplens.capture;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An attach socket left in {@code /tmp} by a JVM that ended without removing it, which happens to
 * carry the pid of the JVM being captured now. HotSpot removes such a file when it starts, but only if
 * it may: a JVM running as {@code nobody} cannot remove root's file from the sticky {@code /tmp}, and
 * then every attach request (heaplens', {@code jcmd}'s) connects to the dead socket and is refused.
 *
 * <p>A socket is taken as left behind only when both hold: it belongs to another user than the
 * target process (so the target cannot have made it), and nothing listens on it. It is then removed,
 * as HotSpot itself would have, before the handshake asks the target to start its listener. Nothing
 * of the target is touched.
 */
final class StaleAttachSocket {
    private StaleAttachSocket() {
    }

    /**
     * Removes {@code socket} if it is a dead socket of another user than the target's.
     *
     * @throws CaptureException if it is dead and of another user, but this user cannot remove it
     */
    static void removeIfLeftBehind(TargetProcess target, long pid, Path socket) {
        Optional<Long> targetUid = target.uid();
        Optional<Long> ownerUid = owner(socket);
        if (targetUid.isEmpty() || ownerUid.isEmpty() || ownerUid.get().equals(targetUid.get()) || listening(socket)) {
            return;
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException | SecurityException e) {
            throw new CaptureException(CaptureException.Reason.ATTACH_REFUSED, "the attach socket " + socket + " of process "
                    + pid + " was left by a process that ended (it belongs to uid " + ownerUid.get() + ", the JVM runs as uid "
                    + targetUid.get() + ", and nothing listens on it), and heaplens cannot remove it (" + e.getMessage()
                    + "): remove it as uid " + ownerUid.get() + " and try again", e);
        }
    }

    private static Optional<Long> owner(Path socket) {
        try {
            Object uid = Files.getAttribute(socket, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            return Optional.of(((Number) uid).longValue());
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return Optional.empty(); // not there, or not a file system that says
        }
    }

    /** Whether something accepts connections on the socket; a refusal means no one does. */
    private static boolean listening(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            return true; // not known to be dead: leave it to the handshake and its messages
        }
    }
}

package dev.heaplens.capture;

import com.sun.tools.attach.VirtualMachine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * HotSpot's attach listener, spoken to as {@code jcmd} does: one diagnostic command per connection
 * to the JVM's attach socket ({@code .java_pid<pid>} in its {@code /tmp}). Each command runs inside
 * HotSpot, in the JVM's own "Attach Listener" thread: no agent is loaded, no Java code of the
 * target runs, and no management class is loaded there.
 *
 * <p>The listener is started, if it is not yet running, by the Attach API's handshake
 * ({@code VirtualMachine.attach}: an {@code .attach_pid<pid>} file and a {@code SIGQUIT}), which
 * also checks the socket's owner; heaplens then detaches and speaks the protocol itself, because the
 * JDK's class for it ({@code sun.tools.attach.HotSpotVirtualMachine}) is not exported. The protocol
 * (version 1, understood by every HotSpot JVM since JDK 6): the strings {@code "1"}, the command
 * ({@code "jcmd"}) and three arguments, each ended by a NUL byte; the reply is a status line
 * ({@code 0} for done) and the command's text, until the JVM closes the connection.
 */
final class AttachListener {
    /** The protocol version every HotSpot JVM understands. */
    private static final String PROTOCOL_VERSION = "1";
    /** HotSpot reads at most this many bytes of one argument (its {@code arg_length_max}). */
    static final int MAX_ARGUMENT_BYTES = 1024;

    private final TargetProcess target;
    private final long pid;
    private final Path socket;

    private AttachListener(TargetProcess target, long pid, Path socket) {
        this.target = target;
        this.pid = pid;
        this.socket = socket;
    }

    /**
     * The attach listener of {@code target}, started if needed.
     *
     * @throws CaptureException if the JVM refuses attach requests, belongs to another user, or is gone
     */
    static AttachListener of(TargetProcess target, long pid) {
        StaleAttachSocket.removeIfLeftBehind(target, pid, socketFile(pid));
        handshake(target, pid);
        Path socket = socketFile(pid);
        if (!Files.exists(socket)) {
            throw new CaptureException(CaptureException.Reason.ATTACH_REFUSED, "process " + pid + " accepted the attach"
                    + " request, but its attach socket " + socket + " is not there: does it use another temporary directory"
                    + " than /tmp?");
        }
        return new AttachListener(target, pid, socket);
    }

    /**
     * Runs one diagnostic command line ({@code GC.heap_info}, {@code GC.heap_dump -gz=1 /tmp/a.hprof.gz})
     * and returns its text.
     *
     * @throws CaptureException if the JVM rejects the command (its message says why) or the connection fails
     */
    String jcmd(String commandLine) {
        byte[] line = commandLine.getBytes(StandardCharsets.UTF_8);
        if (line.length >= MAX_ARGUMENT_BYTES) {
            throw new CaptureException(CaptureException.Reason.FAILED, "the diagnostic command '" + abbreviate(commandLine)
                    + "' is " + line.length + " bytes long; HotSpot's attach listener takes fewer than " + MAX_ARGUMENT_BYTES
                    + " (is the dump's path that long?)");
        }
        String reply;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer request = ByteBuffer.wrap(request("jcmd", commandLine, "", ""));
            while (request.hasRemaining()) {
                channel.write(request);
            }
            try (InputStream in = Channels.newInputStream(channel)) {
                reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            if (!target.alive()) {
                throw TargetProcess.noSuchProcess(pid);
            }
            throw new CaptureException(CaptureException.Reason.FAILED, "the attach listener of process " + pid
                    + " did not answer '" + abbreviate(commandLine) + "' (" + e.getMessage() + ")", e);
        }
        return output(commandLine, reply);
    }

    /** The text of a reply, after its status line; a non-zero status is the JVM's rejection of the command. */
    private String output(String commandLine, String reply) {
        int newline = reply.indexOf('\n');
        String status = (newline < 0 ? reply : reply.substring(0, newline)).strip();
        String text = newline < 0 ? "" : reply.substring(newline + 1);
        if (status.isEmpty() && !target.alive()) {
            throw TargetProcess.noSuchProcess(pid);
        }
        if (!status.equals("0")) {
            String why = text.strip().isEmpty() ? "status " + status : text.strip();
            throw new CaptureException(CaptureException.Reason.FAILED, "process " + pid + " rejected the diagnostic command '"
                    + abbreviate(commandLine) + "': " + why);
        }
        return text;
    }

    /** The request bytes: version, command and three arguments, each NUL-terminated. */
    static byte[] request(String command, String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PROTOCOL_VERSION.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        out.writeBytes(command.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        for (int i = 0; i < 3; i++) {
            out.writeBytes((i < arguments.length ? arguments[i] : "").getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    /**
     * The socket HotSpot listens on: {@code .java_pid<ns-pid>} in the JVM's {@code /tmp}, seen
     * through {@code /proc/<pid>/root} (so also inside a container), as the Attach API finds it.
     */
    static Path socketFile(long pid) {
        String name = ".java_pid" + TargetProcess.namespacePid(pid);
        Path throughProc = Path.of("/proc", Long.toString(pid), "root", "tmp");
        return (Files.isWritable(throughProc) ? throughProc : Path.of("/tmp")).resolve(name);
    }

    /** Starts the attach listener if needed and checks its owner, through the public Attach API. */
    private static void handshake(TargetProcess target, long pid) {
        VirtualMachine vm = AttachApi.attach(target, pid);
        try {
            vm.detach();
        } catch (IOException ignored) {
            // nothing is held open between requests
        }
    }

    private static String abbreviate(String commandLine) {
        return commandLine.length() <= 200 ? commandLine : commandLine.substring(0, 200) + "...";
    }
}

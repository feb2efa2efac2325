package dev.heaplens.capture;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A connection to a HotSpot JVM, this one or another on this machine by pid: it reads the JVM's VM
 * options and memory, and writes heap dumps. Keep one open to take several readings.
 *
 * <pre>{@code
 * try (JvmConnection jvm = JvmConnection.attach(4242)) {
 *     System.out.println(jvm.info());                  // VM, version, size-relevant flags
 *     System.out.println(jvm.memory());                // heap, Metaspace, code heaps, NMT, RSS
 *     CapturedHeap heap = jvm.capture(CaptureOptions.defaults().in(Path.of("dumps")));
 * }
 * }</pre>
 *
 * <p>There are three kinds, which differ in what they leave behind:
 * <ul>
 *   <li>{@link #self()}: this JVM's own management interface ({@code HotSpotDiagnosticMXBean} and
 *       the platform MXBeans); nothing is started.</li>
 *   <li>{@link #attach(long)}: another JVM through HotSpot's attach listener, as {@code jcmd} does.
 *       Every reading and the dump are diagnostic commands that HotSpot runs itself: the target
 *       starts no agent, runs none of its Java code for heaplens and loads no class, so its dump
 *       equals its own {@code GC.class_histogram} taken just before. The listener's thread ("Attach
 *       Listener") is HotSpot's own, started by the first {@code jcmd} or attach request; it stays,
 *       as after {@code jcmd}.</li>
 *   <li>{@link #attachViaJmx(long)}: another JVM through its local JMX agent, which the Attach API
 *       starts there if it is not running. <b>This changes the target</b>: the agent's threads
 *       (RMI, JMX), its classes and their objects stay in it afterwards, and every dump holds some
 *       of them. Only for users who want JMX's extra figures (NIO buffer pools).</li>
 * </ul>
 *
 * <p>Every failure is a {@link CaptureException} whose message says what to do. Only public JDK
 * APIs are used ({@code jdk.attach}, {@code jdk.management}, JMX, Unix domain sockets): no
 * {@code --add-exports}.
 */
public abstract sealed class JvmConnection implements AutoCloseable permits JmxConnection, AttachConnection {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    JvmConnection() {
    }

    /** The running JVM's own management interface (nothing to close). */
    public static JvmConnection self() {
        return JmxConnection.ofThisJvm();
    }

    /**
     * Connects to the JVM with this pid through HotSpot's attach listener, as {@code jcmd} does
     * ({@link #self()} if it is this one). Leaves the target as it found it.
     *
     * @throws CaptureException if there is no such process, it is not a HotSpot JVM, it refuses attach
     *                          requests or belongs to another user
     */
    public static JvmConnection attach(long pid) {
        if (pid == ProcessHandle.current().pid()) {
            return self();
        }
        TargetProcess target = TargetProcess.check(pid);
        return new AttachConnection(pid, target, AttachListener.of(target, pid));
    }

    /**
     * Connects to the JVM with this pid through its local JMX agent, starting the agent if needed
     * ({@link #self()} if it is this one). <b>Changes the target</b>: the agent keeps running there,
     * as after {@code jcmd <pid> ManagementAgent.start_local}.
     *
     * @throws CaptureException as {@link #attach(long)}, or if the target cannot start its agent
     */
    public static JvmConnection attachViaJmx(long pid) {
        if (pid == ProcessHandle.current().pid()) {
            return self();
        }
        TargetProcess target = TargetProcess.check(pid);
        return JmxConnection.viaLocalAgent(target, pid);
    }

    /** Connects as {@code options} ask: {@link #attachViaJmx(long)} if {@link CaptureOptions#throughJmx()}, else {@link #attach(long)}. */
    public static JvmConnection attach(long pid, CaptureOptions options) {
        return options.throughJmx() ? attachViaJmx(pid) : attach(pid);
    }

    /** The process id. */
    public abstract long pid();

    /** Whether this is the running JVM. */
    public abstract boolean currentJvm();

    /** The JVM's name, version and the VM options that decide object sizes. */
    public abstract JvmInfo info();

    /** The JVM's memory now: heap and non-heap pools, buffer pools where known, the NMT summary if tracking is on, and the resident set. */
    public abstract ProcessMemory memory();

    /**
     * The Native Memory Tracking summary ({@code VM.native_memory summary scale=b}), parsed;
     * {@link NativeMemory.Tracking#OFF} when the JVM runs without {@code -XX:NativeMemoryTracking},
     * {@link NativeMemory.Tracking#UNAVAILABLE} (with the reason) when the summary cannot be read.
     */
    public NativeMemory nativeMemory() {
        String level = nativeMemoryTracking();
        if (level.equals("off")) {
            return NativeMemory.off();
        }
        NativeMemory.Tracking tracking = level.equals("detail") ? NativeMemory.Tracking.DETAIL : NativeMemory.Tracking.SUMMARY;
        try {
            return NativeMemory.parse(tracking, diagnosticCommand("VM.native_memory summary scale=b"));
        } catch (CaptureException e) {
            if (e.reason() == CaptureException.Reason.NO_SUCH_PROCESS) {
                throw e;
            }
            return NativeMemory.unavailable(e.getMessage());
        } catch (IllegalArgumentException e) {
            return NativeMemory.unavailable(e.getMessage());
        }
    }

    /** The JVM's {@code -XX:NativeMemoryTracking}: {@code off}, {@code summary} or {@code detail}. */
    abstract String nativeMemoryTracking();

    /**
     * Runs one diagnostic command, as {@code jcmd <pid> <commandLine>} does, and returns its text:
     * {@code "JFR.start name=x settings=profile"}, {@code "Thread.print"}. Through the attach listener
     * HotSpot runs it; through JMX, the {@code DiagnosticCommand} MBean. Commands implemented in Java
     * (JFR's, {@code VM.system_properties}) run Java code in the target, as with {@code jcmd}.
     *
     * @throws CaptureException if the JVM rejects the command or cannot be reached
     */
    public abstract String diagnosticCommand(String commandLine);

    /**
     * Dumps the heap as {@code options} say, after reading the JVM's options and memory.
     *
     * @throws CaptureException if the target exists, the directory is not writable, the disk fills
     *                          up, or the JVM fails the dump
     */
    public CapturedHeap capture(CaptureOptions options) {
        JvmInfo info = info();
        ProcessMemory memory = memory();
        Instant time = Instant.now();
        HeapDumper dumper = new HeapDumper(dumpRoute(), pid(), user(), this::alive);
        Path dump = dumper.dump(options, "heaplens-" + pid() + "-" + STAMP.format(time));
        return new CapturedHeap(dump, time, options.liveOnly(), options.gzip(), info, memory);
    }

    /** Closes the connection; the target keeps running as it was. */
    @Override
    public abstract void close();

    /** How this connection asks the JVM for a heap dump. */
    abstract HeapDumper.Route dumpRoute();

    /** The user the JVM runs as (who writes the dump), if known. */
    abstract String user();

    /** Whether the JVM is still running. */
    abstract boolean alive();
}

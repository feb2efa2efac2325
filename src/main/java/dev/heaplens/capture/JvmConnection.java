package dev.heaplens.capture;

import com.sun.management.HotSpotDiagnosticMXBean;

import javax.management.InstanceNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.PlatformManagedObject;
import java.lang.management.RuntimeMXBean;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.nio.file.Path;

/**
 * A connection to the management interface of a HotSpot JVM: this one, or another on this machine
 * by pid (through the Attach API, which starts the target's local JMX agent). It reads the VM options
 * and memory, and writes heap dumps. Keep one open to take several readings without attaching again.
 *
 * <pre>{@code
 * try (JvmConnection jvm = JvmConnection.attach(4242)) {
 *     System.out.println(jvm.info());                  // VM, version, size-relevant flags
 *     System.out.println(jvm.memory());                // pools, buffers, NMT, RSS
 *     CapturedHeap heap = jvm.capture(CaptureOptions.defaults().in(Path.of("dumps")));
 * }
 * }</pre>
 *
 * <p>Every failure is a {@link CaptureException} whose message says what to do. Only public JDK
 * APIs are used ({@code jdk.attach}, {@code jdk.management}, JMX): no {@code --add-exports}.
 */
public final class JvmConnection implements AutoCloseable {
    private static final ObjectName DIAGNOSTIC_COMMAND = objectName("com.sun.management:type=DiagnosticCommand");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final long pid;
    private final MBeanServerConnection server;
    private final JMXConnector connector;
    private final TargetProcess target;

    private JvmConnection(long pid, MBeanServerConnection server, JMXConnector connector, TargetProcess target) {
        this.pid = pid;
        this.server = server;
        this.connector = connector;
        this.target = target;
    }

    /** The running JVM's own management interface (nothing to close). */
    public static JvmConnection self() {
        return new JvmConnection(ProcessHandle.current().pid(), ManagementFactory.getPlatformMBeanServer(), null, null);
    }

    /**
     * Attaches to the JVM with this pid ({@link #self()} if it is this one).
     *
     * @throws CaptureException if there is no such process, it is not a HotSpot JVM, it refuses attach
     *                          requests or belongs to another user
     */
    public static JvmConnection attach(long pid) {
        if (pid == ProcessHandle.current().pid()) {
            return self();
        }
        TargetProcess target = TargetProcess.check(pid);
        JMXConnector connector = LocalAgent.connect(target, pid);
        try {
            return new JvmConnection(pid, connector.getMBeanServerConnection(), connector, target);
        } catch (IOException e) {
            closeQuietly(connector);
            throw new CaptureException(CaptureException.Reason.FAILED, "connected to process " + pid
                    + ", but its MBean server did not answer: " + e.getMessage(), e);
        }
    }

    /** The process id. */
    public long pid() {
        return pid;
    }

    /** Whether this is the running JVM. */
    public boolean currentJvm() {
        return connector == null;
    }

    /** The JVM's name, version and the VM options that decide object sizes. */
    public JvmInfo info() {
        return call("the VM options", () -> {
            RuntimeMXBean runtime = bean(RuntimeMXBean.class);
            HotSpotDiagnosticMXBean hotSpot = hotSpot();
            boolean oops = Boolean.parseBoolean(option(hotSpot, "UseCompressedOops", "false"));
            String compact = option(hotSpot, "UseCompactObjectHeaders", null);
            Boolean compactHeaders = compact == null ? null : Boolean.parseBoolean(compact);
            // compact headers imply compressed class pointers; before JDK 8 they followed compressed oops
            boolean classPointers = Boolean.TRUE.equals(compactHeaders)
                    || Boolean.parseBoolean(option(hotSpot, "UseCompressedClassPointers", Boolean.toString(oops)));
            int alignment = Integer.parseInt(option(hotSpot, "ObjectAlignmentInBytes", "8"));
            return new JvmInfo(pid, runtime.getVmName(), runtime.getVmVendor(), runtime.getVmVersion(),
                    runtime.getSystemProperties().getOrDefault("java.version", runtime.getSpecVersion()), oops, classPointers,
                    alignment, compactHeaders, option(hotSpot, "NativeMemoryTracking", "off"));
        });
    }

    /** The JVM's memory now: pools, buffer pools, the NMT summary if tracking is on, and the resident set. */
    public ProcessMemory memory() {
        Instant time = Instant.now();
        List<MemoryPool> pools = call("the memory pools", () -> {
            List<MemoryPool> out = new ArrayList<>();
            for (MemoryPoolMXBean p : ManagementFactory.getPlatformMXBeans(server, MemoryPoolMXBean.class)) {
                if (p.isValid()) {
                    MemoryUsage u = p.getUsage();
                    out.add(new MemoryPool(p.getName(), p.getType() == MemoryType.HEAP, u.getUsed(), u.getCommitted(), u.getMax()));
                }
            }
            out.sort(Comparator.comparing((MemoryPool p) -> !p.heap()).thenComparing(MemoryPool::name));
            return out;
        });
        List<BufferPool> buffers = call("the buffer pools", () -> {
            List<BufferPool> out = new ArrayList<>();
            for (BufferPoolMXBean p : ManagementFactory.getPlatformMXBeans(server, BufferPoolMXBean.class)) {
                out.add(new BufferPool(p.getName(), p.getCount(), p.getMemoryUsed(), p.getTotalCapacity()));
            }
            out.sort(Comparator.comparing(BufferPool::name));
            return out;
        });
        return new ProcessMemory(pid, time, pools, buffers, nativeMemory(), ResidentMemory.of(pid));
    }

    /**
     * The Native Memory Tracking summary ({@code VM.native_memory summary scale=b} through the
     * {@code DiagnosticCommand} MBean), parsed; {@link NativeMemory.Tracking#OFF} when the JVM runs
     * without {@code -XX:NativeMemoryTracking}.
     */
    public NativeMemory nativeMemory() {
        String level = call("the NativeMemoryTracking option", () -> option(hotSpot(), "NativeMemoryTracking", "off"));
        if (level.equals("off")) {
            return NativeMemory.off();
        }
        NativeMemory.Tracking tracking = level.equals("detail") ? NativeMemory.Tracking.DETAIL : NativeMemory.Tracking.SUMMARY;
        String output;
        try {
            output = call("the NMT summary", () -> {
                try {
                    return (String) server.invoke(DIAGNOSTIC_COMMAND, "vmNativeMemory",
                            new Object[] {new String[] {"summary", "scale=b"}}, new String[] {String[].class.getName()});
                } catch (InstanceNotFoundException e) {
                    throw new IllegalStateException("the JVM has no DiagnosticCommand MBean", e);
                }
            });
        } catch (CaptureException e) {
            if (e.reason() == CaptureException.Reason.NO_SUCH_PROCESS) {
                throw e;
            }
            return NativeMemory.unavailable(e.getMessage());
        }
        try {
            return NativeMemory.parse(tracking, output);
        } catch (IllegalArgumentException e) {
            return NativeMemory.unavailable(e.getMessage());
        }
    }

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
        String user = currentJvm() ? System.getProperty("user.name") : target.user().orElse(null);
        HeapDumper dumper = new HeapDumper(call("the HotSpotDiagnostic MBean", this::hotSpot), pid, user, this::alive);
        Path dump = dumper.dump(options, "heaplens-" + pid + "-" + STAMP.format(time));
        return new CapturedHeap(dump, time, options.liveOnly(), options.gzip(), info, memory);
    }

    /** Closes the JMX connection (the target's agent keeps running). */
    @Override
    public void close() {
        if (connector != null) {
            closeQuietly(connector);
        }
    }

    private boolean alive() {
        return target == null || target.alive();
    }

    private HotSpotDiagnosticMXBean hotSpot() throws IOException {
        try {
            return bean(HotSpotDiagnosticMXBean.class);
        } catch (IllegalArgumentException e) {
            throw new CaptureException(CaptureException.Reason.NOT_HOTSPOT, "process " + pid
                    + " has no HotSpotDiagnostic MBean: it is not a HotSpot JVM", e);
        }
    }

    private <T extends PlatformManagedObject> T bean(Class<T> type) throws IOException {
        return ManagementFactory.getPlatformMXBean(server, type);
    }

    /** A VM option's value, or {@code absent} if the JVM has no such option. */
    private static String option(HotSpotDiagnosticMXBean bean, String name, String absent) {
        try {
            return bean.getVMOption(name).getValue();
        } catch (IllegalArgumentException e) {
            return absent;
        }
    }

    /** A read from the JVM's MBeans. */
    private interface Read<T> {
        T get() throws Exception;
    }

    /** Runs a read against the JVM, turning a lost connection or a failure into a {@link CaptureException}. */
    private <T> T call(String what, Read<T> read) {
        try {
            return read.get();
        } catch (CaptureException e) {
            throw e;
        } catch (Exception e) {
            if (!alive()) {
                throw TargetProcess.noSuchProcess(pid);
            }
            Throwable cause = e instanceof UndeclaredThrowableException && e.getCause() != null ? e.getCause() : e;
            throw new CaptureException(CaptureException.Reason.FAILED, "reading " + what + " of process " + pid
                    + " failed: " + cause, e);
        }
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(JMXConnector connector) {
        try {
            connector.close();
        } catch (IOException ignored) {
            // the target may be gone already
        }
    }
}

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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.nio.file.Path;

/**
 * A JVM's management interface (its platform MBeans): this JVM's own, or another's through its local
 * JMX agent, which the Attach API starts in the target on request ({@link JvmConnection#attachViaJmx}):
 * that agent, its threads and its classes stay in the target afterwards.
 */
final class JmxConnection extends JvmConnection {
    private static final ObjectName DIAGNOSTIC_COMMAND = objectName("com.sun.management:type=DiagnosticCommand");

    private final long pid;
    private final MBeanServerConnection server;
    private final JMXConnector connector;
    private final TargetProcess target;

    private JmxConnection(long pid, MBeanServerConnection server, JMXConnector connector, TargetProcess target) {
        this.pid = pid;
        this.server = server;
        this.connector = connector;
        this.target = target;
    }

    /** The running JVM's own management interface (nothing to close). */
    static JmxConnection ofThisJvm() {
        return new JmxConnection(ProcessHandle.current().pid(), ManagementFactory.getPlatformMBeanServer(), null, null);
    }

    /** Connects to the local JMX agent of {@code target}, starting it there if needed. */
    static JmxConnection viaLocalAgent(TargetProcess target, long pid) {
        JMXConnector connector = LocalAgent.connect(target, pid);
        try {
            return new JmxConnection(pid, connector.getMBeanServerConnection(), connector, target);
        } catch (IOException e) {
            closeQuietly(connector);
            throw new CaptureException(CaptureException.Reason.FAILED, "connected to process " + pid
                    + ", but its MBean server did not answer: " + e.getMessage(), e);
        }
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public boolean currentJvm() {
        return connector == null;
    }

    @Override
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

    /** Pools and buffer pools from their MXBeans, NMT through the {@code DiagnosticCommand} MBean, the resident set from {@code /proc}. */
    @Override
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

    @Override
    String nativeMemoryTracking() {
        return call("the NativeMemoryTracking option", () -> option(hotSpot(), "NativeMemoryTracking", "off"));
    }

    /**
     * The command through the {@code DiagnosticCommand} MBean, whose operations are the commands'
     * names in camel case ({@code JFR.start} → {@code jfrStart}, {@code VM.native_memory} →
     * {@code vmNativeMemory}) taking the arguments as a {@code String[]} (split at spaces).
     */
    @Override
    public String diagnosticCommand(String commandLine) {
        String[] words = commandLine.strip().split("\\s+");
        String[] args = java.util.Arrays.copyOfRange(words, 1, words.length);
        return call("the diagnostic command " + words[0], () -> {
            try {
                return (String) server.invoke(DIAGNOSTIC_COMMAND, operationName(words[0]), new Object[] {args},
                        new String[] {String[].class.getName()});
            } catch (InstanceNotFoundException e) {
                throw new IllegalStateException("the JVM has no DiagnosticCommand MBean", e);
            } catch (javax.management.ReflectionException | javax.management.MBeanException e) {
                throw new CaptureException(CaptureException.Reason.FAILED, "process " + pid + " rejected the diagnostic command '"
                        + commandLine + "': " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
            }
        });
    }

    /** {@code JFR.start} → {@code jfrStart}, {@code GC.class_histogram} → {@code gcClassHistogram}. */
    static String operationName(String command) {
        String[] parts = command.split("[._]");
        StringBuilder b = new StringBuilder(parts[0].toLowerCase(java.util.Locale.ROOT));
        for (int i = 1; i < parts.length; i++) {
            if (!parts[i].isEmpty()) {
                b.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
            }
        }
        return b.toString();
    }

    @Override
    HeapDumper.Route dumpRoute() {
        HotSpotDiagnosticMXBean bean = call("the HotSpotDiagnostic MBean", this::hotSpot);
        return new HeapDumper.Route() {
            @Override
            public void dumpHeap(Path file, boolean live, boolean gzip) throws IOException {
                bean.dumpHeap(file.toString(), live);
            }

            @Override
            public boolean writesAnyTarget() {
                return false; // only names ending in .hprof, never compressed
            }
        };
    }

    @Override
    String user() {
        return currentJvm() ? System.getProperty("user.name") : target.user().orElse(null);
    }

    /** Closes the JMX connection (the target's agent keeps running). */
    @Override
    public void close() {
        if (connector != null) {
            closeQuietly(connector);
        }
    }

    @Override
    boolean alive() {
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

package dev.heaplens.capture;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another JVM reached through HotSpot's attach listener: every reading and the dump are diagnostic
 * commands ({@code VM.flags}, {@code GC.heap_info}, {@code GC.heap_dump}, ...) that HotSpot runs
 * natively, so nothing of heaplens runs, loads or stays in the target. See {@link JvmConnection}.
 */
final class AttachConnection extends JvmConnection {
    /** The first JDK whose {@code GC.heap_dump} compresses ({@code -gz}). */
    private static final int FIRST_GZIP_FEATURE = 15;
    /** HotSpot's {@code -gz} level: the fastest, as {@code jcmd GC.heap_dump -gz=1} is usually run. */
    private static final int GZIP_LEVEL = 1;
    private static final Pattern VM_VERSION = Pattern.compile("^(.+?) version (\\S+)\\R(?:JDK|JRE) (\\S+)", Pattern.MULTILINE);
    private static final Pattern DUMP_DONE = Pattern.compile("^Heap dump file created", Pattern.MULTILINE);
    private static final Pattern DUMP_FAILED = Pattern.compile("^(?:Unable to create .*|Dump file is incomplete): (.+)$", Pattern.MULTILINE);

    private final long pid;
    private final TargetProcess target;
    private final AttachListener listener;
    private VmFlags flags;
    private JvmInfo info;

    AttachConnection(long pid, TargetProcess target, AttachListener listener) {
        this.pid = pid;
        this.target = target;
        this.listener = listener;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public boolean currentJvm() {
        return false;
    }

    /**
     * The flags from {@code VM.flags -all}; the VM's name, vendor and versions from its performance
     * data file ({@code java.property.java.vm.*}, as {@code jcmd PerfCounter.print} shows them), or
     * from {@code VM.version} when it runs with {@code -XX:-UsePerfData} (the vendor is then
     * {@code unknown}).
     */
    @Override
    public synchronized JvmInfo info() {
        if (info == null) {
            info = readInfo();
        }
        return info;
    }

    private JvmInfo readInfo() {
        VmFlags f = flags();
        boolean oops = f.bool("UseCompressedOops", false);
        Boolean compactHeaders = f.value("UseCompactObjectHeaders").map(Boolean::parseBoolean).orElse(null);
        boolean classPointers = Boolean.TRUE.equals(compactHeaders) || f.bool("UseCompressedClassPointers", oops);
        int alignment = f.value("ObjectAlignmentInBytes").map(Integer::parseInt).orElse(8);
        String nmt = f.value("NativeMemoryTracking").orElse("off");
        Map<String, String> properties = PerfCounters.strings(pid);
        String vmName = properties.get("java.property.java.vm.name");
        String vendor = properties.get("java.property.java.vm.vendor");
        String vmVersion = properties.get("java.property.java.vm.version");
        String javaVersion = properties.get("java.property.java.version");
        if (vmName == null || vmVersion == null || javaVersion == null) {
            Matcher v = VM_VERSION.matcher(command("VM.version"));
            if (!v.find()) {
                throw new CaptureException(CaptureException.Reason.NOT_HOTSPOT, "process " + pid
                        + " answers the attach protocol but does not say which VM it is (VM.version)");
            }
            vmName = v.group(1);
            vmVersion = v.group(2);
            javaVersion = v.group(3);
            vendor = vendor == null ? "unknown" : vendor;
        }
        return new JvmInfo(pid, vmName, vendor, vmVersion, javaVersion, oops, classPointers, alignment, compactHeaders, nmt);
    }

    /**
     * Heap pools from {@code GC.heap_info}, Metaspace from {@code VM.metaspace scale=1}, code heaps from
     * {@code Compiler.codecache}, NMT from {@code VM.native_memory summary scale=b}, the resident set
     * from {@code /proc/<pid>/status}. NIO buffer pools are not available: HotSpot reports them only
     * to JMX.
     */
    @Override
    public ProcessMemory memory() {
        Instant time = Instant.now();
        List<MemoryPool> pools = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        readPools(pools, notes, "GC.heap_info", DiagnosticPools::heap);
        long maxMetaspace = flags().size("MaxMetaspaceSize");
        readPools(pools, notes, "VM.metaspace scale=1", text -> DiagnosticPools.metaspace(text, maxMetaspace));
        readPools(pools, notes, "Compiler.codecache", DiagnosticPools::codeHeaps);
        notes.add(ProcessMemory.NO_BUFFER_POOLS);
        return new ProcessMemory(pid, time, pools, List.of(), nativeMemory(), ResidentMemory.of(pid),
                ProcessMemory.Source.DIAGNOSTIC_COMMANDS, notes);
    }

    private interface PoolParser {
        List<MemoryPool> parse(String text);
    }

    private void readPools(List<MemoryPool> pools, List<String> notes, String command, PoolParser parser) {
        String text;
        try {
            text = command(command);
        } catch (CaptureException e) {
            if (e.reason() == CaptureException.Reason.NO_SUCH_PROCESS) {
                throw e;
            }
            notes.add(e.getMessage());
            return;
        }
        try {
            pools.addAll(parser.parse(text));
        } catch (IllegalArgumentException e) {
            notes.add(e.getMessage());
        }
    }

    @Override
    String nativeMemoryTracking() {
        return flags().value("NativeMemoryTracking").orElse("off");
    }

    /** {@code GC.heap_dump [-all] [-gz=1] FILE}, written by the target itself. */
    @Override
    HeapDumper.Route dumpRoute() {
        boolean gzips = info().javaFeature() >= FIRST_GZIP_FEATURE;
        return new HeapDumper.Route() {
            @Override
            public void dumpHeap(Path file, boolean live, boolean gzip) throws IOException {
                String output = command("GC.heap_dump" + (live ? "" : " -all") + (gzip ? " -gz=" + GZIP_LEVEL : "")
                        + " " + argument(file.toString()));
                if (DUMP_DONE.matcher(output).find()) {
                    return;
                }
                if (!target.alive()) {
                    throw TargetProcess.noSuchProcess(pid);
                }
                Matcher failed = DUMP_FAILED.matcher(output);
                throw new IOException(failed.find() ? failed.group(1).strip() : output.strip());
            }

            @Override
            public boolean writesAnyTarget() {
                return gzips; // any name, and -gz since JDK 15
            }
        };
    }

    /**
     * A value for HotSpot's diagnostic command parser, which splits on spaces: quoted when it holds
     * one (the parser takes {@code "..."} and {@code '...'}).
     */
    static String argument(String value) {
        if (value.indexOf(' ') < 0 && value.indexOf('"') < 0 && value.indexOf('\'') < 0) {
            return value;
        }
        if (value.indexOf('"') < 0) {
            return '"' + value + '"';
        }
        if (value.indexOf('\'') < 0) {
            return "'" + value + "'";
        }
        throw new CaptureException(CaptureException.Reason.UNWRITABLE, "cannot pass " + value + " to the JVM's"
                + " diagnostic commands: it holds both kinds of quotes; choose another file name");
    }

    @Override
    String user() {
        return target.user().orElse(null);
    }

    @Override
    boolean alive() {
        return target.alive();
    }

    /** Nothing is held open between commands. */
    @Override
    public void close() {
    }

    private synchronized VmFlags flags() {
        if (flags == null) {
            String output = command("VM.flags -all");
            try {
                flags = VmFlags.parse(output);
            } catch (IllegalArgumentException e) {
                throw new CaptureException(CaptureException.Reason.FAILED, "process " + pid + ": " + e.getMessage(), e);
            }
        }
        return flags;
    }

    @Override
    public String diagnosticCommand(String commandLine) {
        return command(commandLine);
    }

    private String command(String line) {
        return listener.jcmd(line);
    }
}

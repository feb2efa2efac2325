package dev.heaplens.alloc;

import dev.heaplens.capture.CaptureException;
import dev.heaplens.capture.JvmConnection;
import jdk.jfr.Recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Records allocations with Java Flight Recorder, which ships with the JDK and needs no agent: in this
 * JVM around a piece of work, or in another JVM by pid for a while, through its attach listener's
 * {@code JFR.start}, {@code JFR.dump} and {@code JFR.stop}, as {@code jcmd} does (no JMX agent is
 * started there).
 *
 * <pre>{@code
 * AllocationProfile p = AllocationRecorder.record(() -> app.handle(request));
 * AllocationProfile q = AllocationRecorder.record(4242, Duration.ofSeconds(30));
 * try (AllocationRecorder r = AllocationRecorder.start()) { ...; p = r.stop(); }
 * }</pre>
 *
 * <p>By default {@code jdk.ObjectAllocationSample} is recorded (throttled to {@value
 * #DEFAULT_SAMPLES_PER_SECOND} samples a second per JVM, JFR's "profile" rate: low overhead, figures are
 * estimates), with stack traces (JFR keeps {@code -XX:FlightRecorderOptions:stackdepth}, 64 frames
 * by default), plus the garbage collections and the heap before and after each.
 * {@link Options#withTlabEvents()} adds {@code jdk.ObjectAllocationInNewTLAB} and
 * {@code OutsideTLAB}: an event per TLAB and per large object, heavier. The {@code .jfr} file is kept
 * in {@code java.io.tmpdir} (or {@link Options#in(Path)}) as {@code heaplens-alloc-<pid>-<time>.jfr};
 * {@link AllocationProfile#recording()} names it.
 */
public final class AllocationRecorder implements AutoCloseable {
    /** JFR's "profile" rate for {@code jdk.ObjectAllocationSample}. */
    public static final int DEFAULT_SAMPLES_PER_SECOND = 150;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What to record, and where the file goes.
     *
     * @param samplesPerSecond the throttle of {@code jdk.ObjectAllocationSample}
     * @param tlabEvents       also record an event per new TLAB and per allocation outside one
     * @param directory        where the {@code .jfr} file goes; {@code null} for {@code java.io.tmpdir}
     */
    public record Options(int samplesPerSecond, boolean tlabEvents, Path directory) {
        /** Samples at JFR's profile rate, no TLAB events, into {@code java.io.tmpdir}. */
        public static Options defaults() {
            return new Options(DEFAULT_SAMPLES_PER_SECOND, false, null);
        }

        /** These options with another sample rate. */
        public Options samplesPerSecond(int rate) {
            if (rate <= 0) {
                throw new IllegalArgumentException("samples per second must be positive, not " + rate);
            }
            return new Options(rate, tlabEvents, directory);
        }

        /** These options with the TLAB events too. */
        public Options withTlabEvents() {
            return new Options(samplesPerSecond, true, directory);
        }

        /** These options writing the recording into {@code dir}. */
        public Options in(Path dir) {
            return new Options(samplesPerSecond, tlabEvents, dir);
        }

        Path freshFile(long pid) {
            Path dir = (directory != null ? directory : Path.of(System.getProperty("java.io.tmpdir"))).toAbsolutePath();
            return dir.resolve("heaplens-alloc-" + pid + "-" + STAMP.format(Instant.now()) + "-"
                    + HexFormat.of().toHexDigits(RANDOM.nextInt()).substring(0, 4) + ".jfr");
        }

        /** The settings as a {@code .jfc} document, for {@code JFR.start settings=...}. */
        String jfc() {
            StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<configuration version=\"2.0\" label=\"heaplens allocations\">\n");
            event(b, RecordingReader.SAMPLE, true, "<setting name=\"throttle\">" + samplesPerSecond + "/s</setting>"
                    + "<setting name=\"stackTrace\">true</setting>");
            event(b, RecordingReader.IN_NEW_TLAB, tlabEvents, "<setting name=\"stackTrace\">true</setting>");
            event(b, RecordingReader.OUTSIDE_TLAB, tlabEvents, "<setting name=\"stackTrace\">true</setting>");
            event(b, "jdk.GarbageCollection", true, "<setting name=\"threshold\">0 ms</setting>");
            event(b, "jdk.GCHeapSummary", true, "");
            event(b, "jdk.JVMInformation", true, "<setting name=\"period\">beginChunk</setting>");
            return b.append("</configuration>\n").toString();
        }

        private static void event(StringBuilder b, String name, boolean enabled, String settings) {
            b.append("  <event name=\"").append(name).append("\"><setting name=\"enabled\">").append(enabled).append("</setting>")
                    .append(settings).append("</event>\n");
        }
    }

    private final Recording recording;
    private final Options options;
    private boolean stopped;

    private AllocationRecorder(Recording recording, Options options) {
        this.recording = recording;
        this.options = options;
    }

    /** Starts recording this JVM with the default options. */
    public static AllocationRecorder start() {
        return start(Options.defaults());
    }

    /** Starts recording this JVM. */
    public static AllocationRecorder start(Options options) {
        Recording r = new Recording();
        r.setName("heaplens-allocations");
        r.enable(RecordingReader.SAMPLE).with("throttle", options.samplesPerSecond() + "/s").withStackTrace();
        if (options.tlabEvents()) {
            r.enable(RecordingReader.IN_NEW_TLAB).withStackTrace();
            r.enable(RecordingReader.OUTSIDE_TLAB).withStackTrace();
        }
        r.enable("jdk.GarbageCollection").withThreshold(Duration.ZERO);
        r.enable("jdk.GCHeapSummary");
        r.enable("jdk.JVMInformation").with("period", "beginChunk");
        r.start();
        return new AllocationRecorder(r, options);
    }

    /** Records {@code work} in this JVM with the default options. */
    public static AllocationProfile record(Runnable work) {
        return record(Options.defaults(), work);
    }

    /** Records {@code work} in this JVM. */
    public static AllocationProfile record(Options options, Runnable work) {
        try (AllocationRecorder r = start(options)) {
            work.run();
            return r.stop();
        }
    }

    /** Stops recording, writes the {@code .jfr} file and reads it. */
    public AllocationProfile stop() {
        if (stopped) {
            throw new IllegalStateException("this recording was stopped already");
        }
        stopped = true;
        recording.stop();
        Path file = options.freshFile(ProcessHandle.current().pid());
        try {
            recording.dump(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the recording to " + file + ": " + e.getMessage(), e);
        } finally {
            recording.close();
        }
        return AllocationProfile.read(file);
    }

    /** Stops and discards the recording if {@link #stop()} was not called. */
    @Override
    public void close() {
        if (!stopped) {
            stopped = true;
            recording.close();
        }
    }

    /** Records the JVM {@code pid} for {@code duration} with the default options. */
    public static AllocationProfile record(long pid, Duration duration) {
        return record(pid, duration, Options.defaults());
    }

    /**
     * Records the JVM {@code pid} for {@code duration} through its attach listener: {@code JFR.start}
     * with heaplens' settings, a wait, {@code JFR.dump} into a fresh file (written by that JVM, as its
     * user), {@code JFR.stop}. Starts no JMX agent; JFR itself runs in the target while recording.
     *
     * @throws CaptureException if the JVM cannot be attached to or refuses a command
     */
    public static AllocationProfile record(long pid, Duration duration, Options options) {
        if (pid == ProcessHandle.current().pid()) {
            throw new IllegalArgumentException("record this JVM with record(Runnable) or start()");
        }
        String name = "heaplens-" + HexFormat.of().toHexDigits(RANDOM.nextInt());
        Path file = options.freshFile(pid);
        Path settings;
        try {
            settings = Files.createTempFile("heaplens-alloc-", ".jfc");
            Files.writeString(settings, options.jfc());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the recording settings: " + e.getMessage(), e);
        }
        try (JvmConnection jvm = JvmConnection.attach(pid)) {
            expect(jvm, "JFR.start name=" + name + " settings=" + settings, "Started recording");
            try {
                Thread.sleep(duration.toMillis());
                expect(jvm, "JFR.dump name=" + name + " filename=" + file, "Dumped recording");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CaptureException(CaptureException.Reason.FAILED, "interrupted while recording process " + pid, e);
            } finally {
                jvm.diagnosticCommand("JFR.stop name=" + name);
            }
        } finally {
            try {
                Files.deleteIfExists(settings);
            } catch (IOException ignored) {
                // a temporary file of our own
            }
        }
        return AllocationProfile.read(file);
    }

    private static void expect(JvmConnection jvm, String command, String success) {
        String out = jvm.diagnosticCommand(command);
        if (!out.contains(success)) {
            throw new CaptureException(CaptureException.Reason.FAILED, "process " + jvm.pid() + " did not run '" + command + "': "
                    + out.strip());
        }
    }
}

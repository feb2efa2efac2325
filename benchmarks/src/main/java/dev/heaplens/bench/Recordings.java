package dev.heaplens.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * JFR recordings of {@link AllocationLoad} for the allocation benchmarks, made once under
 * {@code target/recordings}: {@code alloc-<seconds>s.jfr}, a child JVM with 2 KB TLABs recording
 * every new TLAB, every allocation outside one and 10,000 samples a second, with stack traces (about
 * 12 MB and 0.8 million events a second of load: 10 s make 124 MB, 80 s about 1 GB; no size limit).
 *
 * <pre>
 * java -cp target/benchmarks.jar dev.heaplens.bench.Recordings 10
 * </pre>
 */
public final class Recordings {
    private static final Path DIR = Path.of("target", "recordings");
    private static final String JFC = """
            <?xml version="1.0" encoding="UTF-8"?>
            <configuration version="2.0" label="heaplens benchmark">
              <event name="jdk.ObjectAllocationInNewTLAB"><setting name="enabled">true</setting><setting name="stackTrace">true</setting></event>
              <event name="jdk.ObjectAllocationOutsideTLAB"><setting name="enabled">true</setting><setting name="stackTrace">true</setting></event>
              <event name="jdk.ObjectAllocationSample"><setting name="enabled">true</setting><setting name="throttle">10000/s</setting><setting name="stackTrace">true</setting></event>
              <event name="jdk.GarbageCollection"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting></event>
              <event name="jdk.GCHeapSummary"><setting name="enabled">true</setting></event>
              <event name="jdk.JVMInformation"><setting name="enabled">true</setting><setting name="period">beginChunk</setting></event>
            </configuration>
            """;

    private Recordings() {
    }

    /** The recording of {@code seconds} of load, made if missing. */
    public static synchronized Path path(int seconds) {
        Path file = DIR.resolve("alloc-" + seconds + "s.jfr").toAbsolutePath();
        if (Files.isRegularFile(file)) {
            return file;
        }
        try {
            Files.createDirectories(DIR);
            Path jfc = Files.writeString(DIR.resolve("alloc.jfc"), JFC);
            Path partial = DIR.resolve("alloc-" + seconds + "s.partial.jfr").toAbsolutePath();
            Files.deleteIfExists(partial);
            Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TLABSize=2k", "-XX:MinTLABSize=2k", "-XX:-ResizeTLAB",
                    "-XX:StartFlightRecording=filename=" + partial + ",maxsize=4g,settings=" + jfc.toAbsolutePath(),
                    "-cp", System.getProperty("java.class.path"), AllocationLoad.class.getName(), Integer.toString(seconds)))
                    .inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("the recording child exited with " + p.exitValue());
            }
            Files.move(partial, file);
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) {
        for (String a : args) {
            Path f = path(Integer.parseInt(a));
            System.out.println(f + ": " + f.toFile().length() + " bytes");
        }
    }
}

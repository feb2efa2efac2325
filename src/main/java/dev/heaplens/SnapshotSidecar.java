package dev.heaplens;

import dev.heaplens.capture.CaptureException;
import dev.heaplens.report.JsonReader;
import dev.heaplens.report.JsonWriter;
import dev.heaplens.report.JvmInfoJson;
import dev.heaplens.report.ProcessMemoryJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The JSON file beside a captured dump that keeps its {@link Snapshot} metadata:
 *
 * <pre>{@code
 * {"format": "heaplens-snapshot", "version": 1, "dump": "app.hprof", "dumpBytes": 7340032,
 *  "label": null, "time": "2025-06-01T10:00:00Z", "liveOnly": true, "gzip": false,
 *  "jvm": {...JvmInfoJson...}, "memory": {...ProcessMemoryJson...}}
 * }</pre>
 *
 * {@code dumpBytes} ties it to its dump: a sidecar whose dump has another size (replaced since) is
 * ignored, with a warning.
 */
final class SnapshotSidecar {
    static final String FORMAT = "heaplens-snapshot";
    static final int VERSION = 1;

    /**
     * What was found beside a dump: its snapshot, or why a sidecar there could not be used (both
     * {@code null} when there is no sidecar).
     */
    record Lookup(Snapshot snapshot, String problem) {
    }

    private SnapshotSidecar() {
    }

    /** The sidecar document of {@code s}. */
    static String render(Snapshot s, long dumpBytes) {
        JsonWriter w = new JsonWriter().beginObject()
                .name("format").value(FORMAT)
                .name("version").value(VERSION)
                .name("dump").value(s.dump().getFileName().toString())
                .name("dumpBytes").value(dumpBytes)
                .name("label").value(s.label())
                .name("time").value(s.time().toString())
                .name("liveOnly").value(s.liveOnly())
                .name("gzip").value(s.gzip())
                .name("jvm");
        JvmInfoJson.write(w, s.jvm()).name("memory");
        ProcessMemoryJson.write(w, s.memory());
        return w.endObject().toString();
    }

    /** Writes the sidecar of {@code s}; never over an existing file. */
    static void write(Snapshot s) {
        try {
            String json = render(s, Files.size(s.dump()));
            Files.writeString(s.sidecar(), json + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new CaptureException(CaptureException.Reason.TARGET_EXISTS, "the heap dump " + s.dump() + " was written,"
                    + " but " + s.sidecar() + " appeared meanwhile: heaplens never overwrites a file");
        } catch (IOException e) {
            throw new CaptureException(CaptureException.Reason.FAILED, "the heap dump " + s.dump() + " was written, but"
                    + " its snapshot metadata " + s.sidecar().getFileName() + " could not be: " + e, e);
        }
    }

    /** The snapshot beside {@code dump}, if its sidecar exists and fits. */
    static Lookup lookup(Path dump) {
        Path sidecar = Snapshot.sidecarOf(dump);
        if (!Files.isRegularFile(sidecar)) {
            return new Lookup(null, null);
        }
        try {
            JsonReader.Obj doc = JsonReader.parseObject(Files.readString(sidecar, StandardCharsets.UTF_8));
            if (!FORMAT.equals(doc.string("format")) || doc.longValue("version") != VERSION) {
                return new Lookup(null, "ignored " + sidecar + ": not a heaplens snapshot sidecar of version " + VERSION);
            }
            long expected = doc.longValue("dumpBytes");
            long actual = Files.size(dump);
            if (expected != actual) {
                return new Lookup(null, "ignored " + sidecar + ": it describes a dump of " + expected + " bytes, and "
                        + dump.getFileName() + " has " + actual + " (replaced since?)");
            }
            return new Lookup(new Snapshot(dump, doc.string("label"), Instant.parse(doc.string("time")), doc.bool("liveOnly"),
                    doc.bool("gzip"), JvmInfoJson.read(doc.obj("jvm")), ProcessMemoryJson.read(doc.obj("memory"))), null);
        } catch (IOException | IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
            return new Lookup(null, "ignored " + sidecar + ": " + e.getMessage());
        }
    }
}

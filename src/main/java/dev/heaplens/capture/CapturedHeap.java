package dev.heaplens.capture;

import java.nio.file.Path;
import java.time.Instant;

/**
 * What a capture produced: the dump file, when and how it was taken, the JVM it came from, and that
 * JVM's memory read just before the dump. {@code dev.heaplens.Snapshot} adds a label and stores this
 * beside the dump.
 *
 * @param dump     the dump file (absolute)
 * @param time     when the dump was requested
 * @param liveOnly whether only live objects were dumped
 * @param gzip     whether the dump is gzip-compressed
 * @param jvm      the JVM and its size-relevant options
 * @param memory   the JVM's memory just before the dump
 */
public record CapturedHeap(Path dump, Instant time, boolean liveOnly, boolean gzip, JvmInfo jvm, ProcessMemory memory) {

    /** What a metadata sidecar's name adds to its dump's: {@code app.hprof} → {@code app.hprof.json}. */
    public static final String SIDECAR_SUFFIX = ".json";

    /** The metadata sidecar that belongs beside {@code dump}. */
    public static Path sidecarOf(Path dump) {
        return dump.resolveSibling(dump.getFileName() + SIDECAR_SUFFIX);
    }
}

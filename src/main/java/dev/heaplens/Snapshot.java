package dev.heaplens;

import dev.heaplens.capture.CaptureOptions;
import dev.heaplens.capture.CapturedHeap;
import dev.heaplens.capture.JvmConnection;
import dev.heaplens.capture.JvmInfo;
import dev.heaplens.capture.ProcessMemory;
import dev.heaplens.graph.VmLayout;
import dev.heaplens.text.TextTable;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A heap dump heaplens captured, with what it knows about it: when, from which JVM, with which VM
 * options, and that JVM's memory beside the heap. The metadata lives in a small JSON sidecar next to
 * the dump ({@code app.hprof} → {@code app.hprof.json}); {@link Heap#open(Path)} reads it, so sizes
 * follow the JVM's real flags instead of a guess.
 *
 * <pre>{@code
 * Snapshot s = Heap.capture();                 // this JVM, live objects, a fresh file in java.io.tmpdir
 * Snapshot t = Heap.capture(4242);             // another JVM by pid
 * System.out.println(t.memory());              // pools, buffers, NMT, RSS
 * try (Heap heap = t.open()) {
 *     System.out.println(heap.histogram().top(10));
 * }
 * Snapshot.read(Path.of("/tmp/app.hprof"))     // the metadata of an earlier capture
 * }</pre>
 *
 * @param dump     the dump file
 * @param label    a label given when it was taken (a {@link SnapshotSeries} step), or {@code null}
 * @param time     when the dump was requested
 * @param liveOnly whether only live objects were dumped
 * @param gzip     whether the dump is gzip-compressed
 * @param jvm      the JVM and its size-relevant options
 * @param memory   that JVM's memory just before the dump
 */
public record Snapshot(Path dump, String label, Instant time, boolean liveOnly, boolean gzip, JvmInfo jvm,
                       ProcessMemory memory) {

    /**
     * Captures through an open connection as {@code options} say, and writes the sidecar: for several
     * snapshots of one JVM without attaching each time.
     *
     * <pre>{@code
     * try (JvmConnection jvm = JvmConnection.attach(4242)) {
     *     Snapshot before = Snapshot.take(jvm, CaptureOptions.defaults().in(dir), "before");
     *     // ...
     *     Snapshot after = Snapshot.take(jvm, CaptureOptions.defaults().in(dir), "after");
     * }
     * }</pre>
     *
     * @param label a label kept in the sidecar, or {@code null}
     * @throws dev.heaplens.capture.CaptureException if the dump or its sidecar cannot be written
     */
    public static Snapshot take(JvmConnection jvm, CaptureOptions options, String label) {
        CapturedHeap c = jvm.capture(options);
        Snapshot s = new Snapshot(c.dump(), label, c.time(), c.liveOnly(), c.gzip(), c.jvm(), c.memory());
        SnapshotSidecar.write(s);
        return s;
    }

    /**
     * The metadata of a dump heaplens captured, read from its sidecar.
     *
     * @throws IllegalArgumentException if the dump has no sidecar, or it cannot be read or belongs to
     *                                  another file
     */
    public static Snapshot read(Path dump) {
        SnapshotSidecar.Lookup found = SnapshotSidecar.lookup(dump);
        if (found.snapshot() == null) {
            throw new IllegalArgumentException(found.problem() != null ? found.problem()
                    : dump + " has no snapshot metadata (" + sidecarOf(dump).getFileName() + "): it was not captured by heaplens");
        }
        return found.snapshot();
    }

    /** The metadata of {@code dump} if it has a readable sidecar. */
    public static Optional<Snapshot> find(Path dump) {
        return Optional.ofNullable(SnapshotSidecar.lookup(dump).snapshot());
    }

    /** The sidecar file of {@code dump}: {@code <dump>.json}. */
    public static Path sidecarOf(Path dump) {
        return CapturedHeap.sidecarOf(dump);
    }

    /** This snapshot's sidecar file. */
    public Path sidecar() {
        return sidecarOf(dump);
    }

    /** The object layout of the dumped JVM, from its flags: what {@link Heap#open(Path)} uses for sizes. */
    public VmLayout layout() {
        return VmLayout.of(jvm);
    }

    /** Opens the dump; sizes follow {@link #layout()}. */
    public Heap open() {
        return Heap.open(dump);
    }

    /** Opens the dump with {@code options}; their layout, if given, wins over {@link #layout()}. */
    public Heap open(HeapOptions options) {
        return Heap.open(dump, options);
    }

    /** What and where: the dump, the JVM, its flags, and its memory at the time. */
    @Override
    public String toString() {
        TextTable t = new TextTable("snapshot", "");
        t.row("dump", dump);
        if (label != null) {
            t.row("label", label);
        }
        t.row("time", time);
        t.row("objects", liveOnly ? "live (after a full GC)" : "all, unreachable too");
        t.row("gzip", gzip);
        return t + "\n" + jvm + "\n" + memory;
    }
}

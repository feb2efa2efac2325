package dev.heaplens.bench;

import dev.heaplens.hprof.BasicType;
import dev.heaplens.hprof.HprofRecordWriter;
import dev.heaplens.hprof.HprofRecordWriter.FieldDescriptor;
import dev.heaplens.hprof.HprofWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic heap of {@value #NODES} objects for the dominator benchmark at a size no real dump
 * here reaches: {@code Node(next, left, right, value)} objects forming linked lists of 1,000 (the
 * shape that breaks recursive algorithms), a binary tree over the first million, and a random
 * cross reference from a third of them, with 1,000 local-variable roots. Ids are dense like a
 * compacted heap's. Written once with {@link HprofRecordWriter} and cached beside the other dumps.
 */
public final class SyntheticDump {
    static final int NODES = 5_000_000;
    private static final long CLASS_ID = 0x100;
    private static final long OBJECT_CLASS_ID = 0x80;
    private static final long FIRST_ID = 0x10_0000;

    private SyntheticDump() {
    }

    /** The dump, written first if missing. */
    public static synchronized Path path() {
        Path target = Dumps.directory().resolve("synthetic-5m.hprof");
        if (Files.isRegularFile(target)) {
            return target;
        }
        try {
            Files.createDirectories(target.getParent());
            Path partial = target.resolveSibling("synthetic-5m.hprof.partial");
            write(partial);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long id(int node) {
        return FIRST_ID + 32L * node;
    }

    private static void write(Path file) throws IOException {
        SplittableRandom random = new SplittableRandom(5);
        try (HprofRecordWriter w = HprofRecordWriter.open(file, 8, System.currentTimeMillis())) {
            w.maxSegmentBytes(HprofRecordWriter.HOTSPOT_SEGMENT_BYTES);
            long[] names = {1, 2, 3, 4, 5, 6, 7};
            w.utf8(names[0], "java/lang/Object").utf8(names[1], "Node").utf8(names[2], "next").utf8(names[3], "left")
                    .utf8(names[4], "right").utf8(names[5], "value");
            w.loadClass(1, OBJECT_CLASS_ID, 1, names[0]).loadClass(2, CLASS_ID, 1, names[1]);
            w.stackTrace(1, 0);
            w.beginHeapDumpSegment();
            w.classDump(OBJECT_CLASS_ID, 1, 0, 0, 0, 0, 0, List.of(), List.of(), List.of());
            w.classDump(CLASS_ID, 1, OBJECT_CLASS_ID, 0, 0, 0, 32, List.of(), List.of(), List.of(
                    new FieldDescriptor(names[2], BasicType.OBJECT), new FieldDescriptor(names[3], BasicType.OBJECT),
                    new FieldDescriptor(names[4], BasicType.OBJECT), new FieldDescriptor(names[5], BasicType.LONG)));
            w.rootStickyClass(CLASS_ID).rootStickyClass(OBJECT_CLASS_ID);
            for (int r = 0; r < 1000; r++) {
                w.rootUnknown(id(random.nextInt(NODES)));
            }
            w.rootUnknown(id(0));
            for (int i = 0; i < NODES; i++) {
                long next = (i + 1) % 1000 != 0 && i + 1 < NODES ? id(i + 1) : 0;
                long left = i < 1_000_000 && 2L * i + 1 < NODES ? id(2 * i + 1) : 0;
                long right = i < 1_000_000 && 2L * i + 2 < NODES ? id(2 * i + 2) : 0;
                if (right == 0 && random.nextInt(3) == 0) {
                    right = id(random.nextInt(NODES));
                }
                if (i % 1000 == 0 && i >= 2_000_000) {
                    left = id(i / 2); // list heads hang off the tree's region, so most lists are reachable
                }
                w.instanceDump(id(i), 1, CLASS_ID, HprofWriter.ref(next), HprofWriter.ref(left), HprofWriter.ref(right),
                        HprofWriter.value((long) i));
            }
            w.endHeapDump().heapDumpEnd();
        }
    }
}

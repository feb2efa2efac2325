package dev.heaplens.graph;

import dev.heaplens.Heap;
import dev.heaplens.HeapOptions;
import dev.heaplens.analysis.HistogramRow;
import dev.heaplens.hprof.HprofWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.heaplens.hprof.BasicType.OBJECT;
import static dev.heaplens.hprof.HprofWriter.fields;
import static dev.heaplens.hprof.HprofWriter.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dump of more than 4 GB: three byte arrays of 1.9 GB each, then an object past the 4 GB mark
 * that references them. The arrays' contents are holes of a sparse file, so the test writes a few
 * kilobytes, yet every offset, length and size beyond 32 bits is exercised, as are records that
 * straddle the 1 GiB map chunks.
 */
class LargeFileTest {
    private static final int ARRAY_BYTES = 1_900_000_000;
    private static final long[] ARRAY_IDS = {0x7_1000_0000L, 0x7_9000_0000L, 0x8_1000_0000L};
    private static final long HOLDER_ID = 0x9_0000_0000L;

    @TempDir
    Path temp;

    @Test
    void readsADumpOfMoreThanFourGigabytes() throws IOException {
        Path dump = temp.resolve("large.hprof");
        writeSparseDump(dump);
        assertTrue(Files.size(dump) > 5_000_000_000L, "size " + Files.size(dump));
        try (Heap heap = Heap.open(dump, HeapOptions.defaults().layout(VmLayout.compressed()))) {
            ObjectGraph g = heap.graph();
            int holder = g.indexOf(HOLDER_ID);
            assertTrue(g.recordOffset(holder) > 4L << 30, "the holder's record lies past 4 GB");
            List<Integer> refs = new ArrayList<>();
            g.forEachReference(holder, refs::add);
            assertEquals(List.of(g.indexOf(ARRAY_IDS[0]), g.indexOf(ARRAY_IDS[1]), g.indexOf(ARRAY_IDS[2])), refs);
            for (int k = 0; k < ARRAY_IDS.length; k++) {
                HeapPrimitiveArray array = (HeapPrimitiveArray) heap.object(ARRAY_IDS[k]);
                assertEquals(ARRAY_BYTES, array.length());
                assertEquals(VmLayout.compressed().arraySize(dev.heaplens.hprof.BasicType.BYTE, ARRAY_BYTES), array.shallowSize());
                assertEquals((byte) (k + 1), array.get(ARRAY_BYTES - 1), "the last byte of array " + k);
                assertEquals((byte) 0, array.get(ARRAY_BYTES / 2));
            }
            HistogramRow bytes = heap.histogram().row("byte[]");
            assertTrue(bytes.shallowBytes() >= 3L * ARRAY_BYTES, "bytes summed in long: " + bytes.shallowBytes());
        }
    }

    /** A small fixture, then three huge PRIM ARRAY DUMP segments whose contents are holes, then the holder. */
    private static void writeSparseDump(Path target) throws IOException {
        byte[] head = HprofWriter.create(8)
                .classDump("Holder", fields("a", OBJECT, "b", OBJECT, "c", OBJECT))
                .primitiveArray(0x100, dev.heaplens.hprof.BasicType.BYTE, new byte[1]) // declares byte[]
                .stickyClassRoot("Holder")
                .toBytes();
        // drop the final HEAP DUMP END (9 bytes); segments follow
        assertEquals(0x2C, head[head.length - 9] & 0xFF);
        long classId = HprofWriter.create(8).classDump("Holder", fields("a", OBJECT, "b", OBJECT, "c", OBJECT)).classIdOf("Holder");
        try (RandomAccessFile out = new RandomAccessFile(target.toFile(), "rw")) {
            out.write(head, 0, head.length - 9);
            for (int k = 0; k < ARRAY_IDS.length; k++) {
                long body = 1 + 8 + 4 + 4 + 1 + (long) ARRAY_BYTES;
                segmentHeader(out, body);
                out.writeByte(0x23);
                out.writeLong(ARRAY_IDS[k]);
                out.writeInt(1);
                out.writeInt(ARRAY_BYTES);
                out.writeByte(8); // byte
                out.seek(out.getFilePointer() + ARRAY_BYTES - 1); // a hole
                out.writeByte(k + 1);
            }
            long body = 1 + 8 + 4 + 8 + 4 + 24 + 1 + 8;
            segmentHeader(out, body);
            out.writeByte(0x21);
            out.writeLong(HOLDER_ID);
            out.writeInt(1);
            out.writeLong(classId);
            out.writeInt(24);
            for (long id : ARRAY_IDS) {
                out.writeLong(id);
            }
            out.writeByte(0xFF); // ROOT UNKNOWN
            out.writeLong(HOLDER_ID);
            out.writeByte(0x2C); // HEAP DUMP END
            out.writeInt(0);
            out.writeInt(0);
        }
    }

    private static void segmentHeader(RandomAccessFile out, long bodyLength) throws IOException {
        out.writeByte(0x1C);
        out.writeInt(0);
        out.writeInt((int) bodyLength);
    }
}

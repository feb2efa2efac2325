package dev.heaplens.hprof;

import dev.heaplens.testing.RealDumps;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The record pass in parts ({@link HprofReader#acceptInParallel}) against the sequential one ({@link HprofReader#accept}). */
class HprofReaderTest {
    private static final Path NAME = Path.of("parts.hprof");

    @Test
    void theHeapDumpRecordsAreSplitIntoRunsThatJoinToTheSequentialPass() throws IOException {
        byte[] bytes = Files.readAllBytes(RealDumps.workload());
        try (HprofFile file = HprofFile.wrap(NAME, bytes, 30)) {
            Offsets sequential = new Offsets();
            HprofReader.Result whole = new HprofReader(file).accept(sequential);
            assertTrue(whole.complete());
            List<Long> segmentBytes = sequential.topLevel.stream().filter(r -> r.startsWith("HEAP_DUMP_SEGMENT "))
                    .map(r -> Long.parseLong(r.substring(r.lastIndexOf(' ') + 1))).toList();
            int segments = segmentBytes.size();
            assertTrue(segments >= 3, segments + " segments");
            for (int count = 1; count <= Math.min(4, segments); count++) {
                Offsets top = new Offsets();
                List<Offsets> parts = new ArrayList<>();
                for (int k = 0; k < count; k++) {
                    parts.add(new Offsets());
                }
                HprofReader.Result result = new HprofReader(file).acceptInParallel(top, parts);
                assertNotNull(result, count + " parts");
                assertEquals(whole.bytesRead(), result.bytesRead());
                assertEquals(sequential.topLevel, top.topLevel, "records that are not heap sub-records go to the top visitor");
                assertEquals(0, top.heap.size(), "no heap sub-record goes to the top visitor");
                LongArrayList joined = new LongArrayList();
                long heapBytes = segmentBytes.stream().mapToLong(Long::longValue).sum();
                long largestSegment = segmentBytes.stream().mapToLong(Long::longValue).max().orElseThrow();
                int used = 0;
                for (Offsets part : parts) {
                    // each part ends at the segment boundary nearest to its share of the bytes
                    if (part.heap.isEmpty()) {
                        continue;
                    }
                    used++;
                    long span = part.heap.getLong(part.heap.size() - 1) - part.heap.getLong(0);
                    assertTrue(span <= heapBytes / count + largestSegment, "a part of " + span + " bytes among " + count
                            + " of a " + heapBytes + "-byte dump");
                    joined.addAll(part.heap);
                }
                assertTrue(used >= Math.min(count, 2), used + " of " + count + " parts read something");
                assertEquals(sequential.heap, joined, "the parts, one after the other, are the sequential pass");
            }
        }
    }

    @Test
    void aProblemAnywhereMakesThePassInPartsDeclineAndTheSequentialPassNamesIt() throws IOException {
        byte[] bytes = Files.readAllBytes(RealDumps.workload());
        long lastObject;
        try (HprofFile file = HprofFile.wrap(NAME, bytes, 30)) {
            Offsets offsets = new Offsets();
            new HprofReader(file).accept(offsets);
            lastObject = offsets.heap.getLong(offsets.heap.size() - 1);
        }
        byte[] badTag = bytes.clone();
        badTag[(int) lastObject] = (byte) 0x7E; // no heap sub-record has this tag
        byte[] cut = Arrays.copyOf(bytes, (int) lastObject + 3);
        byte[] noEnd = Arrays.copyOf(bytes, bytes.length - 9); // HEAP DUMP END is the last record, 9 bytes
        for (byte[] damaged : List.of(badTag, cut, noEnd)) {
            for (boolean lenient : new boolean[] {false, true}) {
                try (HprofFile file = HprofFile.wrap(NAME, damaged, 30)) {
                    HprofReader reader = new HprofReader(file, lenient);
                    assertNull(reader.acceptInParallel(new Offsets(), List.of(new Offsets(), new Offsets())));
                    if (lenient) {
                        assertTrue(!reader.accept(new Offsets()).complete());
                    } else {
                        HprofFormatException e = assertThrows(HprofFormatException.class, () -> reader.accept(new Offsets()));
                        assertTrue(e.getMessage().startsWith(NAME + ": at byte "), e.getMessage());
                    }
                }
            }
        }
    }

    /** The record offset of every heap sub-record, and a line for every other record, in the order reported. */
    private static final class Offsets implements HprofVisitor {
        final LongArrayList heap = new LongArrayList();
        final List<String> topLevel = new ArrayList<>();

        @Override
        public void utf8(long id, long textOffset, int length) {
            topLevel.add("utf8 " + id + " " + textOffset);
        }

        @Override
        public void loadClass(int classSerial, long classId, int stackTraceSerial, long nameId) {
            topLevel.add("class " + classSerial + " " + classId);
        }

        @Override
        public void stackTrace(int serial, int threadSerial, long[] frameIds) {
            topLevel.add("trace " + serial + " " + Arrays.toString(frameIds));
        }

        @Override
        public void heapDumpStart(RecordTag tag, long bodyOffset, long length) {
            topLevel.add(tag.name() + " " + bodyOffset + " " + length);
        }

        @Override
        public void heapDumpEnd(long offset) {
            topLevel.add("end " + offset);
        }

        @Override
        public void root(RootKind kind, long objectId, int threadSerial, long extra, long recordOffset) {
            heap.add(recordOffset);
        }

        @Override
        public void classDump(ClassDump dump) {
            heap.add(dump.recordOffset());
        }

        @Override
        public void instance(long id, long classId, long recordOffset, long dataOffset, int dataLength) {
            heap.add(recordOffset);
        }

        @Override
        public void objectArray(long id, long arrayClassId, long recordOffset, long elementsOffset, int length) {
            heap.add(recordOffset);
        }

        @Override
        public void primitiveArray(long id, BasicType type, long recordOffset, long elementsOffset, int length) {
            heap.add(recordOffset);
        }
    }
}

package dev.heaplens.fuzz;

import dev.heaplens.graph.GraphBuilder;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.hprof.HprofFile;
import dev.heaplens.hprof.HprofFormatException;
import dev.heaplens.hprof.HprofWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;

import static dev.heaplens.hprof.BasicType.OBJECT;
import static dev.heaplens.hprof.HprofWriter.fields;
import static dev.heaplens.hprof.HprofWriter.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the fuzzer found, each fixed in the library: the mutant that found it replayed from its seed
 * (a fixture's, so it replays on every machine; the test checks that the seed still makes the same
 * mutation), and a minimal hand-built dump with the same damage.
 */
class FuzzFindingsTest {
    private static final Path NAME = Path.of("finding.hprof");

    /** Replays {@code mutant} through the whole fuzz pipeline, strict and lenient: no finding. */
    private static void replaysClean(String mutant, String mutation) {
        int colon = mutant.lastIndexOf(':');
        FuzzCorpus.Seed seed = FuzzCorpus.seed(mutant.substring(0, colon));
        long number = Long.parseLong(mutant.substring(colon + 1));
        assertEquals(mutation, new Mutator(seed).mutate(number).description(), "the seed makes the mutant that found it");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (Fuzzer fuzzer = new Fuzzer(List.of(seed), Fuzzer.Bounds.defaults(), new java.io.PrintStream(log, true))) {
            fuzzer.measureSeeds(1);
            assertEquals(List.of(), fuzzer.fuzz(seed.name(), number), log::toString);
        }
    }

    private static ObjectGraph graph(byte[] dump, boolean lenient) {
        HprofFile file = HprofFile.wrap(NAME, dump, 12);
        return new GraphBuilder(file).lenient(lenient).threads(1).build();
    }

    private static HprofFormatException rejected(byte[] dump) {
        return assertThrows(HprofFormatException.class, () -> graph(dump, false));
    }

    /** A HEAP DUMP record claiming more bytes than the file holds, all of whose sub-records were whole, read as complete. */
    @Test
    void aHeapDumpClaimingMoreThanTheFileIsIncompleteInLenientMode() {
        replaysClean("fixture4-heapdump.hprof:21", "SEGMENT_OVERCLAIM: segment length at 2671 -> 3514 (3513 remain)");
        byte[] dump = HprofWriter.create(4).singleHeapDumpRecord()
                .classDump("app.Node", fields("next", OBJECT))
                .instance(1, "app.Node", ref(1))
                .stickyClassRoot("app.Node")
                .toBytes();
        int intact = graph(dump, false).objectCount();
        DumpMap map = DumpMap.of(dump);
        int length = map.segmentLengths.getInt(0);
        putU4(dump, length, u4(dump, length) + 1); // one byte more than there is
        HprofFormatException strict = rejected(dump);
        assertTrue(strict.getMessage().contains("HEAP DUMP: record claims"), strict.getMessage());
        ObjectGraph lenient = graph(dump, true);
        assertFalse(lenient.readResult().complete());
        assertEquals(strict.getMessage(), lenient.readResult().problem().getMessage());
        assertTrue(lenient.warnings().stream().anyMatch(s -> s.contains("remain in the file")), lenient.warnings().toString());
        assertEquals(intact, lenient.objectCount(), "every sub-record is whole, and kept");
    }

    private static void putId(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long u4(byte[] b, int at) {
        return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
    }

    private static void putU4(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}

package dev.heaplens.graph;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OffsetArrayTest {
    private static final long FOUR_GIB = 1L << 32;

    @Test
    void narrowValuesReadBackUnsignedUpToFourGibibytes() {
        OffsetArray a = OffsetArray.forValuesBelow(3, FOUR_GIB);
        assertTrue(a.isNarrow());
        a.set(0, 0);
        a.set(1, Integer.MAX_VALUE + 1L);
        a.set(2, FOUR_GIB - 1);
        assertArrayEquals(new long[] {0, Integer.MAX_VALUE + 1L, FOUR_GIB - 1}, a.toLongArray());
        assertEquals(12, a.footprintBytes());
    }

    @Test
    void valuesThatMayReachFourGibibytesAreKeptWhole() {
        OffsetArray a = OffsetArray.forValuesBelow(2, FOUR_GIB + 1);
        assertFalse(a.isNarrow());
        a.set(1, 5L << 32 | 7);
        assertEquals(5L << 32 | 7, a.get(1));
        assertEquals(16, a.footprintBytes());
    }

    @Test
    void ofNarrowsOnlyWhatFits() {
        assertTrue(OffsetArray.of(new long[] {1, FOUR_GIB - 1}).isNarrow());
        OffsetArray wide = OffsetArray.of(new long[] {1, FOUR_GIB});
        assertFalse(wide.isNarrow());
        assertArrayEquals(new long[] {1, FOUR_GIB}, wide.toLongArray());
    }

    @Test
    void aNonDecreasingSequenceWrittenNarrowIsRestoredPastFourGibibytes() {
        long step = Integer.MAX_VALUE; // the most references one object can have
        long[] whole = {0, 10, step, 2 * step, FOUR_GIB + 5, 3 * step + 1, 3 * step + 1, 5 * step, 6 * step + 2, 7 * step + 3};
        OffsetArray a = OffsetArray.forValuesBelow(whole.length, FOUR_GIB);
        for (int i = 0; i < whole.length; i++) {
            a.set(i, whole[i]);
        }
        assertTrue(a.get(whole.length - 1) < whole[whole.length - 1], "a narrow array kept only the low bits");
        OffsetArray restored = a.nonDecreasingUpTo(whole[whole.length - 1]);
        assertFalse(restored.isNarrow());
        assertArrayEquals(whole, restored.toLongArray());
    }

    @Test
    void aSequenceThatFitsStaysNarrowAndAWrongTotalIsCaught() {
        OffsetArray a = OffsetArray.forValuesBelow(3, FOUR_GIB);
        a.set(0, 0);
        a.set(1, 4);
        a.set(2, 9);
        assertSame(a, a.nonDecreasingUpTo(9));
        assertThrows(IllegalStateException.class, () -> a.nonDecreasingUpTo(FOUR_GIB + 9 + 1));
    }
}

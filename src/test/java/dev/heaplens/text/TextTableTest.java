package dev.heaplens.text;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TextTable}: alignment, and a cost in proportion to what it prints. */
class TextTableTest {

    @Test
    void numbersAlignRightTextLeftAndNoLineEndsInBlanks() {
        TextTable t = new TextTable("class", "count", "note").alignRight(1);
        t.row("java.lang.String", TextTable.number(1234), "");
        t.row("int[]", TextTable.number(7), "big");
        assertEquals("""
                class             count  note
                ----------------  -----  ----
                java.lang.String  1,234
                int[]                 7  big
                """, t.toString());
    }

    /**
     * A damaged dump's class name can swallow the records after it (the fuzzer's jdk17.hprof:10028040:
     * a UTF8 record of half a megabyte): every row was padded to that width, and then the padding
     * dropped, 371 MB for a table of 1 MB.
     */
    @Test
    void aHugeLastCellCostsItsOwnSizeNotOnceInEveryRow() {
        String huge = "x".repeat(1_000_000);
        TextTable t = new TextTable("#", "class").alignRight(0);
        t.row(1, huge);
        for (int i = 2; i <= 1000; i++) {
            t.row(i, "app.C" + i);
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        String s = t.toString();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(s.length() > 2_000_000 && s.length() < 2_020_000, "the rule under the header is as wide as the cell: " + s.length());
        assertTrue(s.contains("\n1000  app.C1000\n"), "short rows stay short");
        assertTrue(allocated < 40_000_000, "allocated " + allocated + " bytes for a table of " + s.length() + " characters");
    }
}

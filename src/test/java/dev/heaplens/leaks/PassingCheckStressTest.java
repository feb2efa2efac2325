package dev.heaplens.leaks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 1,000 passing leak checks in a row without a false failure ({@link PassingCheckStress}), in a
 * JVM of their own with a test-sized heap ({@code -Xmx256m}): a passing check costs a full
 * collection, whose time grows with the live heap, and this suite's JVM holds whatever earlier test
 * classes left (there the same loop took 54 s, here about 3 s).
 */
class PassingCheckStressTest {
    @TempDir
    Path dumps;

    @Test
    void aThousandPassingChecksWithoutAFalseFailure() throws IOException, InterruptedException {
        ChildProgram child = ChildProgram.run(System.getProperty("java.class.path"), List.of("-Xmx256m"), 300,
                PassingCheckStress.class, dumps.toString());
        String out = child.output();
        assertEquals(0, child.exitCode(), out);
        assertTrue(out.startsWith("PASSED " + PassingCheckStress.CHECKS + " "), out);
        long millis = Long.parseLong(out.strip().split(" ")[2]);
        System.out.printf("PassingCheckStressTest: %,d passing checks in %,d ms (%.1f ms each)%n",
                PassingCheckStress.CHECKS, millis, (double) millis / PassingCheckStress.CHECKS);
    }
}

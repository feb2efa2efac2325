package dev.heaplens.leaks;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 1,000 passing leak checks in a row without a false failure ({@link PassingCheckStress}), in a
 * JVM of their own with a test-sized heap ({@code -Xmx256m}), under each collector whose eden a
 * check may fill, and with {@code System.gc()} disabled, where filling eden is the only collection a
 * check can make (before it could, each of these checks waited out its timeout and dumped the heap).
 * A JVM of their own, because a full collection's time grows with the live heap, and this suite's JVM
 * holds whatever earlier test classes left (there the same loop took 54 s, here about 3 s).
 */
class PassingCheckStressTest {
    @TempDir
    Path dumps;

    @ParameterizedTest
    @ValueSource(strings = {"-XX:+UseG1GC", "-XX:+UseParallelGC", "-XX:+UseSerialGC", "-XX:+DisableExplicitGC"})
    void aThousandPassingChecksWithoutAFalseFailure(String flag) throws IOException, InterruptedException {
        ChildProgram child = ChildProgram.run(System.getProperty("java.class.path"), List.of("-Xmx256m", flag), 300,
                PassingCheckStress.class, dumps.toString());
        String out = child.output();
        assertEquals(0, child.exitCode(), out);
        assertTrue(out.startsWith("PASSED " + PassingCheckStress.CHECKS + " "), out);
        long millis = Long.parseLong(out.strip().split(" ")[2]);
        System.out.printf("PassingCheckStressTest %s: %,d passing checks in %,d ms (%.1f ms each); %s%n", flag,
                PassingCheckStress.CHECKS, millis, (double) millis / PassingCheckStress.CHECKS, out.strip().split(" ", 4)[3]);
    }
}

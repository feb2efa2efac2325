package dev.heaplens.fuzz;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CI fuzz run: a fixed set of mutants of the seed corpus (the same numbers on every run), none
 * of which may crash, hang, or exceed its resource bounds. {@code -Dfuzz.mutants=N} and
 * {@code -Dfuzz.first=K} run another set (see {@code docs/fuzzing.md}).
 */
class FuzzTest {
    @Test
    void noMutantCrashesHangsOrBlowsUp() {
        long count = Long.getLong("fuzz.mutants", 5000);
        long first = Long.getLong("fuzz.first", 0);
        // fixtures eight times as often as each real dump: about one mutant in six is of a real dump
        Fuzzer.Stats stats = FuzzMain.run(FuzzCorpus.seeds(), first, count, Integer.getInteger("fuzz.fixtureWeight", 8),
                Integer.getInteger("fuzz.progress", 0));
        System.out.print(stats);
        assertEquals(List.of(), stats.findings.stream().map(Fuzzer.Finding::toString).toList());
        assertTrue(stats.strictRejected > count / 3, "most mutants are damaged enough to be rejected: " + stats);
        assertEquals(count, stats.mutants);
    }
}

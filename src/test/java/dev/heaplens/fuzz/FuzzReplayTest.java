package dev.heaplens.fuzz;

import dev.heaplens.fuzz.FuzzCorpus.Seed;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Replays one mutant a fuzz run reported: {@code mvn -B -q -o test -Dtest=FuzzReplayTest
 * -Dfuzz.replay=jdk17.hprof:1234}. Without the property it does nothing. A mutant of a real dump
 * replays exactly only on the same seed file (its CRC is printed): the cached one under
 * {@code target/fuzz-corpus}.
 */
class FuzzReplayTest {
    @Test
    void replaysTheMutantNamedByFuzzReplay() {
        String mutant = System.getProperty("fuzz.replay");
        assumeTrue(mutant != null && !mutant.isBlank(), "set -Dfuzz.replay=seed-file:number");
        assertEquals(List.of(), replay(mutant, System.out));
    }

    /** Runs one mutant, {@code seed-file:number}, printing what was done to it and what came of it. */
    static List<Fuzzer.Finding> replay(String mutant, PrintStream log) {
        int colon = mutant.lastIndexOf(':');
        String name = mutant.substring(0, colon);
        long number = Long.parseLong(mutant.substring(colon + 1));
        Seed seed = FuzzCorpus.seed(name);
        log.printf("seed %s crc %08x%n", seed, seed.crc());
        log.println("mutation: " + new Mutator(seed).mutate(number).description());
        try (Fuzzer fuzzer = new Fuzzer(List.of(seed), Fuzzer.Bounds.defaults(), log)) {
            fuzzer.measureSeeds(3);
            List<Fuzzer.Finding> found = fuzzer.fuzz(name, number);
            log.print(fuzzer.stats());
            return found;
        }
    }
}

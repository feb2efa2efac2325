package dev.heaplens.fuzz;

import dev.heaplens.fuzz.FuzzCorpus.Seed;

import java.util.ArrayList;
import java.util.List;

/**
 * The fuzzer on its own, for long runs (see {@code docs/fuzzing.md}):
 *
 * <pre>
 * mvn -B -q -o test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
 * nice java -Xmx2g -cp target/test-classes:target/classes:$(cat target/test.classpath) \
 *     dev.heaplens.fuzz.FuzzMain --mutants 100000 --progress 10000
 * </pre>
 *
 * (The exec plugin is not available offline here; {@code mvn -Pfuzz test -Dfuzz.mutants=N} runs
 * {@link FuzzTest} instead.)
 *
 * Options: {@code --mutants N} (default 5000), {@code --first K} (the first mutant number, default
 * 0; mutant k of a run is number {@code first + k} of the seed {@link #seedOf} picks), {@code
 * --seeds a,b} (only these seed files), {@code --fixture-weight W} (each fixture comes up W times as
 * often as each real dump, default 2), {@code --replay seed-file:number} (one mutant, printed in full),
 * {@code --progress N} (print the counts every N mutants). Exits 1 if there was a finding.
 */
public final class FuzzMain {
    private FuzzMain() {
    }

    /** The command that replays one mutant. */
    static String replayCommand(String mutant) {
        return "mvn -B -q -o test -Dtest=FuzzReplayTest -Dfuzz.replay=" + mutant;
    }

    /**
     * The seed file of mutant {@code number} in a run over {@code seeds}: each fixture takes
     * {@code fixtureWeight} slots of a cycle, each real dump one. A fixture's mutant runs in a few
     * milliseconds, a real dump's in tens.
     */
    static String seedOf(List<Seed> seeds, long number, int fixtureWeight) {
        List<String> slots = new ArrayList<>();
        for (Seed s : seeds) {
            int n = s.name().startsWith("fixture") ? fixtureWeight : 1;
            for (int i = 0; i < n; i++) {
                slots.add(s.name());
            }
        }
        return slots.get((int) Math.floorMod(number, (long) slots.size()));
    }

    /** Runs mutants {@code first .. first + count - 1}; returns the counts and findings. */
    static Fuzzer.Stats run(List<Seed> seeds, long first, long count, int fixtureWeight, int progress) {
        try (Fuzzer fuzzer = new Fuzzer(seeds, Fuzzer.Bounds.defaults(), System.out)) {
            fuzzer.measureSeeds(5);
            for (long k = 0; k < count; k++) {
                long number = first + k;
                fuzzer.fuzz(seedOf(seeds, number, fixtureWeight), number);
                if (progress > 0 && (k + 1) % progress == 0) {
                    System.out.print(fuzzer.stats());
                    System.out.flush();
                }
            }
            return fuzzer.stats();
        }
    }

    public static void main(String[] args) {
        long count = 5000;
        long first = 0;
        int progress = 0;
        int fixtureWeight = 2;
        String only = null;
        String replay = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mutants" -> count = Long.parseLong(args[++i]);
                case "--first" -> first = Long.parseLong(args[++i]);
                case "--progress" -> progress = Integer.parseInt(args[++i]);
                case "--fixture-weight" -> fixtureWeight = Integer.parseInt(args[++i]);
                case "--seeds" -> only = args[++i];
                case "--replay" -> replay = args[++i];
                default -> {
                    System.err.println("unknown option " + args[i] + "; see FuzzMain's Javadoc");
                    System.exit(2);
                }
            }
        }
        List<Seed> seeds = new ArrayList<>(FuzzCorpus.seeds());
        if (only != null) {
            List<String> names = List.of(only.split(","));
            seeds.removeIf(s -> !names.contains(s.name()));
        }
        if (replay != null) {
            System.exit(FuzzReplayTest.replay(replay, System.out).isEmpty() ? 0 : 1);
        }
        for (Seed s : seeds) {
            System.out.printf("seed %s crc %08x%n", s, s.crc());
        }
        Fuzzer.Stats stats = run(seeds, first, count, fixtureWeight, progress);
        System.out.print(stats);
        System.exit(stats.findings.isEmpty() ? 0 : 1);
    }
}

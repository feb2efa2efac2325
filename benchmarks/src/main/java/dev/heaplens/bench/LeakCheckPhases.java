package dev.heaplens.bench;

import dev.heaplens.Heap;
import dev.heaplens.analysis.DominatorTree;
import dev.heaplens.analysis.ReferencePolicy;
import dev.heaplens.analysis.RetainedSize;
import dev.heaplens.analysis.ShortestPaths;
import dev.heaplens.capture.CaptureOptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a failing leak check spends its time, phase by phase, on this JVM holding {@code MB} MB of
 * live objects (first argument, default 100): the live dump (a full collection, then writing), the
 * graph build ({@code Heap.open}), the shortest strong paths, the retained size of one object as a
 * check computes it ({@code RetainedSize}: two searches), and for comparison the whole dominator
 * tree a check no longer needs. Repeats {@code N} times (second argument, default 5), so the later rows are warm.
 *
 * <pre>
 * java -Xmx2g -cp target/benchmarks.jar dev.heaplens.bench.LeakCheckPhases 100 5
 * </pre>
 */
public final class LeakCheckPhases {
    private LeakCheckPhases() {
    }

    public static void main(String[] args) throws Exception {
        int mb = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        LiveBallast.hold(mb);
        Path dir = Files.createTempDirectory("heaplens-leak-phases");
        System.out.println("| round | dump MB | objects | System.gc() ms | dump (gc + write) ms | open ms | paths ms | retained size of one ms | check total ms | (dominator tree ms) |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int round = 1; round <= rounds; round++) {
            Path dump = dir.resolve("phase-" + round + ".hprof");
            long t0 = System.nanoTime();
            System.gc();
            long t1 = System.nanoTime();
            Heap.capture(CaptureOptions.defaults().to(dump));
            long t2 = System.nanoTime();
            try (Heap heap = Heap.open(dump)) {
                long t3 = System.nanoTime();
                ShortestPaths paths = heap.shortestPaths();
                long t4 = System.nanoTime();
                int someRow = heap.graph().indexOf(heap.instancesOf("java.lang.Object[]").get(0).id());
                long retained = RetainedSize.over(heap.graph(), ReferencePolicy.EXCLUDE_REFERENTS).of(someRow);
                long t5 = System.nanoTime();
                DominatorTree tree = DominatorTree.compute(heap.graph(), ReferencePolicy.EXCLUDE_REFERENTS);
                long t6 = System.nanoTime();
                if (paths.reachedCount() == 0 || tree.retainedSize(someRow) != retained) {
                    throw new IllegalStateException("the retained sizes differ");
                }
                System.out.printf("| %d | %,d | %,d | %d | %d | %d | %d | %d | %d | (%d) |%n", round, Files.size(dump) / 1_000_000,
                        heap.objectCount(), ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t3, t4), ms(t4, t5), ms(t1, t5), ms(t5, t6));
            }
            Files.delete(dump);
        }
        Files.delete(dir);
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }
}

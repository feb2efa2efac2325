package dev.heaplens.leaks;

import dev.heaplens.Heap;
import dev.heaplens.diff.HeapGrowth;
import dev.heaplens.text.TextTable;

import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Assertions on what the heap holds, counted exactly in a live dump of this JVM: the dump starts
 * with a full collection, and only <em>strongly reachable</em> instances count (those held only by
 * soft, weak, phantom or final references are garbage the next collection under pressure reclaims,
 * and are mentioned, not counted). Instances of subclasses count as instances of the class. On
 * failure the message has the path from a GC root to up to three instances, those retaining most
 * first, and where the dump was kept.
 *
 * <pre>{@code
 * import static dev.heaplens.leaks.HeapAssertions.*;
 *
 * server.stop();
 * assertNoInstances(Session.class, Connection.class);
 * assertInstanceCount(Worker.class, 4);          // at most the pool's size
 * }</pre>
 *
 * <p>Every call writes and reads a dump of the whole heap, so it costs time in proportion to the live
 * heap (about a second per 100 MB); dumps are written where {@link LeakCheckOptions#fromSystemProperties()}
 * says, deleted when the assertion holds. The class is found in the dump by identity, not by name:
 * a class of the same name from another class loader is another class. Interfaces cannot be asked
 * for (a heap dump does not record which interfaces a class implements), nor primitive types.
 * The same care as for {@link LeakWatcher} applies to the caller's own local variables.
 */
public final class HeapAssertions {
    /** Instances traced in a failure message, per class. */
    static final int TRACED_INSTANCES = 3;

    private HeapAssertions() {
    }

    /**
     * Asserts that no instance of these classes (or their subclasses) is strongly reachable.
     *
     * @throws LeakAssertionError naming each class that has instances, with paths to up to three of them
     */
    public static void assertNoInstances(Class<?>... types) {
        List<Limit> limits = new ArrayList<>();
        for (Class<?> t : types) {
            limits.add(new Limit(t, 0));
        }
        check(limits);
    }

    /**
     * Asserts that at most {@code max} instances of {@code type} (subclasses included) are strongly
     * reachable.
     *
     * @throws LeakAssertionError with the count found and paths to up to three instances
     */
    public static void assertInstanceCount(Class<?> type, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative: " + max);
        }
        check(List.of(new Limit(type, max)));
    }

    private record Limit(Class<?> type, int max) {
        Limit {
            Objects.requireNonNull(type, "type");
            if (type.isInterface() || type.isPrimitive()) {
                throw new IllegalArgumentException(type.getName() + " is " + (type.isPrimitive() ? "a primitive type" : "an interface")
                        + ": a heap dump records classes and their superclasses only; pass a class");
            }
        }
    }

    /**
     * Asserts that repeating {@code scenario} does not make the heap grow: runs it once to warm up
     * (lazy initialisation, class loading and first-use caches grow once, not every time), dumps the
     * live heap, then runs it {@code iterations} more times with a dump after each, and fails when a
     * retention path gained objects in every iteration ({@link HeapGrowth}, as LeakCanary's heap
     * growth detection): a leak grows each time, a cache that fills up and stays full does not.
     *
     * <pre>{@code
     * assertNoGrowth(() -> { Session s = server.open(); s.close(); }, 5);
     * }</pre>
     *
     * @param iterations repetitions after the warm-up, each followed by a dump: at least 2 (three
     *                   dumps); more make a slowly growing leak stand out from noise, at a dump each
     * @throws LeakAssertionError naming each path that grew in every iteration, with its growth per
     *                            iteration, and where the dumps were kept
     */
    public static void assertNoGrowth(Runnable scenario, int iterations) {
        Objects.requireNonNull(scenario, "scenario");
        if (iterations < 2) {
            throw new IllegalArgumentException("iterations must be at least 2 (three dumps to compare), not " + iterations);
        }
        LeakCheckOptions options = LeakCheckOptions.fromSystemProperties();
        Path[] dumps = HeapDumps.names(options, "growth-check", iterations + 1);
        for (Path dump : dumps) {
            dump.toString(); // a path caches its string form when first asked: ask now, not between dumps
        }
        HeapGrowth growth;
        try {
            scenario.run();
            for (int i = 0; i <= iterations; i++) {
                if (i > 0) {
                    scenario.run();
                }
                HeapDumps.writeLiveBare(dumps[i]);
            }
            growth = HeapGrowth.of(List.of(dumps));
        } catch (RuntimeException | Error e) {
            for (Path dump : dumps) {
                HeapDumps.settle(dump, options.keepDumps(false));
            }
            throw e;
        }
        if (growth.paths().isEmpty()) {
            for (Path dump : dumps) {
                HeapDumps.delete(dump);
            }
            return;
        }
        StringBuilder message = new StringBuilder("The heap grew in every one of ").append(iterations)
                .append(" repetitions of the scenario: ").append(growth.paths().size())
                .append(growth.paths().size() == 1 ? " path gained" : " paths gained").append(" objects each time.\n\n")
                .append(growth);
        message.append("\nOne dump after the warm-up and one after each repetition:");
        for (Path dump : dumps) {
            message.append('\n').append(HeapDumps.settle(dump, options));
        }
        throw new LeakAssertionError(message.toString(), List.of(), options.keepDumps() ? dumps[dumps.length - 1] : null);
    }

    private static void check(List<Limit> limits) {
        if (limits.isEmpty()) {
            throw new IllegalArgumentException("name at least one class");
        }
        LeakCheckOptions options = LeakCheckOptions.fromSystemProperties();
        List<TypeProbe> probes = limits.stream().map(l -> new TypeProbe(l.type())).toList();
        Path dump = HeapDumps.writeLive(options, "instance-check");
        Reference.reachabilityFence(probes);
        List<String> headlines = new ArrayList<>();
        List<LeakTrace> traces = new ArrayList<>();
        try (Heap heap = Heap.open(dump)) {
            StrongPaths paths = new StrongPaths(heap);
            for (int i = 0; i < limits.size(); i++) {
                InstanceCensus census = InstanceCensus.of(paths, probes.get(i));
                int max = limits.get(i).max();
                if (census.count() > max) {
                    headlines.add(headline(census, max));
                    traces.addAll(census.traces(paths, TRACED_INSTANCES));
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("the instance check could not analyse its heap dump. "
                    + HeapDumps.settle(dump, options.keepDumps(true)), e);
        }
        if (headlines.isEmpty()) {
            HeapDumps.delete(dump);
            return;
        }
        FailureMessage message = new FailureMessage(String.join("\n", headlines)).traces(traces, Thread.currentThread());
        message.note(HeapDumps.settle(dump, options));
        throw new LeakAssertionError(message.toString(), traces, options.keepDumps() ? dump : null);
    }

    /** {@code Expected no instances of com.acme.Session (subclasses included), found 5 strongly reachable (120 bytes shallow).} */
    private static String headline(InstanceCensus census, int max) {
        String expected = max == 0 ? "no instances" : "at most " + FailureMessage.count(max, "instance", "instances");
        String traced = census.count() <= TRACED_INSTANCES ? "" : "; paths to the " + TRACED_INSTANCES + " retaining most follow";
        String soft = census.referentsOnly() == 0 ? ""
                : " (and " + census.referentsOnly() + " held only through soft, weak or final references, not counted)";
        return "Expected " + expected + " of " + census.className() + " (subclasses included), found "
                + census.count() + " strongly reachable (" + TextTable.bytes(census.strongShallowBytes()) + " bytes shallow)"
                + soft + traced + ".";
    }
}

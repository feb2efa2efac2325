package dev.heaplens.analysis;

import java.util.List;
import java.util.Optional;

/**
 * One leak suspect found by {@link LeakSuspects}: a single object, or the instances of one class
 * together, that keep a large share of the reachable heap alive — with where that memory
 * accumulates, how a GC root reaches it, and a sentence saying so.
 *
 * <pre>{@code
 * LeakSuspect top = heap.suspects().get(0);
 * System.out.println(top.description());
 * top.accumulationPoint().ifPresent(p -> System.out.println("accumulated in " + p.className()));
 * top.path().ifPresent(System.out::println);
 * }</pre>
 *
 * @param rank             1 for the largest suspect
 * @param kind             a single object, or the instances of a class
 * @param className        the suspect's class (for a class object: {@code class Foo}, as in {@link DominatorEntry})
 * @param classLoader      who loaded that class, in words: {@code the app class loader}, {@code com.acme.PluginLoader@0x7f00…}
 * @param instanceCount    1 for an object suspect; the instances of the class for a class suspect
 * @param retainedBytes    bytes the suspect keeps alive and no earlier suspect already reported
 * @param percentOfHeap    {@code retainedBytes} as a percentage of the reachable heap
 * @param object           the suspect object; for a class suspect its largest instance
 * @param accumulation     the dominator-tree chain from {@code object} down to the accumulation point
 *                         ({@code object} first); empty for a class suspect whose instances share no point
 * @param largestInstances for a class suspect, its largest instances (at most five); empty for an object suspect
 * @param contents         classes whose instances hold at least the threshold inside this suspect, largest first:
 *                         class-level memory merged here instead of being reported twice
 * @param overlapBytes     for a class suspect, the part of the class's retained size that lies inside earlier
 *                         suspects and is reported there; 0 otherwise
 * @param path             the shortest path from a GC root to the accumulation point (or to {@code object}),
 *                         strong references only; {@code null} when only weak/soft references reach it
 * @param description      the finding in plain words, with sizes and percentages
 */
public record LeakSuspect(int rank, Kind kind, String className, String classLoader, long instanceCount,
                          long retainedBytes, double percentOfHeap, DominatorEntry object,
                          List<DominatorEntry> accumulation, List<DominatorEntry> largestInstances,
                          List<ClassShare> contents, long overlapBytes, GcRootPath path, String description) {

    /** What kind of suspect. */
    public enum Kind {
        /** One object (an instance, an array, or a class object with its statics). */
        OBJECT,
        /** Many instances of one class, none large alone, held from different places. */
        CLASS
    }

    /**
     * The instances of one class inside a suspect.
     *
     * @param className     Java name
     * @param instances     how many instances of it the suspect retains
     * @param retainedBytes their retained size inside the suspect (instances nested in another instance counted once)
     * @param percentOfHeap {@code retainedBytes} as a percentage of the reachable heap
     */
    public record ClassShare(String className, long instances, long retainedBytes, double percentOfHeap) {
    }

    /** Copies the lists. */
    public LeakSuspect {
        accumulation = List.copyOf(accumulation);
        largestInstances = List.copyOf(largestInstances);
        contents = List.copyOf(contents);
    }

    /** The object where the memory accumulates: the end of {@link #accumulation()}, if there is one. */
    public Optional<DominatorEntry> accumulationPoint() {
        return accumulation.isEmpty() ? Optional.empty() : Optional.of(accumulation.get(accumulation.size() - 1));
    }

    /** The shortest path from a GC root, if strong references reach the suspect. */
    public Optional<GcRootPath> pathFromRoot() {
        return Optional.ofNullable(path);
    }

    @Override
    public String toString() {
        return LeakSuspects.render(this);
    }
}

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
 * @param holdings         for an object suspect, the references through which it holds its memory, largest
 *                         first, as many as cover most of it (at most five): a class's static fields, an
 *                         object's instance fields or array slots, a thread's local variables; empty for a
 *                         class suspect
 * @param shared           for an object suspect, what it holds through two or more of its references at once
 *                         (sessions in both a static map and a static list), grouped by those references and
 *                         class, largest first; empty when each reference holds its own memory
 * @param path             the shortest path from a GC root to the accumulation point (or to {@code object}),
 *                         strong references only; {@code null} when only weak/soft references reach it
 * @param description      the finding in plain words, with sizes and percentages
 */
public record LeakSuspect(int rank, Kind kind, String className, String classLoader, long instanceCount,
                          long retainedBytes, double percentOfHeap, DominatorEntry object,
                          List<DominatorEntry> accumulation, List<DominatorEntry> largestInstances,
                          List<ClassShare> contents, long overlapBytes, List<Holding> holdings, List<Shared> shared, GcRootPath path,
                          String description) {

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

    /**
     * One reference through which a suspect holds part of its memory: {@code static LeakApp.CACHE →
     * java.util.HashMap, 541.8 MB, 500,000 entries}.
     *
     * @param object       the object it leads to, a child of the suspect in the dominator tree; its
     *                     {@link DominatorEntry#heldBy()} names the reference
     * @param size         the entries or elements of the first collection from {@code object} down to its
     *                     accumulation point, or {@code null} if there is none
     * @param accumulation the dominator-tree chain from {@code object} down to where its memory accumulates
     *                     ({@code object} first; only {@code object} when it splits at once)
     */
    public record Holding(DominatorEntry object, CollectionSize size, List<DominatorEntry> accumulation) {
        /** Copies the list. */
        public Holding {
            accumulation = List.copyOf(accumulation);
        }

        /** How the suspect holds it: {@code static LeakApp.CACHE}, {@code Service.cache}, {@code local variable in thread "main"}. */
        public String via() {
            return object.heldBy();
        }

        /** Where its memory accumulates: the end of {@link #accumulation()}. */
        public DominatorEntry accumulationPoint() {
            return accumulation.get(accumulation.size() - 1);
        }
    }

    /**
     * Objects a suspect holds through several of its references at once, none of which alone keeps
     * them: {@code 20,000 Session shared by static DemoWorkload.SESSIONS and static DemoWorkload.LISTENERS}.
     *
     * @param via           the references, as {@link DominatorEntry#heldBy()} names them
     * @param className     the objects' class
     * @param instances     how many
     * @param retainedBytes what they retain together
     * @param percentOfHeap {@code retainedBytes} as a percentage of the reachable heap
     */
    public record Shared(List<String> via, String className, long instances, long retainedBytes, double percentOfHeap) {
        /** Copies the list. */
        public Shared {
            via = List.copyOf(via);
        }
    }

    /** Copies the lists. */
    public LeakSuspect {
        holdings = List.copyOf(holdings);
        shared = List.copyOf(shared);
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

package dev.heaplens.leaks;

import dev.heaplens.analysis.GcRootPath;
import dev.heaplens.analysis.PathNode;

/**
 * Why one object could not be garbage-collected: the shortest path of strong references from a GC
 * root to it, as data (every hop a {@link dev.heaplens.analysis.PathStep}), with its retained size.
 * It prints as the trace a failed check shows:
 *
 * <pre>
 * "screen that forgot to unregister": leaks.LeakyScreen@0x7ff01c3a8 (24 bytes, retained 1.1 KB)
 * GC root: system class …
 *   static EventBus.LISTENERS  → java.util.ArrayList@0x7ff01c210 (24 bytes, retained 1.2 KB)
 *   .elementData               → java.lang.Object[]@0x7ff01c228 (56 bytes, retained 1.2 KB)
 *   [0]                        → leaks.LeakyScreen@0x7ff01c3a8 (24 bytes, retained 1.1 KB)
 * </pre>
 *
 * <pre>{@code
 * catch (LeakAssertionError e) {
 *     LeakTrace trace = e.traces().get(0);
 *     trace.path().steps();          // RootStep, StaticStep, FieldStep, ArrayStep …
 *     trace.leaked().retainedSize(); // bytes the leak keeps alive
 * }
 * }</pre>
 *
 * @param description what the object is: the description given to {@link LeakWatcher#watch}, or for
 *                    {@link HeapAssertions} which instance of how many
 * @param path        the shortest strong path from a GC root, each object with its retained size
 *                    (strong references only: referents of weak, soft, phantom and final references do
 *                    not retain)
 */
public record LeakTrace(String description, GcRootPath path) {

    /** The object that leaked: the path's target, with its class, id, shallow and retained size. */
    public PathNode leaked() {
        return path.target();
    }

    @Override
    public String toString() {
        return '"' + description + "\": " + leaked() + '\n' + path;
    }
}

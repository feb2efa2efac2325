package dev.heaplens.leaks;

import dev.heaplens.Heap;

import java.lang.ref.Reference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Watches objects that should become garbage, and when one does not, says what holds it.
 *
 * <pre>{@code
 * LeakWatcher watcher = new LeakWatcher();
 * openAndCloseScreen(watcher);          // a helper: watcher.watch(screen, "closed screen")
 * watcher.assertAllCollected();         // passes, or fails with the path from a GC root
 * }</pre>
 *
 * <p><b>How a check works.</b> {@link #watch} keeps only a {@link WatchedReference} (weak) to the
 * object. {@link #assertAllCollected()} returns at once if every reference is already cleared; else
 * it collects garbage until they are, or until the GC timeout ({@link LeakCheckOptions#gcTimeout()},
 * 1 s by default): first a young collection, forced by filling eden, where the costs measured so far
 * say it is cheaper than a full one (a test's objects are young), then full collections at growing
 * intervals. Nothing is dumped when everything is
 * collected. For what is left it dumps the live heap (the dump starts with a full collection), finds
 * each left object through its reference's key, and computes the shortest <em>strong</em> path from a
 * GC root to it: referents of weak, soft, phantom and final references, the watcher's own included,
 * are not followed. An object with such a path is a leak, and the {@link LeakAssertionError}'s
 * message is its trace (root, every field, array index and class on the way, and the object's
 * retained size) plus where the dump was kept. An object with none is <em>not</em> reported: it is
 * still there only because a soft reference holds it, or the dump's collection reclaimed it, and a
 * further collection (under memory pressure, for a soft reference) would reclaim it too.
 *
 * <p><b>What keeps an object alive from the test itself.</b> Only references the garbage collector
 * sees count, and a test's own stack is one of them:
 * <ul>
 *   <li>a local variable of the method that calls {@code assertAllCollected()}: the interpreter keeps
 *       every local of a running method alive until the method returns, whether or not it is used
 *       again, while compiled code (the JIT) stops keeping it after its last use, so the same test
 *       can pass or fail depending on compilation;</li>
 *   <li>the argument of the method that called {@code watch}, for as long as that method runs (the
 *       watcher's own {@code watch} frame is gone once it returns);</li>
 *   <li>arguments the test framework passes (a parameterized test's arguments live as long as the
 *       invocation).</li>
 * </ul>
 * So create and watch objects in a helper method that returns before the check (or set the variable
 * to {@code null}), or use the JUnit extension ({@code @CheckLeaks}), which checks after the test
 * method has returned. A trace rooted in the checking thread's stack says so in the message.
 *
 * <p>Thread-safe. Watching costs a weak reference; a passing check usually costs one collection, young or
 * full, whichever this JVM has shown to be cheaper.
 */
public final class LeakWatcher {
    private final LeakCheckOptions options;
    private final List<WatchedReference> watched = new ArrayList<>();

    /** A watcher with {@link LeakCheckOptions#fromSystemProperties()}. */
    public LeakWatcher() {
        this(LeakCheckOptions.fromSystemProperties());
    }

    /** A watcher with these options. */
    public LeakWatcher(LeakCheckOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The options checks use. */
    public LeakCheckOptions options() {
        return options;
    }

    /**
     * Starts watching {@code object}, which should become garbage before the next check. Only a weak
     * reference is kept.
     *
     * @param description what the object is, for the failure message ({@code "screen after close()"})
     * @return the reference, whose {@link WatchedReference#isCleared()} tells when the object is gone
     */
    public WatchedReference watch(Object object, String description) {
        Objects.requireNonNull(object, "object to watch");
        Objects.requireNonNull(description, "description");
        WatchedReference ref = new WatchedReference(object, description);
        synchronized (watched) {
            watched.add(ref);
        }
        return ref;
    }

    /** How many watched objects were not collected when last looked at (no collection is triggered). */
    public int pendingCount() {
        return pending().size();
    }

    /** Stops watching everything. */
    public void clear() {
        synchronized (watched) {
            watched.clear();
        }
    }

    /** {@link #assertAllCollected(Duration)} with the options' GC timeout. */
    public void assertAllCollected() {
        assertAllCollected(options.gcTimeout());
    }

    /**
     * Asserts that every watched object has been garbage-collected, waiting up to {@code gcTimeout}
     * for it (see the class comment). Collected objects are no longer watched afterwards; leaked ones
     * stay watched.
     *
     * @throws LeakAssertionError with the trace of every watched object still strongly reachable
     */
    public void assertAllCollected(Duration gcTimeout) {
        Objects.requireNonNull(gcTimeout, "gcTimeout");
        List<WatchedReference> pending = pending();
        if (pending.isEmpty()) {
            return;
        }
        GcRounds.Outcome waited = GcRounds.until(() -> allCleared(pending), gcTimeout);
        forgetCleared();
        if (waited.done()) {
            return;
        }
        List<WatchedReference> left = pending.stream().filter(r -> !r.isCleared()).toList();
        if (!left.isEmpty()) {
            checkInDump(left, pending.size(), waited);
        }
    }

    private void checkInDump(List<WatchedReference> left, int checked, GcRounds.Outcome waited) {
        Path dump = HeapDumps.writeLive(options, "leak-check");
        LeakTraces found;
        try (Heap heap = Heap.open(dump)) {
            found = LeakTraces.find(new StrongPaths(heap), left);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the leak check could not analyse its heap dump. "
                    + HeapDumps.settle(dump, options.keepDumps(true)), e);
        } finally {
            // the references themselves must be in the dump
            Reference.reachabilityFence(left);
        }
        forgetCleared();
        if (found.leaks().isEmpty()) {
            HeapDumps.delete(dump);
            return;
        }
        int leaked = found.leaks().size();
        FailureMessage message = new FailureMessage(leaked + " of " + FailureMessage.count(checked, "watched object", "watched objects")
                + (leaked == 1 ? " was" : " were") + " not garbage-collected: still strongly reachable after "
                + FailureMessage.count(waited.collections(), "garbage collection", "garbage collections")
                + " in " + waited.waited().toMillis() + " ms and the heap dump's own; each trace runs from a GC root to the object.")
                .traces(found.leaks(), Thread.currentThread());
        if (!found.notStronglyReachable().isEmpty()) {
            message.note(FailureMessage.count(found.notStronglyReachable().size(), "more watched object is", "more watched objects are")
                    + " still there but reachable only through a soft reference, which the JVM clears before running out"
                    + " of memory: not reported as leaks (" + describe(found.notStronglyReachable()) + ").");
        }
        String where = HeapDumps.settle(dump, options);
        message.note(where);
        throw new LeakAssertionError(message.toString(), found.leaks(), options.keepDumps() ? dump : null);
    }

    private static String describe(List<WatchedReference> refs) {
        StringBuilder b = new StringBuilder();
        for (WatchedReference r : refs.subList(0, Math.min(5, refs.size()))) {
            b.append(b.length() == 0 ? "" : ", ").append('"').append(r.description()).append('"');
        }
        return refs.size() > 5 ? b + ", …" : b.toString();
    }

    private static boolean allCleared(List<WatchedReference> refs) {
        for (WatchedReference r : refs) {
            if (!r.isCleared()) {
                return false;
            }
        }
        return true;
    }

    private List<WatchedReference> pending() {
        synchronized (watched) {
            return watched.stream().filter(r -> !r.isCleared()).toList();
        }
    }

    private void forgetCleared() {
        synchronized (watched) {
            watched.removeIf(WatchedReference::isCleared);
        }
    }

    /** {@code LeakWatcher: 2 watched objects not collected yet: "…", "…"}. */
    @Override
    public String toString() {
        List<WatchedReference> p = pending();
        return "LeakWatcher: " + FailureMessage.count(p.size(), "watched object", "watched objects")
                + " not collected yet" + (p.isEmpty() ? "" : ": " + describe(p));
    }
}

package dev.heaplens.leaks;

import java.lang.ref.WeakReference;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The weak reference a {@link LeakWatcher} keeps to each watched object: it never keeps the object
 * alive, and it carries a unique {@link #key()} and the {@link #description()}, so that the watcher
 * can find the object again in a heap dump (as LeakCanary's {@code KeyedWeakReference} does): the
 * dump holds this reference with its {@code key} field and its {@code referent}.
 *
 * <pre>{@code
 * WatchedReference ref = watcher.watch(session, "session of user 42");
 * ref.isCleared();      // true once the garbage collector has reclaimed the session
 * }</pre>
 *
 * <p>Checking {@link #isCleared()} uses {@link java.lang.ref.Reference#refersTo refersTo(null)}, which
 * never makes the object strongly reachable again ({@link #get()} would, for as long as the caller
 * holds the result).
 */
public final class WatchedReference extends WeakReference<Object> {
    /** Seeded at random, so that two copies of heaplens in one JVM (two class loaders) hand out different keys. */
    private static final AtomicLong NEXT_KEY = new AtomicLong(new SplittableRandom().nextLong() & Long.MAX_VALUE);

    private final long key;
    private final String description;
    private final String className;

    WatchedReference(Object referent, String description) {
        super(referent);
        this.key = nextKey();
        this.description = description;
        this.className = referent.getClass().getName();
    }

    /** A key no other watched reference (or type probe) of this JVM has. */
    static long nextKey() {
        return NEXT_KEY.getAndIncrement();
    }

    /** The unique key, also stored in the heap dump's copy of this reference. */
    public long key() {
        return key;
    }

    /** What the object is, in the words given to {@link LeakWatcher#watch}. */
    public String description() {
        return description;
    }

    /** The class of the watched object ({@link Class#getName()}). */
    public String className() {
        return className;
    }

    /** Whether the garbage collector has cleared this reference: the object is gone (or about to be finalized). */
    public boolean isCleared() {
        return refersTo(null);
    }

    /** {@code "session of user 42" (com.acme.Session), collected}. */
    @Override
    public String toString() {
        return '"' + description + "\" (" + className + "), " + (isCleared() ? "collected" : "not collected yet");
    }
}

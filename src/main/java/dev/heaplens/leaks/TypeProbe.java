package dev.heaplens.leaks;

/**
 * Points at a {@code Class} so that a heap dump can say which class object it is: the dump holds this
 * probe (found by {@link #key}) and its {@link #type} field holds the class object's id. Matching by
 * name alone would confuse classes of the same name from different class loaders. The caller keeps
 * the probe strongly reachable until the dump is written.
 */
final class TypeProbe {
    final long key;
    final Class<?> type;

    TypeProbe(Class<?> type) {
        this.key = WatchedReference.nextKey();
        this.type = type;
    }
}

/**
 * Leak assertions for unit tests: assert that objects became garbage, and when one did not, fail
 * with the path of strong references from a GC root to it.
 *
 * <pre>{@code
 * LeakWatcher watcher = new LeakWatcher();
 * watcher.watch(screen, "screen after close()");
 * watcher.assertAllCollected();                       // LeakAssertionError with the leak trace
 *
 * HeapAssertions.assertNoInstances(Session.class);    // counted exactly in a live heap dump
 * }</pre>
 *
 * <p>{@link dev.heaplens.leaks.LeakWatcher} watches through weak references and dumps the heap only
 * when something is left; {@link dev.heaplens.leaks.HeapAssertions} counts instances;
 * {@link dev.heaplens.leaks.LeakCheckOptions} sets the GC timeout and what happens to dumps. Nothing
 * here needs JUnit; the JUnit 5 extension is in {@link dev.heaplens.leaks.junit}.
 */
package dev.heaplens.leaks;

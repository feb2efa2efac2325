/**
 * The JUnit 5 extension for leak checks: {@link dev.heaplens.leaks.junit.CheckLeaks} on a test
 * class or method injects a {@link dev.heaplens.leaks.LeakWatcher} and checks it after every passing
 * test. The only package of heaplens that uses JUnit (an optional dependency).
 *
 * <pre>{@code
 * @CheckLeaks
 * class CacheTest {
 *     @Test void evictedEntriesAreCollected(LeakWatcher watcher) { ... }
 * }
 * }</pre>
 */
package dev.heaplens.leaks.junit;

package dev.heaplens.leaks;

import dev.heaplens.analysis.ArrayStep;
import dev.heaplens.analysis.FieldStep;
import dev.heaplens.analysis.PathNode;
import dev.heaplens.analysis.PathStep;
import dev.heaplens.analysis.StaticStep;
import dev.heaplens.hprof.RootKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.ref.Reference;
import java.lang.ref.SoftReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LeakWatcher} in this JVM: collected objects pass without a dump, a listener left in a static
 * registry fails with the exact path, soft references are not leaks, and the caller's own frame is
 * named. Watched objects are made in helper methods, so the test's frame never holds them.
 */
class LeakWatcherTest {
    @TempDir
    Path dumps;

    private LeakWatcher watcher() {
        return new LeakWatcher(LeakCheckOptions.defaults().dumpDirectory(dumps).gcTimeout(Duration.ofMillis(200)));
    }

    @AfterEach
    void emptyRegistry() {
        ListenerRegistry.LISTENERS.clear();
    }

    private static ListenerRegistry.Listener registerListener(LeakWatcher watcher, String description) {
        ListenerRegistry.Listener listener = new ListenerRegistry.Listener();
        ListenerRegistry.register(listener);
        watcher.watch(listener, description);
        return null; // never hand the listener back: the caller's frame must not hold it
    }

    private static void registerAndUnregister(LeakWatcher watcher) {
        ListenerRegistry.Listener listener = new ListenerRegistry.Listener();
        ListenerRegistry.register(listener);
        watcher.watch(listener, "unregistered listener");
        ListenerRegistry.unregister(listener);
    }

    private List<Path> dumpFiles() throws IOException {
        return KeptDumps.in(dumps);
    }

    @Test
    void aLeakedListenerFailsWithThePathFromTheRegistryClassThroughItsStaticListAndArray() throws IOException {
        LeakWatcher watcher = watcher();
        registerListener(watcher, "listener nobody unregistered");

        LeakAssertionError e = assertThrows(LeakAssertionError.class, watcher::assertAllCollected);

        assertEquals(1, e.traces().size());
        LeakTrace trace = e.traces().get(0);
        assertEquals("listener nobody unregistered", trace.description());
        List<PathStep> steps = trace.path().steps();
        int n = steps.size();
        String registry = ListenerRegistry.class.getName();
        // … → class ListenerRegistry → static LISTENERS → ArrayList → .elementData → Object[] → [0] → Listener
        PathNode registryClass = steps.get(n - 4).target();
        assertTrue(registryClass.classObject() && registryClass.className().equals(registry), trace.toString());
        StaticStep field = assertInstanceOf(StaticStep.class, steps.get(n - 3), trace.toString());
        assertEquals(registry, field.className());
        assertEquals("LISTENERS", field.field());
        assertEquals("java.util.ArrayList", field.target().className());
        assertEquals(new FieldStep("java.util.ArrayList", "elementData", steps.get(n - 2).target()), steps.get(n - 2));
        assertEquals("java.lang.Object[]", steps.get(n - 2).target().className());
        assertEquals(0, assertInstanceOf(ArrayStep.class, steps.get(n - 1)).index());
        assertEquals(ListenerRegistry.Listener.class.getName(), trace.leaked().className());
        assertTrue(trace.leaked().retainedSize() >= 1000 + 16, "the listener retains its 1,000-byte state: " + trace);

        // the message: headline, the same path as text, one hop a line, and where the dump is
        String m = e.getMessage();
        assertTrue(m.startsWith("1 of 1 watched object was not garbage-collected: still strongly reachable after "), m);
        assertTrue(Pattern.compile("\n\"listener nobody unregistered\": " + Pattern.quote(ListenerRegistry.Listener.class.getName())
                + "@0x\\p{XDigit}+ \\(\\d+ bytes, retained [\\d.,]+ (B|KB)\\)\nclass ").matcher(m).find(), m);
        // the path starts at the class, the app class loader's list of classes folded into its line
        assertTrue(Pattern.compile("\nclass " + Pattern.quote(registry) + "@0x\\p{XDigit}+ \\([^)]*\\), held by the app class loader"
                + " \\(GC root: JNI global, jdk\\.internal\\.loader\\.ClassLoaders\\$AppClassLoader@0x\\p{XDigit}+\\)\n"
                + " +static ListenerRegistry\\.LISTENERS +→ java\\.util\\.ArrayList@0x\\p{XDigit}+ \\([^)]*\\)\n"
                + " +\\.elementData +→ java\\.lang\\.Object\\[\\]@0x\\p{XDigit}+ \\([^)]*\\)\n"
                + " +\\[0\\] +→ " + Pattern.quote(ListenerRegistry.Listener.class.getName()) + "@").matcher(m).find(), m);
        Path kept = e.dump().orElseThrow();
        assertEquals(List.of(kept), dumpFiles());
        assertTrue(kept.getFileName().toString().matches("leak-check-\\d{8}-\\d{6}-pid\\d+-\\d+\\.hprof"), kept.toString());
        assertTrue(m.contains("Heap dump kept: " + kept.toAbsolutePath() + " ("), m);
        assertFalse(m.contains("a local variable of the thread running the check"), "no advice about locals for a static root");
        // a leaked object stays watched
        assertEquals(1, watcher.pendingCount());
    }

    @Test
    void anUnregisteredListenerPassesAndLeavesNoDump() throws IOException {
        LeakWatcher watcher = watcher();
        registerAndUnregister(watcher);
        watcher.assertAllCollected();
        assertEquals(0, watcher.pendingCount());
        assertEquals(List.of(), dumpFiles());
    }

    @Test
    void onlyTheLeakedOnesOfSeveralWatchedObjectsAreReported() {
        LeakWatcher watcher = watcher();
        registerAndUnregister(watcher);
        registerListener(watcher, "second, leaked");
        registerAndUnregister(watcher);

        LeakAssertionError e = assertThrows(LeakAssertionError.class, watcher::assertAllCollected);
        assertTrue(e.getMessage().startsWith("1 of 3 watched objects was not garbage-collected"), e.getMessage());
        assertEquals(List.of("second, leaked"), e.traces().stream().map(LeakTrace::description).toList());
    }

    @Test
    void manyLeaksWriteOutFiveTracesAndNameTheRest() {
        LeakWatcher watcher = watcher();
        for (int i = 0; i < 8; i++) {
            registerListener(watcher, "listener " + i);
        }
        LeakAssertionError e = assertThrows(LeakAssertionError.class, watcher::assertAllCollected);
        String m = e.getMessage();
        assertTrue(m.startsWith("8 of 8 watched objects were not garbage-collected"), m);
        assertEquals(8, e.traces().size());
        for (int i = 0; i < 8; i++) {
            LeakTrace t = e.traces().get(i);
            assertEquals("listener " + i, t.description());
            assertEquals(i, ((ArrayStep) t.path().steps().get(t.path().steps().size() - 1)).index(), t.toString());
            if (i < FailureMessage.MAX_TRACES) {
                assertTrue(t.leaked().retainedSize() >= 1000 + 16, t.toString());
                assertTrue(m.contains(t.toString()), m);
            } else {
                assertEquals(-1, t.leaked().retainedSize(), t.toString());
                assertTrue(m.contains("\n  \"listener " + i + "\": " + t.leaked() + "\n"), m);
            }
        }
        assertTrue(m.contains("\n… and 3 more:\n"), m);
    }

    @Test
    void dumpsOfFailedChecksAreDeletedWhenNotToBeKept() throws IOException {
        LeakWatcher watcher = new LeakWatcher(LeakCheckOptions.defaults().dumpDirectory(dumps).gcTimeout(Duration.ZERO)
                .keepDumps(false));
        registerListener(watcher, "leaked");
        LeakAssertionError e = assertThrows(LeakAssertionError.class, watcher::assertAllCollected);
        assertTrue(e.getMessage().endsWith("Heap dump deleted (heaplens.leaks.keep-dumps=false).\n"), e.getMessage());
        assertTrue(e.dump().isEmpty());
        assertEquals(List.of(), dumpFiles());
    }

    private static SoftReference<Object> softlyHeld(LeakWatcher watcher) {
        Object cached = new ListenerRegistry.Listener();
        watcher.watch(cached, "held by a soft reference only");
        return new SoftReference<>(cached);
    }

    @Test
    void anObjectHeldOnlyBySoftReferenceIsNotALeak() throws IOException {
        LeakWatcher watcher = watcher();
        SoftReference<Object> cache = softlyHeld(watcher);

        watcher.assertAllCollected();

        // the object is still there (the JVM clears soft references only when memory runs short), so the
        // check did dump the heap, found no strong path, passed, and deleted its dump
        assertFalse(cache.refersTo(null), "the soft reference was cleared: this run did not exercise the dump");
        assertEquals(1, watcher.pendingCount());
        assertEquals(List.of(), dumpFiles());
        Reference.reachabilityFence(cache);
    }

    /** Only ever held by {@link #aLocalOfTheCheckingMethodIsNamedWithAdvice}. */
    static final class HeldByTheTest {
    }

    @Test
    void aLocalOfTheCheckingMethodIsNamedWithAdvice() {
        LeakWatcher watcher = watcher();
        HeldByTheTest held = new HeldByTheTest();
        watcher.watch(held, "held by the test's local");

        LeakAssertionError e = assertThrows(LeakAssertionError.class, watcher::assertAllCollected);
        Reference.reachabilityFence(held); // keeps the local alive through the check, interpreted or compiled

        LeakTrace trace = e.traces().get(0);
        assertEquals(RootKind.JAVA_FRAME, trace.path().root().kind(), trace.toString());
        assertEquals(Thread.currentThread().getName(), trace.path().root().threadName());
        assertEquals(LeakWatcherTest.class.getName(), trace.path().root().frame().className());
        assertEquals("aLocalOfTheCheckingMethodIsNamedWithAdvice", trace.path().root().frame().method());
        assertTrue(e.getMessage().contains("a local variable of the thread running the check holds it"), e.getMessage());
        assertTrue(e.getMessage().contains("create watched objects in a helper method"), e.getMessage());
    }

    /** Holds what a background thread releases a little later. */
    private static final List<Object> RELEASED_LATER = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static Thread releaseLater(LeakWatcher watcher, long millis) {
        Object o = new ListenerRegistry.Listener();
        RELEASED_LATER.add(o);
        watcher.watch(o, "released by another thread");
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            RELEASED_LATER.clear();
        }, "releases-later");
        t.start();
        return t;
    }

    @Test
    void theCheckWaitsForObjectsAnotherThreadReleases() throws Exception {
        LeakWatcher watcher = watcher();
        Thread releaser = releaseLater(watcher, 300);
        long start = System.nanoTime();
        watcher.assertAllCollected(Duration.ofSeconds(10));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        releaser.join();
        assertTrue(tookMillis >= 250 && tookMillis < 5_000, "waited " + tookMillis + " ms");
        assertEquals(List.of(), dumpFiles());
    }

    @Test
    void watchingNeedsAnObjectAndADescription() {
        LeakWatcher watcher = watcher();
        assertThrows(NullPointerException.class, () -> watcher.watch(null, "nothing"));
        assertThrows(NullPointerException.class, () -> watcher.watch(new Object(), null));
        WatchedReference ref = watcher.watch(new HeldByTheTest(), "a fresh object");
        assertTrue(ref.toString().startsWith("\"a fresh object\" (" + HeldByTheTest.class.getName() + "), "), ref.toString());
        assertEquals(dumps, watcher.options().dumpDirectory());
        watcher.clear();
        assertEquals("LeakWatcher: 0 watched objects not collected yet", watcher.toString());
    }
}

package dev.heaplens.leaks.junit;

import dev.heaplens.leaks.CollectionRoutes;
import dev.heaplens.leaks.KeptDumps;
import dev.heaplens.leaks.LeakAssertionError;
import dev.heaplens.leaks.LeakCheckOptions;
import dev.heaplens.leaks.junit.scenarios.CheckedScenarios;
import dev.heaplens.leaks.junit.scenarios.ConstructorScenarios;
import dev.heaplens.leaks.junit.scenarios.LifecycleScenarios;
import dev.heaplens.leaks.junit.scenarios.ScenarioRegistry;
import dev.heaplens.leaks.junit.scenarios.TimeoutScenarios;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The extension, run through the JUnit Platform on the classes in {@code scenarios} (which Surefire
 * does not run itself): it fails a passing test that leaks, stays silent on one that does not,
 * leaves a failing test's own failure alone, checks after {@code @AfterEach}, and takes its
 * configuration from the annotation and from configuration parameters.
 */
class LeakCheckExtensionTest {
    private static final Pattern GAVE_UP = Pattern.compile("still strongly reachable after (\\d+) garbage collection(s?) in (\\d+) ms");

    @TempDir
    Path dumps;

    @AfterEach
    void emptyRegistries() {
        ScenarioRegistry.LISTENERS.clear();
        TimeoutScenarios.release.countDown();
    }

    private EngineExecutionResults run(Class<?> scenarios, String method, Map<String, String> parameters) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(method == null ? DiscoverySelectors.selectClass(scenarios)
                        : DiscoverySelectors.selectMethod(scenarios, method, "dev.heaplens.leaks.LeakWatcher"))
                .configurationParameter(LeakCheckOptions.DUMP_DIRECTORY_KEY, dumps.toString())
                .configurationParameters(parameters)
                .execute();
    }

    private static Throwable onlyFailure(Events tests) {
        List<Event> failed = tests.failed().list();
        assertEquals(1, failed.size(), () -> "failures: " + failed);
        return failed.get(0).getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }

    /**
     * That the check gave up after one full collection (a young one before it where the JVM's learnt
     * costs chose that route) and sooner than {@code otherTimeout}, the timeout a zero one overrides.
     */
    private static void assertGaveUpBefore(Duration otherTimeout, String which, LeakAssertionError e) {
        Matcher m = GAVE_UP.matcher(e.getMessage());
        assertTrue(m.find(), e.getMessage());
        int collections = Integer.parseInt(m.group(1));
        assertTrue(collections == 1 || collections == 2 && m.group(2).equals("s"), e.getMessage());
        assertTrue(Long.parseLong(m.group(3)) < otherTimeout.toMillis(), which + " was not waited for: " + e.getMessage());
    }

    private List<Path> dumpFiles() throws IOException {
        return KeptDumps.in(dumps);
    }

    @Test
    void aPassingTestThatLeaksFailsWithTheLeakTrace() throws IOException {
        Events tests = run(CheckedScenarios.class, "passesButLeaks", Map.of()).testEvents();
        tests.assertStatistics(s -> s.started(1).succeeded(0).failed(1));
        LeakAssertionError e = assertInstanceOf(LeakAssertionError.class, onlyFailure(tests));
        assertTrue(e.getMessage().startsWith("1 of 1 watched object was not garbage-collected"), e.getMessage());
        assertTrue(e.getMessage().contains("\"listener the test forgot\": " + ScenarioRegistry.Listener.class.getName() + "@"),
                e.getMessage());
        assertTrue(e.getMessage().contains("static ScenarioRegistry.LISTENERS"), e.getMessage());
        assertEquals(List.of(e.dump().orElseThrow()), dumpFiles());
    }

    @Test
    void aPassingTestThatReleasesEverythingStaysSilentAndLeavesNoDump() throws IOException {
        run(CheckedScenarios.class, "passesAndReleases", Map.of()).testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1).failed(0));
        assertEquals(List.of(), dumpFiles());
    }

    @Test
    void aFailingTestKeepsItsOwnFailureAndIsNotChecked() throws IOException {
        Events tests = run(CheckedScenarios.class, "failsAndLeaks", Map.of()).testEvents();
        Throwable t = onlyFailure(tests);
        assertInstanceOf(AssertionFailedError.class, t);
        assertEquals("the test's own failure", t.getMessage());
        assertEquals(0, t.getSuppressed().length, "no leak report added to the test's failure");
        assertEquals(List.of(), dumpFiles(), "the check did not run: no dump");
    }

    @Test
    void aTestWithoutAWatcherIsNotChecked() throws IOException {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .selectors(DiscoverySelectors.selectMethod(CheckedScenarios.class, "watchesNothing"))
                .configurationParameter(LeakCheckOptions.DUMP_DIRECTORY_KEY, dumps.toString())
                .execute().testEvents();
        tests.assertStatistics(s -> s.started(1).succeeded(1));
        assertEquals(List.of(), dumpFiles());
    }

    @Test
    void theCheckRunsAfterAfterEachAndBeforeEachSharesTheTestsWatcher() {
        run(LifecycleScenarios.class, null, Map.of()).testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1).failed(0));
    }

    @Test
    void theAnnotationsTimeoutWaitsForAnotherThreadAndAMethodsAnnotationOverridesItsClass() {
        TimeoutScenarios.release = new CountDownLatch(1);
        long start = System.nanoTime();
        run(TimeoutScenarios.class, "longEnough", Map.of()).testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1));
        assertTrue(System.nanoTime() - start >= 300_000_000L, "the listener was released after 300 ms");
        // a young collection first, then the full one: the route must not change what the sentence says
        CollectionRoutes.nextCheckFillsEdenFirst();
        Events tooShort = run(TimeoutScenarios.class, "tooShort", Map.of()).testEvents();
        LeakAssertionError e = assertInstanceOf(LeakAssertionError.class, onlyFailure(tooShort));
        assertGaveUpBefore(Duration.ofSeconds(10), "the class's timeout", e);
    }

    @Test
    void configurationParametersSetTheTimeoutAndWhetherDumpsAreKept() throws IOException {
        Events tests = run(CheckedScenarios.class, "passesButLeaks",
                Map.of(LeakCheckOptions.KEEP_DUMPS_KEY, "false", LeakCheckOptions.GC_TIMEOUT_KEY, "0 ms")).testEvents();
        LeakAssertionError e = assertInstanceOf(LeakAssertionError.class, onlyFailure(tests));
        assertGaveUpBefore(LeakCheckOptions.DEFAULT_GC_TIMEOUT, "the default timeout", e);
        assertTrue(e.getMessage().contains("Heap dump deleted (heaplens.leaks.keep-dumps=false)."), e.getMessage());
        assertEquals(List.of(), dumpFiles());
    }

    @Test
    void aBadConfigurationValueFailsTheTestNamingTheKey() {
        Events tests = run(CheckedScenarios.class, "passesAndReleases", Map.of(LeakCheckOptions.GC_TIMEOUT_KEY, "a while"))
                .testEvents();
        Throwable t = onlyFailure(tests);
        assertTrue(t.getMessage().contains("heaplens.leaks.gc-timeout = 'a while' is not a duration"), t.getMessage());
    }

    @Test
    void aConstructorCannotTakeAWatcher() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .selectors(DiscoverySelectors.selectClass(ConstructorScenarios.class)).execute().testEvents();
        Throwable t = onlyFailure(tests);
        assertTrue(t.getMessage().contains("a LeakWatcher is per test"), t.getMessage());
    }
}

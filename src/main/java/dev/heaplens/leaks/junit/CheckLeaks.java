package dev.heaplens.leaks.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Checks for leaks after every passing test: a test (or its {@code @BeforeEach} method) declares a
 * {@link dev.heaplens.leaks.LeakWatcher} parameter, watches what should become garbage, and after the
 * test method has returned and the {@code @AfterEach} methods have run, the extension asserts that
 * everything watched was collected. A test that failed keeps its own failure and is not checked.
 *
 * <pre>{@code
 * @CheckLeaks
 * class ScreenTest {
 *     @Test
 *     void closedScreenIsCollected(LeakWatcher watcher) {
 *         Screen screen = new Screen(bus);
 *         screen.close();
 *         watcher.watch(screen, "screen after close()");
 *     }   // checked here, once the method has returned: its locals no longer hold the screen
 * }
 * }</pre>
 *
 * <p>Configuration: {@link #gcTimeoutMillis()} here, else the JUnit configuration parameter (or
 * system property) {@code heaplens.leaks.gc-timeout}; where dumps go and whether the dump of a failed
 * check is kept: {@code heaplens.leaks.dump-dir} and {@code heaplens.leaks.keep-dumps} (see
 * {@link dev.heaplens.leaks.LeakCheckOptions}). For example in
 * {@code src/test/resources/junit-platform.properties}:
 *
 * <pre>
 * heaplens.leaks.gc-timeout = 3 s
 * heaplens.leaks.keep-dumps = false
 * </pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LeakCheckExtension.class)
public @interface CheckLeaks {
    /** {@link #gcTimeoutMillis()} when not given: take the configuration parameter, else the default (1 s). */
    long CONFIGURED = -1;

    /**
     * How long, in milliseconds, the check collects garbage and waits for watched objects to go before
     * it dumps the heap to find what holds them; raise it for code that releases objects from other
     * threads. A method's annotation overrides its class's.
     */
    long gcTimeoutMillis() default CONFIGURED;
}

package dev.heaplens.leaks.junit;

import dev.heaplens.leaks.LeakCheckOptions;
import dev.heaplens.leaks.LeakWatcher;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;

/**
 * The JUnit 5 extension behind {@link CheckLeaks}: gives each test its own {@link LeakWatcher} (the
 * same one to the test method and its {@code @BeforeEach} methods) and, after each test that passed,
 * asserts that everything it watched was garbage-collected.
 *
 * <pre>{@code
 * @ExtendWith(LeakCheckExtension.class)      // or @CheckLeaks, which also takes a GC timeout
 * class CacheTest {
 *     @Test void evictedEntriesAreCollected(LeakWatcher watcher) { ... }
 * }
 * }</pre>
 *
 * <p>The check runs in {@link #afterEach}: after the test method has returned (so its local
 * variables hold nothing any more) and after the {@code @AfterEach} methods (so what they release
 * counts as released). A test that failed, in its body or in an {@code @AfterEach} method, is not
 * checked: its own failure is the one reported. A test that declares no watcher is not checked.
 * Objects the test instance keeps in its fields are still alive at the check, and reported.
 */
public final class LeakCheckExtension implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakCheckExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LeakWatcher.class;
    }

    @Override
    public LeakWatcher resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (!(parameter.getDeclaringExecutable() instanceof Method) || context.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("a LeakWatcher is per test: declare it as a parameter of the test method"
                    + " or of a @BeforeEach method, not of " + parameter.getDeclaringExecutable());
        }
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(LeakWatcher.class,
                k -> new LeakWatcher(options(context)), LeakWatcher.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            return; // the test's own failure is the one to report
        }
        LeakWatcher watcher = context.getStore(NAMESPACE).remove(LeakWatcher.class, LeakWatcher.class);
        if (watcher != null) {
            watcher.assertAllCollected();
        }
    }

    /** Defaults, overridden by configuration parameters (system properties included), then by the nearest {@link CheckLeaks}. */
    static LeakCheckOptions options(ExtensionContext context) {
        LeakCheckOptions options;
        try {
            options = LeakCheckOptions.defaults().overriddenBy(key -> context.getConfigurationParameter(key).orElse(null));
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("heaplens leak check: " + e.getMessage(), e);
        }
        long millis = nearest(context).map(CheckLeaks::gcTimeoutMillis).orElse(CheckLeaks.CONFIGURED);
        if (millis < CheckLeaks.CONFIGURED) {
            throw new ExtensionConfigurationException("@CheckLeaks(gcTimeoutMillis = " + millis + ") must not be negative");
        }
        return millis == CheckLeaks.CONFIGURED ? options : options.gcTimeout(Duration.ofMillis(millis));
    }

    /** The annotation on the test method, else on its class or an enclosing class (for {@code @Nested} tests). */
    private static Optional<CheckLeaks> nearest(ExtensionContext context) {
        Optional<CheckLeaks> found = context.getTestMethod().flatMap(m -> find(m));
        for (Class<?> c = context.getTestClass().orElse(null); found.isEmpty() && c != null; c = c.getEnclosingClass()) {
            found = find(c);
        }
        return found;
    }

    private static Optional<CheckLeaks> find(AnnotatedElement element) {
        return AnnotationSupport.findAnnotation(element, CheckLeaks.class)
                .filter(a -> a.gcTimeoutMillis() != CheckLeaks.CONFIGURED);
    }
}

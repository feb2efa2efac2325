package dev.heaplens.leaks;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A failed leak check or heap assertion: the message is the report (each leak trace, and where the
 * heap dump is), and the traces are here as data for tools and tests.
 *
 * <pre>{@code
 * try {
 *     watcher.assertAllCollected();
 * } catch (LeakAssertionError e) {
 *     e.traces().forEach(t -> System.out.println(t.path().root()));
 *     e.dump().ifPresent(dump -> System.out.println("kept " + dump));
 * }
 * }</pre>
 */
public final class LeakAssertionError extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final transient List<LeakTrace> traces;
    private final transient Path dump;

    LeakAssertionError(String message, List<LeakTrace> traces, Path dump) {
        super(message);
        this.traces = List.copyOf(traces);
        this.dump = dump;
    }

    /**
     * Every leak's trace, in the message's order; those the message writes out in full (the first
     * five of a leak check) carry the leaked object's retained size, the others {@code -1}.
     */
    public List<LeakTrace> traces() {
        return traces == null ? List.of() : traces;
    }

    /** The kept heap dump, or empty when dumps are deleted ({@link LeakCheckOptions#keepDumps()}). */
    public Optional<Path> dump() {
        return Optional.ofNullable(dump);
    }
}

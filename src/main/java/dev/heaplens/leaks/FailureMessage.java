package dev.heaplens.leaks;

import dev.heaplens.analysis.RootStep;
import dev.heaplens.hprof.RootKind;

import java.util.List;

/**
 * The text of a failed check: a headline a developer reads first, the traces (at most
 * {@value #MAX_TRACES}; the rest are named), advice where a root is the checking thread's own stack,
 * and the line saying where the dump is. Computes nothing: the checks hand it what they found.
 */
final class FailureMessage {
    /** Traces written out in full; more would bury the first in an IDE's test report. */
    static final int MAX_TRACES = 5;

    /** Frames of these packages are the runtime's, never a test's own. */
    private static final String[] RUNTIME_PACKAGES = {"java.", "javax.", "jdk.", "sun.", "com.sun.", "org.junit."};

    private final StringBuilder text = new StringBuilder();

    FailureMessage(String headline) {
        text.append(headline).append('\n');
    }

    /** Writes the traces (the first {@value #MAX_TRACES}) and names the others. */
    FailureMessage traces(List<LeakTrace> traces, Thread checkingThread) {
        for (LeakTrace t : traces.subList(0, Math.min(MAX_TRACES, traces.size()))) {
            text.append('\n').append(t);
            if (heldByThreadStack(t.path().root(), checkingThread)) {
                text.append("  ↳ a local variable of the thread running the check holds it. If that is the test method's\n")
                        .append("    own variable, the object outlives the check only because the method has not returned:\n")
                        .append("    create watched objects in a helper method, or let @CheckLeaks check after the test.\n");
            }
        }
        if (traces.size() > MAX_TRACES) {
            text.append("\n… and ").append(traces.size() - MAX_TRACES).append(" more:");
            for (LeakTrace t : traces.subList(MAX_TRACES, Math.min(traces.size(), MAX_TRACES + 20))) {
                text.append("\n  \"").append(t.description()).append("\": ").append(t.leaked());
            }
            if (traces.size() > MAX_TRACES + 20) {
                text.append("\n  …");
            }
            text.append('\n');
        }
        return this;
    }

    /** Adds a paragraph. */
    FailureMessage note(String paragraph) {
        text.append('\n').append(paragraph).append('\n');
        return this;
    }

    /**
     * Whether a local variable of the checking thread, in a frame of application code (not of the JDK
     * or JUnit), is the root: likely the test's own variable.
     */
    private static boolean heldByThreadStack(RootStep root, Thread thread) {
        if ((root.kind() != RootKind.JAVA_FRAME && root.kind() != RootKind.JNI_LOCAL) || !thread.getName().equals(root.threadName())) {
            return false;
        }
        String frameClass = root.frame() == null ? "" : root.frame().className();
        for (String runtime : RUNTIME_PACKAGES) {
            if (frameClass.startsWith(runtime)) {
                return false;
            }
        }
        return true;
    }

    /** {@code 1 watched object}, {@code 3 watched objects}. */
    static String count(int n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}

package dev.heaplens.alloc;

import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The distinct stack traces of a recording, interned: each a pair of {@code int[]} (method ids and
 * line numbers, allocating frame first) over one table of method names. A recording of a billion
 * events has a few thousand distinct stacks, so every view is built from these few.
 */
final class StackTable {
    /** The id of "no stack trace recorded". */
    static final int NO_STACK = -1;

    private final Object2IntOpenHashMap<String> methodIds = new Object2IntOpenHashMap<>();
    private final List<String> methods = new ArrayList<>();
    private final Map<Key, Integer> stackIds = new java.util.HashMap<>();
    /** The parser hands out one object per stack trace of a chunk's constant pool: most lookups end here. */
    private final Map<RecordedStackTrace, Integer> seen = new IdentityHashMap<>();
    private final List<int[]> stackMethods = new ArrayList<>();
    private final List<int[]> stackLines = new ArrayList<>();
    private final List<Boolean> truncated = new ArrayList<>();

    StackTable() {
        methodIds.defaultReturnValue(-1);
    }

    private record Key(int[] methods, int[] lines) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(methods, k.methods) && Arrays.equals(lines, k.lines);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(methods) + Arrays.hashCode(lines);
        }
    }

    /** The id of a recorded stack trace, interning it on first sight; {@link #NO_STACK} for none. */
    int intern(RecordedStackTrace trace) {
        if (trace == null) {
            return NO_STACK;
        }
        Integer known = seen.get(trace);
        if (known != null) {
            return known;
        }
        List<RecordedFrame> frames = trace.getFrames();
        int[] m = new int[frames.size()];
        int[] l = new int[frames.size()];
        for (int i = 0; i < m.length; i++) {
            RecordedFrame f = frames.get(i);
            m[i] = method(f.getMethod());
            l[i] = f.getLineNumber();
        }
        Integer id = stackIds.get(new Key(m, l));
        if (id == null) {
            id = stackMethods.size();
            stackIds.put(new Key(m, l), id);
            stackMethods.add(m);
            stackLines.add(l);
            truncated.add(trace.isTruncated());
        }
        if (seen.size() > RecordingReader.IDENTITY_CACHE_LIMIT) {
            seen.clear(); // a parser that made new objects per event: do not keep them all
        }
        seen.put(trace, id);
        return id;
    }

    private int method(RecordedMethod m) {
        String name = m == null ? "<unknown>" : (m.getType() == null ? "?" : m.getType().getName()) + "." + m.getName();
        int id = methodIds.getInt(name);
        if (id < 0) {
            id = methods.size();
            methodIds.put(name, id);
            methods.add(name);
        }
        return id;
    }

    /** Number of distinct stacks. */
    int size() {
        return stackMethods.size();
    }

    /** The method ids of a stack, allocating frame first. */
    int[] methods(int stack) {
        return stackMethods.get(stack);
    }

    /** The line numbers of a stack's frames ({@code -1} where unknown). */
    int[] lines(int stack) {
        return stackLines.get(stack);
    }

    /** Whether JFR cut the stack at its depth limit. */
    boolean truncated(int stack) {
        return truncated.get(stack);
    }

    /** A method's name: {@code com.acme.Foo.bar}. */
    String method(int id) {
        return methods.get(id);
    }
}

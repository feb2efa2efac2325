package dev.heaplens.alloc;

import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;

import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * The id of a stack (method ids of this table and line numbers, allocating frame first),
     * interning it on first sight.
     */
    int intern(int[] methodIds, int[] lineNumbers, boolean cut) {
        Key key = new Key(methodIds, lineNumbers);
        Integer id = stackIds.get(key);
        if (id == null) {
            id = stackMethods.size();
            stackIds.put(key, id);
            stackMethods.add(methodIds);
            stackLines.add(lineNumbers);
            truncated.add(cut);
        }
        return id;
    }

    /** The id of a method name ({@code com.acme.Foo.bar}), interning it on first sight. */
    int method(String name) {
        int id = methodIds.getInt(name);
        if (id < 0) {
            id = methods.size();
            methodIds.put(name, id);
            methods.add(name);
        }
        return id;
    }

    /** Adds another table's stacks; returns each one's id here. */
    int[] addAll(StackTable other) {
        int[] methodMap = new int[other.methods.size()];
        for (int m = 0; m < methodMap.length; m++) {
            methodMap[m] = method(other.methods.get(m));
        }
        int[] stackMap = new int[other.size()];
        for (int s = 0; s < stackMap.length; s++) {
            int[] theirs = other.stackMethods.get(s);
            int[] ours = new int[theirs.length];
            for (int i = 0; i < ours.length; i++) {
                ours[i] = methodMap[theirs[i]];
            }
            stackMap[s] = intern(ours, other.stackLines.get(s), other.truncated.get(s));
        }
        return stackMap;
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

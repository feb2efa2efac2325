package dev.heaplens.diff;

import java.util.List;

/**
 * Where objects are held, by kind rather than by object: the chain of (class, field) from a GC root
 * down the dominator tree, with collections folded so that the path names the collection, not each
 * of its nodes. {@code static SessionRegistry.SESSIONS → HashMap.table → HashMap$Node[*] →
 * java.util.HashMap$Node} is one path however many entries the map has.
 *
 * <p>A path starts at a class (its statics are what most leaks hang from), a live thread, or another
 * GC root; each further step says how the object above holds the next: a static or instance field,
 * any element of an array ({@code [*]}), a local variable of a thread, a class's own links, or
 * {@code *} when the object above holds it through several references of its own (the middle nodes
 * of a doubly linked list are held by their neighbours, all inside the list). See
 * {@link HeapSummary} for how paths are formed. Two paths are equal when their steps are, across dumps.
 *
 * <pre>{@code
 * RetentionPath p = diff.paths().grown().get(0).path();
 * System.out.println(p);                      // static SessionRegistry.SESSIONS → HashMap.table → …
 * p.leaf().className();                       // "java.util.HashMap$Node"
 * p.steps().get(1).name();                    // "SESSIONS"
 * }</pre>
 *
 * @param steps the steps from the root, at least one
 */
public record RetentionPath(List<Step> steps) {
    /** The {@link Via#ROOT} name of an object that is no root itself but is reached from several: nothing below the GC roots dominates it. */
    public static final String SEVERAL_ROOTS = "several";

    /** How a step is entered. */
    public enum Via {
        /** A class object: a path start; its statics follow. */
        CLASS,
        /** A live thread ({@link Step#name()} is the thread's name): a path start. */
        THREAD,
        /**
         * Another GC root ({@link Step#name()} describes the kind, e.g. {@code JNI global}), or
         * {@link #SEVERAL_ROOTS} for an object several roots reach: a path start.
         */
        ROOT,
        /** A static field of the class above. */
        STATIC,
        /** An instance field of the object above. */
        FIELD,
        /** Any element of the array above ({@code [*]}). */
        ELEMENT,
        /** A local variable, JNI local or native-stack reference of the thread above. */
        LOCAL,
        /** A class's link to its superclass, loader, signers or protection domain. */
        LINK,
        /** Several references inside the object above, none alone ({@code *}). */
        INSIDE;

        /** Whether a path starts with this kind of step. */
        public boolean isStart() {
            return this == CLASS || this == THREAD || this == ROOT;
        }
    }

    /**
     * One step: how it is entered, and the class of the objects it reaches (for {@link Via#CLASS},
     * the class the class object is).
     *
     * @param via    how
     * @param name   the field name ({@code STATIC}, {@code FIELD}), the link ({@code <classloader>}),
     *               the thread's name ({@code THREAD}), the root kind ({@code ROOT}, {@code LOCAL}),
     *               {@code [*]} or {@code *}; empty for {@code CLASS}
     * @param target the class of the objects reached
     */
    public record Step(Via via, String name, ClassKey target) {
    }

    /** Copies the steps; the first must start a path and no other may. */
    public RetentionPath {
        steps = List.copyOf(steps);
        if (steps.isEmpty() || !steps.get(0).via().isStart()) {
            throw new IllegalArgumentException("a path starts at a class, a thread or a GC root: " + steps);
        }
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).via().isStart()) {
                throw new IllegalArgumentException("only the first step starts a path: " + steps);
            }
        }
    }

    /** The first step: a class, a thread or another GC root. */
    public Step root() {
        return steps.get(0);
    }

    /** The class of the objects at the end of the path. */
    public ClassKey leaf() {
        return steps.get(steps.size() - 1).target();
    }

    /** Steps from the root. */
    public int length() {
        return steps.size();
    }

    /** The path one step shorter, or null for a path of one step. */
    public RetentionPath parent() {
        return steps.size() == 1 ? null : new RetentionPath(steps.subList(0, steps.size() - 1));
    }

    /**
     * {@code static SessionRegistry.SESSIONS → HashMap.table → HashMap$Node[*] → java.util.HashMap$Node}:
     * each holder by its simple name with the field it holds the next by, the last class in full.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        Step first = steps.get(0);
        switch (first.via()) {
            case CLASS -> {
                if (steps.size() == 1) {
                    return "class " + first.target().className();
                }
            }
            case THREAD -> b.append("thread \"").append(first.name()).append('"');
            case ROOT -> b.append(first.name().equals(SEVERAL_ROOTS) ? "several GC roots" : "GC root: " + first.name());
            default -> throw new IllegalStateException(first.via().toString());
        }
        for (int i = 1; i < steps.size(); i++) {
            Step holder = steps.get(i - 1);
            Step step = steps.get(i);
            String holderName = ClassKey.simpleName(holder.target().className());
            if (b.length() > 0) {
                b.append(" → ");
            }
            switch (step.via()) {
                case STATIC -> b.append("static ").append(holderName).append('.').append(step.name());
                case FIELD -> b.append(holderName).append('.').append(step.name());
                case ELEMENT -> b.append(holderName.endsWith("[]") ? holderName.substring(0, holderName.length() - 2) : holderName)
                        .append("[*]");
                case LOCAL -> b.append(step.name());
                case LINK -> b.append(holderName).append('.').append(step.name());
                case INSIDE -> b.append(holderName).append(".*");
                case CLASS, THREAD, ROOT -> throw new IllegalStateException(step.via().toString());
            }
        }
        return b.append(" → ").append(leaf().className()).toString();
    }
}

package dev.heaplens.analysis;

import dev.heaplens.hprof.RootKind;

import java.util.List;
import java.util.Optional;

/**
 * A shortest path from a GC root to an object, as data: a {@link RootStep}, then one step per
 * reference followed. It prints as a LeakCanary-like trace, one hop per line, starting where a person
 * looks: a path that reaches a class through a built-in class loader's list of classes (JNI global →
 * the app class loader → {@code .classes} → {@code .elementData} → {@code [182]} → the class) is shown
 * from that class, those steps folded into its first line ({@link #loaderHold()}); {@link #steps()}
 * keeps them all.
 *
 * <pre>
 * GC root: system class com.acme.Registry
 *   static Registry.SESSIONS  → java.util.HashMap@0x7f0011a8 (48 bytes)
 *   .table                    → java.util.HashMap$Node[]@0x7f0011d8 (4,112 bytes)
 *   [17]                      → java.util.HashMap$Node@0x7f002a10 (32 bytes)
 *   .value                    → com.acme.Session@0x7f002a30 (32 bytes, retained 1.2 MB)
 * </pre>
 *
 * <pre>{@code
 * ShortestPaths paths = ShortestPaths.compute(heap.graph());
 * paths.pathTo(heap.graph().indexOf(0x7f002a30L)).ifPresent(System.out::println);
 * }</pre>
 *
 * @param steps the root first, then each hop; never empty
 */
public record GcRootPath(List<PathStep> steps) {

    /** Checks that the path starts at a root and has no other. */
    public GcRootPath {
        steps = List.copyOf(steps);
        if (steps.isEmpty() || !(steps.get(0) instanceof RootStep)) {
            throw new IllegalArgumentException("a path starts with its GC root: " + steps);
        }
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i) instanceof RootStep) {
                throw new IllegalArgumentException("step " + i + " is a second GC root: " + steps);
            }
        }
    }

    /**
     * The first steps of a path that runs through a built-in class loader's list of classes to a
     * class, folded: the path is shown from {@link #classObject()}.
     *
     * @param loader       the loader in words: {@code the app class loader}
     * @param loaderObject the loader object
     * @param classObject  the class the path goes on from
     * @param steps        how many of {@link GcRootPath#steps()} it stands for, the root included
     */
    public record LoaderHold(String loader, PathNode loaderObject, PathNode classObject, int steps) {
    }

    /**
     * The steps up to a class held by a built-in loader's {@code classes} list ({@code loader .classes
     * .elementData [i] → class}), if the path starts so (after any root and hops that reach the loader).
     */
    public Optional<LoaderHold> loaderHold() {
        for (int i = 0; i + 3 < steps.size(); i++) {
            PathNode loader = steps.get(i).target();
            if (!loader.classObject() && BuiltInLoaders.isBuiltIn(loader.className())
                    && steps.get(i + 1) instanceof FieldStep classes && classes.field().equals("classes")
                    && steps.get(i + 2) instanceof FieldStep data && data.field().equals("elementData")
                    && steps.get(i + 3) instanceof ArrayStep && steps.get(i + 3).target().classObject()) {
                return Optional.of(new LoaderHold(BuiltInLoaders.words(loader.className()), loader, steps.get(i + 3).target(), i + 4));
            }
        }
        return Optional.empty();
    }

    /** The GC root the path starts at. */
    public RootStep root() {
        return (RootStep) steps.get(0);
    }

    /** The object the path leads to. */
    public PathNode target() {
        return steps.get(steps.size() - 1).target();
    }

    /** Number of references followed from the root object to the target (0 when the target is a root). */
    public int length() {
        return steps.size() - 1;
    }

    /** The objects along the path, root object first, target last. */
    public List<PathNode> nodes() {
        return steps.stream().map(PathStep::target).toList();
    }

    /**
     * The trace: {@code GC root: ...} and one hop per line; or, for a path through a built-in
     * loader's classes ({@link #loaderHold()}), the class first with the loader and the root folded
     * into its line, then the hops from the class.
     */
    @Override
    public String toString() {
        Optional<LoaderHold> hold = loaderHold();
        int from = hold.map(LoaderHold::steps).orElse(1);
        StringBuilder b = new StringBuilder();
        if (hold.isPresent()) {
            LoaderHold h = hold.get();
            b.append(h.classObject()).append(", held by ").append(h.loader()).append(" (");
            if (h.steps() == 4) {
                b.append("GC root: ").append(kindWords(root().kind())).append(", ").append(h.loaderObject().name());
            } else {
                b.append(h.loaderObject().name()).append(", reached from GC root: ").append(describe(root()));
            }
            b.append(")\n");
        } else {
            b.append("GC root: ").append(describe(root())).append('\n');
        }
        int width = 0;
        for (int i = from; i < steps.size(); i++) {
            width = Math.max(width, hopLabel(steps.get(i)).length());
        }
        for (int i = from; i < steps.size(); i++) {
            String label = hopLabel(steps.get(i));
            b.append("  ").append(label).append(" ".repeat(width - label.length()))
                    .append("  → ").append(steps.get(i).target()).append('\n');
        }
        return b.toString();
    }

    /** What a root is, in words: {@code system class com.acme.Registry}, {@code local variable in thread "main" at …}. */
    static String describe(RootStep root) {
        String thread = "thread \"" + (root.threadName() == null ? "?" : root.threadName()) + "\"";
        String frame = root.frame() == null ? "" : " at " + root.frame();
        String what = switch (root.kind()) {
            case STICKY_CLASS -> "system class";
            case JAVA_FRAME -> "local variable in " + thread + frame;
            case JNI_LOCAL -> "JNI local in " + thread + frame;
            case THREAD_OBJECT -> thread;
            case NATIVE_STACK -> "native stack of " + thread;
            case THREAD_BLOCK -> "thread block of " + thread;
            case MONITOR_USED -> "busy monitor";
            case JNI_GLOBAL -> "JNI global";
            case UNKNOWN -> "unknown root";
        };
        PathNode target = root.target();
        if (root.kind() == RootKind.STICKY_CLASS && target.classObject()) {
            return what + " " + target.className();
        }
        return what + " → " + target;
    }

    /** A root kind in words, without its thread: {@code JNI global}, {@code system class}, {@code local variable}. */
    static String kindWords(RootKind kind) {
        return switch (kind) {
            case STICKY_CLASS -> "system class";
            case JAVA_FRAME -> "local variable";
            case JNI_LOCAL -> "JNI local";
            case THREAD_OBJECT -> "thread";
            case NATIVE_STACK -> "native stack";
            case THREAD_BLOCK -> "thread block";
            case MONITOR_USED -> "busy monitor";
            case JNI_GLOBAL -> "JNI global";
            case UNKNOWN -> "unknown root";
        };
    }

    /** How one hop prints: {@code static Registry.SESSIONS}, {@code .table}, {@code [17]}, {@code <class>}. */
    static String hopLabel(PathStep step) {
        // Java 17: no pattern switch without preview, so an instanceof chain over the sealed set
        if (step instanceof StaticStep s) {
            return "static " + simpleName(s.className()) + "." + s.field();
        }
        if (step instanceof FieldStep f) {
            return "." + f.field();
        }
        if (step instanceof ArrayStep a) {
            return "[" + a.index() + "]";
        }
        if (step instanceof ClassLinkStep c) {
            return c.link().label();
        }
        return describe((RootStep) step);
    }

    /** {@code Registry} for {@code com.acme.Registry}, {@code HashMap$Node} for {@code java.util.HashMap$Node}. */
    static String simpleName(String javaName) {
        return javaName.substring(javaName.lastIndexOf('.') + 1);
    }
}

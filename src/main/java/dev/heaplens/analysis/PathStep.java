package dev.heaplens.analysis;

/**
 * One step of a {@link GcRootPath}: the GC root it starts at, then each reference followed, named by
 * what holds it (an instance field, an array index, a static field, or a class's own links) and
 * leading to its {@link #target()}. A closed set, so an {@code instanceof} chain over it is complete.
 *
 * <pre>{@code
 * for (PathStep step : path.steps()) {
 *     if (step instanceof StaticStep s) System.out.println("static " + s.className() + "." + s.field());
 *     else if (step instanceof FieldStep f) System.out.println("." + f.field());
 *     else if (step instanceof ArrayStep a) System.out.println("[" + a.index() + "]");
 * }
 * }</pre>
 */
public sealed interface PathStep permits RootStep, StaticStep, FieldStep, ArrayStep, ClassLinkStep {

    /** The object this step reaches (for a {@link RootStep}, the root object itself). */
    PathNode target();
}

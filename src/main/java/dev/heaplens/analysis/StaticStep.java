package dev.heaplens.analysis;

/**
 * A hop from a class object through one of its static fields: the usual start of a leak, "static
 * field of class X".
 *
 * <pre>{@code
 * if (path.steps().get(1) instanceof StaticStep s) System.out.println(s.className() + "." + s.field());
 * }</pre>
 *
 * @param className the class declaring the static field (Java name)
 * @param field     the static field's name
 * @param target    the object it holds
 */
public record StaticStep(String className, String field, PathNode target) implements PathStep {
}

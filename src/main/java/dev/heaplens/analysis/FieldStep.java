package dev.heaplens.analysis;

/**
 * A hop through an instance field.
 *
 * <pre>{@code
 * FieldStep step = (FieldStep) path.steps().get(2);   // java.util.HashMap.table
 * String holder = step.declaringClass();              // "java.util.HashMap"
 * }</pre>
 *
 * @param declaringClass the class declaring the field (Java name), which may be a superclass of the holder's
 * @param field          the field's name
 * @param target         the object it holds
 */
public record FieldStep(String declaringClass, String field, PathNode target) implements PathStep {
}

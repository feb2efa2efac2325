package dev.heaplens.analysis;

/**
 * A hop through an element of an object array.
 *
 * <pre>{@code
 * ArrayStep step = (ArrayStep) path.steps().get(3);   // HashMap$Node[] [17]
 * int bucket = step.index();
 * }</pre>
 *
 * @param index  the element's index
 * @param target the object it holds
 */
public record ArrayStep(int index, PathNode target) implements PathStep {
}

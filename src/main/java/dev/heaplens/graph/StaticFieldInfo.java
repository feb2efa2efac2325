package dev.heaplens.graph;

import dev.heaplens.hprof.BasicType;

/**
 * A static field and its raw value, as the class dump records it.
 *
 * @param name  the field's name
 * @param type  its type
 * @param value raw bits for primitives (see {@link Values#box}), the object id for references
 */
public record StaticFieldInfo(String name, BasicType type, long value) {
}

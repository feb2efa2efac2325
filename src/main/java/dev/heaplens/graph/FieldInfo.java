package dev.heaplens.graph;

import dev.heaplens.hprof.BasicType;

/**
 * An instance field as the dump lays it out.
 *
 * @param name           the field's name
 * @param type           its type
 * @param declaringClass class-table index of the class that declares it
 * @param dumpOffset     byte offset of its value inside an INSTANCE DUMP's field data
 */
public record FieldInfo(String name, BasicType type, int declaringClass, int dumpOffset) {
}

package dev.heaplens.graph;

/** What the instances of a class look like in the dump. */
public enum ClassKind {
    /** Ordinary objects with fields (INSTANCE DUMP). */
    INSTANCE,
    /** Arrays of references (OBJ ARRAY DUMP). */
    OBJECT_ARRAY,
    /** Arrays of a primitive type (PRIM ARRAY DUMP). */
    PRIMITIVE_ARRAY
}

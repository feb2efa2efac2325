package dev.heaplens.graph;

import java.util.Arrays;

/**
 * The instance layout {@link FieldLayoutModel} computed for one class: its instance size, and what a
 * subclass's layout needs from it (where its fields, inherited ones included, sit, and whether
 * {@code @Contended} padding is in force).
 *
 * <p>Immutable; obtain one from {@link FieldLayoutModel#instanceLayout}.
 */
public final class ClassLayout {
    private final String className;
    private final int instanceSize;
    private final int fieldsEnd;
    /** Occupied byte ranges [start, end) of all instance fields, own and inherited, sorted and merged. */
    private final int[] fieldRuns;
    private final boolean contended;
    private final boolean sizeFixed;

    ClassLayout(String className, int instanceSize, int fieldsEnd, int[] fieldRuns, boolean contended, boolean sizeFixed) {
        this.className = className;
        this.instanceSize = instanceSize;
        this.fieldsEnd = fieldsEnd;
        this.fieldRuns = fieldRuns;
        this.contended = contended;
        this.sizeFixed = sizeFixed;
    }

    /** The binary class name this layout was computed for ({@code java.util.HashMap$Node}). */
    public String className() {
        return className;
    }

    /** Bytes one instance occupies in the heap, header and padding included, aligned. */
    public int instanceSize() {
        return instanceSize;
    }

    /**
     * Offset just past the last byte the layout uses before alignment: the end of the last field,
     * or of trailing {@code @Contended} padding, or of the header when there are no fields.
     */
    public int fieldsEnd() {
        return fieldsEnd;
    }

    /**
     * Whether {@code @Contended} rules apply to subclasses: the class, one of its fields, or a
     * superclass is annotated. HotSpot then never lets a subclass's fields into this layout's gaps
     * and pads after its last field.
     */
    public boolean hasContendedAnnotations() {
        return contended;
    }

    /**
     * Whether every instance has {@link #instanceSize()} bytes. False only for classes whose instances
     * carry variable-length data after their fields ({@code jdk.internal.vm.StackChunk}, sized by
     * {@link FieldLayoutModel#stackChunkSize}); for those {@code instanceSize()} is a lower bound.
     */
    public boolean isSizeFixed() {
        return sizeFixed;
    }

    /** Whether any instance field, own or inherited, exists. */
    boolean hasInstanceFields() {
        return fieldRuns.length > 0;
    }

    /** Number of merged runs of occupied field bytes. */
    int runCount() {
        return fieldRuns.length / 2;
    }

    int runStart(int i) {
        return fieldRuns[2 * i];
    }

    int runEnd(int i) {
        return fieldRuns[2 * i + 1];
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(className).append(": ").append(instanceSize).append(" bytes, fields at");
        for (int i = 0; i < runCount(); i++) {
            sb.append(' ').append('[').append(runStart(i)).append(',').append(runEnd(i)).append(')');
        }
        if (contended) {
            sb.append(", @Contended");
        }
        if (!sizeFixed) {
            sb.append(", variable size");
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassLayout c && c.className.equals(className) && c.instanceSize == instanceSize
                && c.fieldsEnd == fieldsEnd && Arrays.equals(c.fieldRuns, fieldRuns) && c.contended == contended
                && c.sizeFixed == sizeFixed;
    }

    @Override
    public int hashCode() {
        return className.hashCode() * 31 + instanceSize;
    }
}

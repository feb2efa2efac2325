package dev.heaplens.graph;

import dev.heaplens.hprof.BasicType;
import dev.heaplens.hprof.HprofBuffer;

import java.util.Arrays;

/**
 * An array of a primitive type (PRIM ARRAY DUMP); contents are read from the file on demand.
 *
 * <pre>{@code
 * HeapPrimitiveArray bytes = ...;
 * byte[] copy = (byte[]) bytes.toArray();
 * }</pre>
 */
public record HeapPrimitiveArray(ObjectGraph graph, int index) implements HeapObject {

    /** The element type. */
    public BasicType elementType() {
        return BasicType.ofTag(graph.file().buffer().u1(graph.recordOffset(index) + 1 + graph.file().idSize() + 8));
    }

    /** Number of elements. */
    public int length() {
        return graph.file().buffer().i4(graph.recordOffset(index) + 1 + graph.file().idSize() + 4);
    }

    /** Offset of the first element in the dump. */
    public long elementsOffset() {
        return graph.recordOffset(index) + 1 + graph.file().idSize() + 9;
    }

    /** Element {@code i}, boxed. */
    public Object get(int i) {
        if (i < 0 || i >= length()) {
            throw new IndexOutOfBoundsException("index " + i + " of an array of length " + length());
        }
        BasicType t = elementType();
        return Values.box(t, Values.raw(graph.file().buffer(), elementsOffset() + (long) i * t.primitiveSize(), t, 0));
    }

    /** A copy of the contents as a Java array of the element type ({@code int[]}, {@code byte[]}, …). */
    public Object toArray() {
        HprofBuffer buf = graph.file().buffer();
        long p = elementsOffset();
        int n = length();
        switch (elementType()) {
            case BYTE: {
                return buf.bytes(p, n);
            }
            case BOOLEAN: {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = buf.i1(p + i) != 0;
                }
                return a;
            }
            case CHAR: {
                char[] a = new char[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (char) buf.u2(p + 2L * i);
                }
                return a;
            }
            case SHORT: {
                short[] a = new short[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (short) buf.u2(p + 2L * i);
                }
                return a;
            }
            case INT: {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = buf.i4(p + 4L * i);
                }
                return a;
            }
            case FLOAT: {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = Float.intBitsToFloat(buf.i4(p + 4L * i));
                }
                return a;
            }
            case LONG: {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = buf.i8(p + 8L * i);
                }
                return a;
            }
            case DOUBLE: {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = Double.longBitsToDouble(buf.i8(p + 8L * i));
                }
                return a;
            }
            default:
                throw new IllegalStateException("not a primitive array");
        }
    }

    @Override
    public String toString() {
        Object a = toArray();
        String contents = switch (elementType()) {
            case BYTE -> Arrays.toString((byte[]) a);
            case BOOLEAN -> Arrays.toString((boolean[]) a);
            case CHAR -> Arrays.toString((char[]) a);
            case SHORT -> Arrays.toString((short[]) a);
            case INT -> Arrays.toString((int[]) a);
            case FLOAT -> Arrays.toString((float[]) a);
            case LONG -> Arrays.toString((long[]) a);
            case DOUBLE -> Arrays.toString((double[]) a);
            case OBJECT -> "";
        };
        return label() + ", length " + length() + ": " + HeapInstance.abbreviate(contents);
    }
}

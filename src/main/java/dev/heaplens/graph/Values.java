package dev.heaplens.graph;

import dev.heaplens.hprof.BasicType;
import dev.heaplens.hprof.HprofBuffer;

/** Reads and boxes single field values of a dump (for views; never on hot paths). */
public final class Values {
    private Values() {
    }

    /** Raw bits of a value of {@code type} at {@code pos}, sign-extended for int-like types. */
    public static long raw(HprofBuffer buf, long pos, BasicType type, int idSize) {
        return switch (type) {
            case OBJECT -> buf.id(pos, idSize);
            case BOOLEAN, BYTE -> buf.i1(pos);
            case CHAR -> buf.u2(pos);
            case SHORT -> (short) buf.u2(pos);
            case INT, FLOAT -> buf.i4(pos);
            case LONG, DOUBLE -> buf.i8(pos);
        };
    }

    /** A primitive's raw bits as its Java box ({@code Integer}, {@code Boolean}, …); for OBJECT the id as a {@code Long}. */
    public static Object box(BasicType type, long raw) {
        return switch (type) {
            case OBJECT -> raw;
            case BOOLEAN -> raw != 0;
            case BYTE -> (byte) raw;
            case CHAR -> (char) raw;
            case SHORT -> (short) raw;
            case INT -> (int) raw;
            case FLOAT -> Float.intBitsToFloat((int) raw);
            case LONG -> raw;
            case DOUBLE -> Double.longBitsToDouble(raw);
        };
    }
}

package dev.heaplens.hprof;

/**
 * The value types of HPROF fields and array elements, with their tag byte as HotSpot writes it.
 *
 * <p>{@code OBJECT} values are identifiers, whose width ({@code 4} or {@code 8}) is the dump's
 * identifier size; every other type has a fixed width.
 */
public enum BasicType {
    OBJECT(2, -1, "Object"),
    BOOLEAN(4, 1, "boolean"),
    CHAR(5, 2, "char"),
    FLOAT(6, 4, "float"),
    DOUBLE(7, 8, "double"),
    BYTE(8, 1, "byte"),
    SHORT(9, 2, "short"),
    INT(10, 4, "int"),
    LONG(11, 8, "long");

    private static final BasicType[] BY_TAG = new BasicType[12];

    static {
        for (BasicType t : values()) {
            BY_TAG[t.tag] = t;
        }
    }

    private final int tag;
    private final int size;
    private final String javaName;

    BasicType(int tag, int size, String javaName) {
        this.tag = tag;
        this.size = size;
        this.javaName = javaName;
    }

    /** The tag byte in HPROF records. */
    public int tag() {
        return tag;
    }

    /** Width of a value in the dump; for {@link #OBJECT} the dump's identifier size. */
    public int sizeInDump(int idSize) {
        return this == OBJECT ? idSize : size;
    }

    /** Width of a primitive value (the same in the dump and in the VM); -1 for {@link #OBJECT}. */
    public int primitiveSize() {
        return size;
    }

    /** The Java keyword of a primitive type, or {@code Object}. */
    public String javaName() {
        return javaName;
    }

    /** Whether this type holds a reference. */
    public boolean isObject() {
        return this == OBJECT;
    }

    /** The type for a tag byte, or {@code null} if the byte is not a valid HPROF type tag. */
    public static BasicType ofTag(int tag) {
        return tag >= 0 && tag < BY_TAG.length ? BY_TAG[tag] : null;
    }

    /** The tag of the JVM type descriptor char of this primitive type, e.g. {@code I} for INT. */
    public char descriptorChar() {
        return switch (this) {
            case OBJECT -> 'L';
            case BOOLEAN -> 'Z';
            case CHAR -> 'C';
            case FLOAT -> 'F';
            case DOUBLE -> 'D';
            case BYTE -> 'B';
            case SHORT -> 'S';
            case INT -> 'I';
            case LONG -> 'J';
        };
    }
}

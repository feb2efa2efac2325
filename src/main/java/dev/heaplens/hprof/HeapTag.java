package dev.heaplens.hprof;

/** The sub-record tags inside a HEAP DUMP or HEAP DUMP SEGMENT record. */
public enum HeapTag {
    ROOT_UNKNOWN(0xFF, "ROOT UNKNOWN"),
    ROOT_JNI_GLOBAL(0x01, "ROOT JNI GLOBAL"),
    ROOT_JNI_LOCAL(0x02, "ROOT JNI LOCAL"),
    ROOT_JAVA_FRAME(0x03, "ROOT JAVA FRAME"),
    ROOT_NATIVE_STACK(0x04, "ROOT NATIVE STACK"),
    ROOT_STICKY_CLASS(0x05, "ROOT STICKY CLASS"),
    ROOT_THREAD_BLOCK(0x06, "ROOT THREAD BLOCK"),
    ROOT_MONITOR_USED(0x07, "ROOT MONITOR USED"),
    ROOT_THREAD_OBJECT(0x08, "ROOT THREAD OBJECT"),
    CLASS_DUMP(0x20, "CLASS DUMP"),
    INSTANCE_DUMP(0x21, "INSTANCE DUMP"),
    OBJ_ARRAY_DUMP(0x22, "OBJ ARRAY DUMP"),
    PRIM_ARRAY_DUMP(0x23, "PRIM ARRAY DUMP");

    private static final HeapTag[] BY_TAG = new HeapTag[256];

    static {
        for (HeapTag t : values()) {
            BY_TAG[t.tag] = t;
        }
    }

    private final int tag;
    private final String label;

    HeapTag(int tag, String label) {
        this.tag = tag;
        this.label = label;
    }

    /** The tag byte. */
    public int tag() {
        return tag;
    }

    /** The sub-record's name as the HPROF documentation spells it. */
    public String label() {
        return label;
    }

    /** The tag for a byte, or {@code null} for a tag HotSpot does not define. */
    public static HeapTag of(int tag) {
        return BY_TAG[tag & 0xFF];
    }

    @Override
    public String toString() {
        return label;
    }
}

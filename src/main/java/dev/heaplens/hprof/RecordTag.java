package dev.heaplens.hprof;

/** The top-level HPROF record tags, as HotSpot's {@code heapDumper.cpp} defines them. */
public enum RecordTag {
    UTF8(0x01, "UTF8"),
    LOAD_CLASS(0x02, "LOAD CLASS"),
    UNLOAD_CLASS(0x03, "UNLOAD CLASS"),
    STACK_FRAME(0x04, "STACK FRAME"),
    STACK_TRACE(0x05, "STACK TRACE"),
    ALLOC_SITES(0x06, "ALLOC SITES"),
    HEAP_SUMMARY(0x07, "HEAP SUMMARY"),
    START_THREAD(0x0A, "START THREAD"),
    END_THREAD(0x0B, "END THREAD"),
    HEAP_DUMP(0x0C, "HEAP DUMP"),
    CPU_SAMPLES(0x0D, "CPU SAMPLES"),
    CONTROL_SETTINGS(0x0E, "CONTROL SETTINGS"),
    HEAP_DUMP_SEGMENT(0x1C, "HEAP DUMP SEGMENT"),
    HEAP_DUMP_END(0x2C, "HEAP DUMP END");

    private static final RecordTag[] BY_TAG = new RecordTag[256];

    static {
        for (RecordTag t : values()) {
            BY_TAG[t.tag] = t;
        }
    }

    private final int tag;
    private final String label;

    RecordTag(int tag, String label) {
        this.tag = tag;
        this.label = label;
    }

    /** The tag byte. */
    public int tag() {
        return tag;
    }

    /** The record's name as the HPROF documentation spells it. */
    public String label() {
        return label;
    }

    /** The tag for a byte, or {@code null} for a tag HotSpot does not define. */
    public static RecordTag of(int tag) {
        return BY_TAG[tag & 0xFF];
    }

    @Override
    public String toString() {
        return label;
    }
}

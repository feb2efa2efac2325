package dev.heaplens.hprof;

/**
 * Why the VM keeps an object alive: the kind of a GC root, one per HPROF root sub-record.
 */
public enum RootKind {
    UNKNOWN("unknown root"),
    JNI_GLOBAL("JNI global"),
    JNI_LOCAL("JNI local"),
    JAVA_FRAME("local variable"),
    NATIVE_STACK("native stack"),
    STICKY_CLASS("system class"),
    THREAD_BLOCK("thread block"),
    MONITOR_USED("busy monitor"),
    THREAD_OBJECT("thread");

    private final String description;

    RootKind(String description) {
        this.description = description;
    }

    /** A short human description, as used in paths from GC roots. */
    public String description() {
        return description;
    }

    /** The root kind a heap sub-record stands for, or {@code null} if it is not a root. */
    public static RootKind of(HeapTag tag) {
        return switch (tag) {
            case ROOT_UNKNOWN -> UNKNOWN;
            case ROOT_JNI_GLOBAL -> JNI_GLOBAL;
            case ROOT_JNI_LOCAL -> JNI_LOCAL;
            case ROOT_JAVA_FRAME -> JAVA_FRAME;
            case ROOT_NATIVE_STACK -> NATIVE_STACK;
            case ROOT_STICKY_CLASS -> STICKY_CLASS;
            case ROOT_THREAD_BLOCK -> THREAD_BLOCK;
            case ROOT_MONITOR_USED -> MONITOR_USED;
            case ROOT_THREAD_OBJECT -> THREAD_OBJECT;
            case CLASS_DUMP, INSTANCE_DUMP, OBJ_ARRAY_DUMP, PRIM_ARRAY_DUMP -> null;
        };
    }
}

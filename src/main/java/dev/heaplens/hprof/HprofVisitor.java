package dev.heaplens.hprof;

/**
 * Receives the records of a dump, in file order, from {@link HprofReader}. Every method has an
 * empty default, so a visitor implements only what it needs.
 *
 * <p>Large records are not copied: an instance, array or UTF8 string is reported by its position
 * in the file, and the visitor reads what it wants through {@link HprofFile#buffer()}. This keeps
 * the record pass close to the speed of touching the file once.
 */
public interface HprofVisitor {

    /** A visitor that ignores everything (to measure the record pass alone). */
    HprofVisitor NONE = new HprofVisitor() { };

    /** A UTF8 record: {@code length} bytes of modified UTF-8 at {@code textOffset}. */
    default void utf8(long id, long textOffset, int length) { }

    /** A LOAD CLASS record, which gives the class object id its name. */
    default void loadClass(int classSerial, long classId, int stackTraceSerial, long nameId) { }

    /** An UNLOAD CLASS record. */
    default void unloadClass(int classSerial) { }

    /** A STACK FRAME record; {@code line} is the line number or a negative HPROF marker. */
    default void stackFrame(long frameId, long methodNameId, long signatureId, long sourceFileId,
                            int classSerial, int line) { }

    /** A STACK TRACE record with its frame ids, innermost first. */
    default void stackTrace(int serial, int threadSerial, long[] frameIds) { }

    /** A START THREAD record. */
    default void startThread(int threadSerial, long threadObjectId, int stackTraceSerial, long nameId,
                             long groupNameId, long parentGroupNameId) { }

    /** An END THREAD record. */
    default void endThread(int threadSerial) { }

    /** A record HotSpot does not write but the format defines (ALLOC SITES, HEAP SUMMARY, CPU SAMPLES, CONTROL SETTINGS), skipped whole. */
    default void otherRecord(RecordTag tag, long offset, long length) { }

    /** The start of a HEAP DUMP or HEAP DUMP SEGMENT record whose body spans {@code [bodyOffset, bodyOffset+length)}. */
    default void heapDumpStart(RecordTag tag, long bodyOffset, long length) { }

    /** A HEAP DUMP END record. */
    default void heapDumpEnd(long offset) { }

    /**
     * A GC root. {@code threadSerial} is the thread's serial for thread-related kinds (else 0);
     * {@code extra} is the frame number (JNI local, Java frame), the stack trace serial (thread
     * object) or the JNI global reference's id (JNI global), else 0.
     */
    default void root(RootKind kind, long objectId, int threadSerial, long extra, long recordOffset) { }

    /** A CLASS DUMP. */
    default void classDump(ClassDump dump) { }

    /** An INSTANCE DUMP whose {@code dataLength} bytes of field values start at {@code dataOffset}. */
    default void instance(long id, long classId, long recordOffset, long dataOffset, int dataLength) { }

    /** An OBJ ARRAY DUMP whose {@code length} element ids start at {@code elementsOffset}. */
    default void objectArray(long id, long arrayClassId, long recordOffset, long elementsOffset, int length) { }

    /** A PRIM ARRAY DUMP whose {@code length} elements of {@code type} start at {@code elementsOffset}. */
    default void primitiveArray(long id, BasicType type, long recordOffset, long elementsOffset, int length) { }

    /** Something odd but survivable, such as a record of unknown tag that was skipped. */
    default void warning(long offset, String message) { }
}

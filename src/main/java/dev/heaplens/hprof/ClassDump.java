package dev.heaplens.hprof;

import java.util.List;

/**
 * One CLASS DUMP sub-record: a class's identity, its static field values and the names and types of
 * the instance fields it declares (not inherited ones; those belong to its superclass's dump).
 *
 * @param classId            object id of the class (its {@code java.lang.Class} mirror)
 * @param stackTraceSerial   stack trace serial of the class's loading, usually 0
 * @param superId            object id of the superclass, 0 for {@code java.lang.Object}
 * @param loaderId           object id of the defining class loader, 0 for the boot loader
 * @param signersId          object id of the signers, or 0
 * @param protectionDomainId object id of the protection domain, or 0
 * @param instanceSize       instance size as the dump states it: bytes of field data per instance
 *                           in the dump, <em>not</em> the VM's object size
 * @param staticFields       static fields with their values
 * @param instanceFields     declared instance fields, in the order their values appear in an
 *                           INSTANCE DUMP of this class
 * @param recordOffset       offset of the sub-record's tag byte in the dump
 */
public record ClassDump(long classId, int stackTraceSerial, long superId, long loaderId, long signersId,
                        long protectionDomainId, int instanceSize, List<StaticField> staticFields,
                        List<FieldDecl> instanceFields, long recordOffset) {

    /** A static field and its value: raw bits for primitives, an object id for references. */
    public record StaticField(long nameId, BasicType type, long value) {
    }

    /** An instance field's name (a UTF8 id) and type. */
    public record FieldDecl(long nameId, BasicType type) {
    }
}

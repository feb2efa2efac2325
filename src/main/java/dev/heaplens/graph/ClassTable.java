package dev.heaplens.graph;

import dev.heaplens.hprof.BasicType;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntList;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every class of the dump, by dense class index {@code 0..C-1}: name, superclass, loader, fields,
 * statics, and the VM shallow sizes of its instances and of its {@code Class} object.
 *
 * <p>Classes are few (thousands to tens of thousands), so each is a small Java object here; the
 * per-object data lives in {@link ObjectGraph}'s primitive arrays.
 */
public final class ClassTable {

    /** One class; mutable only while the graph is being built. */
    static final class Entry {
        long id;
        String name;
        int superIndex = -1;
        long loaderId;
        long signersId;
        long protectionDomainId;
        ClassKind kind = ClassKind.INSTANCE;
        BasicType elementType;
        List<FieldInfo> declaredFields = List.of();
        List<StaticFieldInfo> statics = List.of();
        /** Field data bytes an INSTANCE DUMP of this class must carry (own fields and inherited). */
        int dumpInstanceBytes;
        /** Offsets of reference fields inside the instance field data, inherited included. */
        int[] referenceOffsets = new int[0];
        long instanceSize;
        long classObjectSize;
        int classObjectIndex = -1;
        boolean synthetic;
        /** Whether instances list java.lang.ref.Reference.referent as their first reference. */
        boolean referentFirst;
        /** For classes whose instances vary in size (stack chunks): their layout, and where the size field is. */
        ClassLayout variableLayout;
        int sizeFieldOffset = -1;
    }

    private final Entry[] entries;
    private final Long2IntOpenHashMap byId;
    private final Map<String, IntList> byName = new HashMap<>();
    private final int javaLangClass;
    private final int idSize;

    ClassTable(Entry[] entries, int javaLangClass, int idSize) {
        this.entries = entries;
        this.idSize = idSize;
        this.javaLangClass = javaLangClass;
        this.byId = new Long2IntOpenHashMap(entries.length);
        byId.defaultReturnValue(-1);
        for (int c = 0; c < entries.length; c++) {
            if (!entries[c].synthetic) {
                byId.put(entries[c].id, c);
            }
            byName.computeIfAbsent(entries[c].name, k -> new IntArrayList(1)).add(c);
        }
    }

    Entry entry(int c) {
        return entries[c];
    }

    /** Number of classes. */
    public int size() {
        return entries.length;
    }

    /** Java name, e.g. {@code java.util.HashMap$Node} or {@code int[]}. */
    public String name(int c) {
        return entries[c].name;
    }

    /** Object id of the class ({@code java.lang.Class} mirror); 0 for a class heaplens synthesised because the dump lacks it. */
    public long classId(int c) {
        return entries[c].synthetic ? 0 : entries[c].id;
    }

    /** Class index of the superclass, or -1. */
    public int superClass(int c) {
        return entries[c].superIndex;
    }

    /** Object id of the defining loader, 0 for the bootstrap loader. */
    public long loaderId(int c) {
        return entries[c].loaderId;
    }

    /** What the instances look like. */
    public ClassKind kind(int c) {
        return entries[c].kind;
    }

    /** Element type of an array class ({@code OBJECT} for object arrays), null for others. */
    public BasicType elementType(int c) {
        return entries[c].elementType;
    }

    /** VM shallow size of one instance of an {@link ClassKind#INSTANCE} class, in bytes. */
    public long instanceSize(int c) {
        return entries[c].instanceSize;
    }

    /** VM shallow size of this class's {@code java.lang.Class} object (its statics included), in bytes. */
    public long classObjectSize(int c) {
        return entries[c].classObjectSize;
    }

    /** Dense object index of this class's {@code Class} object, or -1 if it is not in the dump. */
    public int classObjectIndex(int c) {
        return entries[c].classObjectIndex;
    }

    /** Whether heaplens made this class up because the dump refers to it without a CLASS DUMP. */
    public boolean isSynthetic(int c) {
        return entries[c].synthetic;
    }

    /** Instance fields the class declares itself, in dump order; offsets relative to the class's own block. */
    public List<FieldInfo> declaredFields(int c) {
        return entries[c].declaredFields;
    }

    /** All instance fields in the order of an INSTANCE DUMP: the class's own, then its superclass's, and so on. */
    public List<FieldInfo> allFields(int c) {
        List<FieldInfo> all = new ArrayList<>();
        int base = 0;
        for (int k = c; k >= 0; k = entries[k].superIndex) {
            int own = 0;
            for (FieldInfo f : entries[k].declaredFields) {
                all.add(base == 0 ? f : new FieldInfo(f.name(), f.type(), f.declaringClass(), base + f.dumpOffset()));
                own = Math.max(own, f.dumpOffset() + f.type().sizeInDump(idSize));
            }
            base += own;
        }
        return all;
    }

    /** Static fields with their values. */
    public List<StaticFieldInfo> staticFields(int c) {
        return entries[c].statics;
    }

    /** Class index for a class object id, or -1. */
    public int indexOfId(long classId) {
        return byId.get(classId);
    }

    /** Class indices with this Java name (several when loaded by several loaders); empty if none. */
    public IntList byName(String javaName) {
        IntList list = byName.get(javaName);
        return list == null ? IntList.of() : list;
    }

    /** The first class with this name, or -1. */
    public int find(String javaName) {
        IntList list = byName.get(javaName);
        return list == null ? -1 : list.getInt(0);
    }

    /** Class index of {@code java.lang.Class}. */
    public int javaLangClass() {
        return javaLangClass;
    }

    /** Whether {@code c} is {@code ancestor} or a subclass of it. */
    public boolean isSubclassOf(int c, int ancestor) {
        for (int k = c; k >= 0; k = entries[k].superIndex) {
            if (k == ancestor) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code c} is {@code java.lang.ref.Reference} or a subclass, whose {@code referent} does not keep objects alive. */
    public boolean isReference(int c) {
        return entries[c].referentFirst;
    }

    int[] referenceOffsets(int c) {
        return entries[c].referenceOffsets;
    }

    int dumpInstanceBytes(int c) {
        return entries[c].dumpInstanceBytes;
    }
}

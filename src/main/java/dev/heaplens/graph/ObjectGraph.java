package dev.heaplens.graph;

import dev.heaplens.hprof.HprofFile;
import dev.heaplens.hprof.HprofReader;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * The object graph of a dump: every object by dense index {@code 0..N-1} (its rank by object id),
 * with its class, VM shallow size, record offset for lazy field reads, and its out-edges in CSR form.
 *
 * <p>Per-object facts are primitive arrays; nothing per object is a Java object. Out-edges are
 * instance reference fields, array elements, and for class objects their superclass, loader,
 * signers, protection domain and static references. The edge from an instance to its class is
 * implicit ({@link #classOf} and {@link ClassTable#classObjectIndex}).
 *
 * <pre>{@code
 * for (int obj = 0; obj < graph.objectCount(); obj++) {
 *     for (long e = graph.edgeStart(obj), end = graph.edgeEnd(obj); e < end; e++) {
 *         int target = graph.edgeTarget(e);
 *     }
 * }
 * }</pre>
 */
public final class ObjectGraph {
    static final int SEGMENT_BITS = 27;
    static final int SEGMENT_MASK = (1 << SEGMENT_BITS) - 1;

    private final HprofFile file;
    private final VmLayout layout;
    private final OffsetArray recordOffsets;
    private final int[] classOf;
    private final int[] shallowWords;
    private final long[] referentEdges;
    private final OffsetArray edgeOffsets;
    private final int[][] edgeTargets;
    private final IdIndex idIndex;
    private final ClassTable classes;
    private final GcRoots roots;
    private final StackTraces stackTraces;
    private final long danglingReferences;
    private final HprofReader.Result readResult;
    private final List<String> warnings;
    private final BuildTimes buildTimes;
    private volatile InboundIndex inbound;

    ObjectGraph(HprofFile file, VmLayout layout, OffsetArray recordOffsets, int[] classOf, int[] shallowWords,
                long[] referentEdges, OffsetArray edgeOffsets, int[][] edgeTargets, IdIndex idIndex, ClassTable classes, GcRoots roots,
                StackTraces stackTraces, long danglingReferences, HprofReader.Result readResult, List<String> warnings,
                BuildTimes buildTimes) {
        this.buildTimes = buildTimes;
        this.file = file;
        this.layout = layout;
        this.recordOffsets = recordOffsets;
        this.classOf = classOf;
        this.shallowWords = shallowWords;
        this.referentEdges = referentEdges;
        this.edgeOffsets = edgeOffsets;
        this.edgeTargets = edgeTargets;
        this.idIndex = idIndex;
        this.classes = classes;
        this.roots = roots;
        this.stackTraces = stackTraces;
        this.danglingReferences = danglingReferences;
        this.readResult = readResult;
        this.warnings = List.copyOf(warnings);
    }

    /** Reads {@code file} into a graph with default options (strict, layout inferred). */
    public static ObjectGraph build(HprofFile file) {
        return new GraphBuilder(file).build();
    }

    /** Number of objects (instances, arrays and class objects). */
    public int objectCount() {
        return recordOffsets.size();
    }

    /** Number of references between objects in the dump (null and dangling references excluded). */
    public long edgeCount() {
        return edgeOffsets.get(recordOffsets.size());
    }

    /** Object id (VM address) of an object: not stored, but the index's id of that rank. */
    public long id(int obj) {
        return idIndex.idOf(obj);
    }

    /** Dense index of the object with this id, or -1. */
    public int indexOf(long id) {
        return idIndex.indexOf(id);
    }

    /** Class-table index of an object's class ({@code java.lang.Class} for class objects). */
    public int classOf(int obj) {
        return classOf[obj];
    }

    /** VM shallow size in bytes. */
    public long shallowSize(int obj) {
        return (shallowWords[obj] & 0xFFFF_FFFFL) << 3;
    }

    /** Offset of the object's sub-record in the (decompressed) dump. */
    public long recordOffset(int obj) {
        return recordOffsets.get(obj);
    }

    /** Whether the object is a class object (a CLASS DUMP), as opposed to an instance or array. */
    public boolean isClassObject(int obj) {
        return classOf[obj] == classes.javaLangClass() && classes.indexOfId(idIndex.idOf(obj)) >= 0;
    }

    /**
     * Whether the object's first out-edge is the {@code referent} of a {@code java.lang.ref.Reference}
     * (weak, soft, phantom or final), which does not keep its target alive: analyses that follow only
     * strong references start at {@code edgeStart(obj) + 1}.
     */
    public boolean hasReferentEdge(int obj) {
        return (referentEdges[obj >>> 6] & (1L << obj)) != 0;
    }

    /** Index of the object's first out-edge. */
    public long edgeStart(int obj) {
        return edgeOffsets.get(obj);
    }

    /** Index one past the object's last out-edge. */
    public long edgeEnd(int obj) {
        return edgeOffsets.get(obj + 1);
    }

    /** Target object of edge {@code e}. */
    public int edgeTarget(long e) {
        return edgeTargets[(int) (e >>> SEGMENT_BITS)][(int) (e & SEGMENT_MASK)];
    }

    /** What {@link #referenceFieldTarget} returns when the out-edges cannot say: read the field's id instead. */
    public static final int NOT_IN_EDGES = -2;

    /**
     * The object that the reference field at {@code dumpOffset} (its {@code FieldInfo.dumpOffset()})
     * of instance {@code obj} points at, taken from the out-edges, which hold every non-null
     * reference field in order, already resolved: no read of the file, no id lookup. Returns
     * {@link #NOT_IN_EDGES} when the edges cannot tell which is which (a null or dangling field
     * among the instance's references leaves fewer edges than fields, or {@code obj} is a class
     * object, or the offset is not one of its class's reference fields).
     */
    public int referenceFieldTarget(int obj, int dumpOffset) {
        int c = classOf[obj];
        if (c < 0 || c == classes.javaLangClass() && isClassObject(obj)) {
            return NOT_IN_EDGES;
        }
        int[] refs = classes.referenceOffsets(c);
        long start = edgeOffsets.get(obj);
        if (edgeOffsets.get(obj + 1) - start != refs.length) {
            return NOT_IN_EDGES;
        }
        for (int r = 0; r < refs.length; r++) {
            if (refs[r] == dumpOffset) {
                return edgeTarget(start + r);
            }
        }
        return NOT_IN_EDGES;
    }

    /** Number of out-edges of an object. */
    public int outDegree(int obj) {
        return (int) (edgeOffsets.get(obj + 1) - edgeOffsets.get(obj));
    }

    /** Calls {@code action} with each object {@code obj} references, in field or element order. */
    public void forEachReference(int obj, IntConsumer action) {
        for (long e = edgeOffsets.get(obj), end = edgeOffsets.get(obj + 1); e < end; e++) {
            action.accept(edgeTarget(e));
        }
    }

    /** The class table. */
    public ClassTable classes() {
        return classes;
    }

    /** The GC roots. */
    public GcRoots roots() {
        return roots;
    }

    /** Stack traces and threads as the dump records them. */
    public StackTraces stackTraces() {
        return stackTraces;
    }

    /** The object layout the shallow sizes follow. */
    public VmLayout layout() {
        return layout;
    }

    /** The dump, for lazy field reads. */
    public HprofFile file() {
        return file;
    }

    /** References whose target id is not an object in the dump (dropped from the edges). */
    public long danglingReferences() {
        return danglingReferences;
    }

    /** How the record pass ended; in lenient mode it may say what was lost. */
    public HprofReader.Result readResult() {
        return readResult;
    }

    /** Things worth knowing about the dump that did not stop the analysis. */
    public List<String> warnings() {
        return warnings;
    }

    /** The referrers of every object, built on first use (then kept). */
    public InboundIndex inbound() {
        InboundIndex index = inbound;
        if (index == null) {
            synchronized (this) {
                index = inbound;
                if (index == null) {
                    index = InboundIndex.build(this);
                    inbound = index;
                }
            }
        }
        return index;
    }

    /** Where the time of building this graph went. */
    public BuildTimes buildTimes() {
        return buildTimes;
    }

    /** Bytes of Java heap this graph holds (its arrays), for the footprint target of DESIGN.md. */
    public long footprintBytes() {
        long bytes = recordOffsets.footprintBytes() + 4L * classOf.length + 4L * shallowWords.length
                + 8L * referentEdges.length
                + edgeOffsets.footprintBytes() + idIndex.footprintBytes();
        for (int[] segment : edgeTargets) {
            bytes += 4L * segment.length;
        }
        return bytes;
    }
}

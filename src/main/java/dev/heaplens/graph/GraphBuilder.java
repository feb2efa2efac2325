package dev.heaplens.graph;

import dev.heaplens.concurrent.Parallel;
import dev.heaplens.hprof.BasicType;
import dev.heaplens.hprof.ClassDump;
import dev.heaplens.hprof.HeapTag;
import dev.heaplens.hprof.HprofBuffer;
import dev.heaplens.hprof.HprofFile;
import dev.heaplens.hprof.HprofFormatException;
import dev.heaplens.hprof.HprofReader;
import dev.heaplens.hprof.HprofVisitor;
import dev.heaplens.hprof.HprofWindow;
import dev.heaplens.hprof.ModifiedUtf8;
import dev.heaplens.hprof.RecordTag;
import dev.heaplens.hprof.RootKind;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.Int2LongOpenHashMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds an {@link ObjectGraph} from a dump in two passes over the mapped file.
 *
 * <ol>
 *   <li><b>Record pass</b> ({@link HprofReader}): collects each object's id and record offset,
 *       class dumps, names, roots and stacks. Field data is skipped, not read.</li>
 *   <li>Ids are sorted together with their offsets (HotSpot writes them nearly in address order),
 *       so an object's dense index is its rank and {@link IdIndex} resolves references without a
 *       hash map. The class table and VM sizes are computed once per class.</li>
 *   <li><b>Edge pass</b>: objects are visited in index order, in parallel ranges; each record's
 *       class, size and references are read from the file and references resolved to indices,
 *       appending straight into CSR order.</li>
 * </ol>
 *
 * <pre>{@code
 * ObjectGraph graph = new GraphBuilder(file).lenient(true).layout(VmLayout.compressed()).build();
 * }</pre>
 */
public final class GraphBuilder {
    private final HprofFile file;
    private HprofBuffer buf;
    private final int idSize;
    private boolean lenient;
    private VmLayout layout;
    private int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private int windowBytes = HprofWindow.DEFAULT_CAPACITY;

    /** A builder for {@code file}: strict, with the object layout inferred. */
    public GraphBuilder(HprofFile file) {
        this.file = file;
        this.buf = file.buffer();
        this.idSize = file.idSize();
    }

    /** Keep what is complete in a truncated or damaged dump instead of failing. */
    public GraphBuilder lenient(boolean lenient) {
        this.lenient = lenient;
        return this;
    }

    /** The VM flags the sizes follow; {@code null} (the default) infers them from the dump. */
    public GraphBuilder layout(VmLayout layout) {
        this.layout = layout;
        return this;
    }

    /** Bytes each edge-pass thread reads at a time (tests make it tiny, to refill on every record). */
    GraphBuilder windowBytes(int bytes) {
        this.windowBytes = bytes;
        return this;
    }

    /** Threads for the edge pass (default: up to 4, the machine's cores). */
    public GraphBuilder threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        this.threads = threads;
        return this;
    }

    /**
     * Reads the dump and builds the graph. The file's mapped pages are released after each pass
     * that reads them all (see {@link HprofFile#releasePages()}), so the process's resident memory
     * holds the graph, not the dump; call it with no other thread reading the file.
     */
    public ObjectGraph build() {
        long t0 = System.nanoTime();
        Records records = readRecords();
        HprofReader.Result result = records.result;
        long t1 = System.nanoTime();
        PhaseTrace.end("record pass", t0);
        // The record pass has read every page of the file; the phases after it read class dumps and
        // strings through the map, and instances and arrays through windows: unmapping now keeps the
        // resident memory of the process from growing with the dump's size.
        file.releasePages();
        buf = file.buffer();
        List<String> warnings = new ArrayList<>(records.warnings);
        if (file.decompressionProblem() != null) {
            warnings.add("lenient: " + file.decompressionProblem());
        }
        if (!result.complete()) {
            warnings.add("lenient: stopped at byte " + result.bytesRead() + " of " + file.size() + " ("
                    + (file.size() - result.bytesRead()) + " bytes not analysed): " + result.problem().problem());
        }

        // the class objects, which are not in the parts' lists, as a part of their own
        HeapPart classObjects = new HeapPart(records.classDumps.size());
        for (ClassDump c : records.classDumps) {
            classObjects.objectIds.add(c.classId());
            classObjects.objectOffsets.add(c.recordOffset());
        }
        List<HeapPart> parts = new ArrayList<>(records.parts);
        parts.add(classObjects);
        records.parts = null;
        // every chunk of every part, in file order, is a part of the sort
        int chunks = 0;
        for (HeapPart part : parts) {
            chunks += part.objectIds.chunkCount();
        }
        long[][] partIds = new long[chunks][];
        long[][] partOffsets = new long[chunks][];
        int[] counts = new int[chunks];
        for (int k = 0, i = 0; k < parts.size(); k++) {
            LongChunks partIdChunks = parts.get(k).objectIds;
            LongChunks partOffsetChunks = parts.get(k).objectOffsets;
            for (int c = 0; c < partIdChunks.chunkCount(); c++, i++) {
                partIds[i] = partIdChunks.chunk(c);
                partOffsets[i] = partOffsetChunks.chunk(c);
                counts[i] = partIdChunks.count(c);
            }
        }
        IdIndex.Sorted sorted = IdIndex.sortByRank(partIds, partOffsets, counts, threads, file.size());
        if (sorted == null) {
            sorted = sortSparseOrRepeated(joined(partIds, counts), joined(partOffsets, counts), warnings);
        }
        parts = null;
        partIds = null;
        partOffsets = null;
        OffsetArray offsets = sorted.offsets();
        IdIndex index = sorted.index();
        long t2 = System.nanoTime();
        PhaseTrace.end("sort ids", t1);

        ClassTableBuilder classTableBuilder = new ClassTableBuilder(records, layout != null ? layout : inferLayout(index), index, offsets);
        int recordWarnings = records.warnings.size();
        ClassTable classes = classTableBuilder.build();
        // what building the class table noticed (missing superclasses, an impossible layout)
        warnings.addAll(records.warnings.subList(recordWarnings, records.warnings.size()));
        VmLayout vm = classTableBuilder.vm;
        GcRoots roots = records.roots.resolve(index);
        if (roots.unresolved() > 0) {
            warnings.add(roots.unresolved() + " GC roots refer to objects that are not in the dump");
        }
        StackTraces stacks = records.stackTraces(index);
        long t3 = System.nanoTime();
        PhaseTrace.end("class table", t2);

        EdgePass edges = new EdgePass(offsets, index, classes, vm, classTableBuilder.model);
        edges.run();
        long t4 = System.nanoTime();
        PhaseTrace.end("edge pass", t3);
        BuildTimes times = new BuildTimes((t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6);
        if (edges.dangling > 0) {
            warnings.add(edges.dangling + " references point at objects that are not in the dump (dropped; HotSpot "
                    + "omits some, e.g. the archived Class mirrors of shared classes that were never loaded)");
        }
        if (edges.unknownClasses > 0) {
            warnings.add("lenient: " + edges.unknownClasses + " instances and arrays whose class has no CLASS DUMP or is of another "
                    + "kind are counted as " + UNKNOWN_CLASS + " (arrays as java.lang.Object[])");
        }
        if (edges.lengthMismatches > 0) {
            warnings.add("lenient: " + edges.lengthMismatches + " instances whose field data does not match their class");
        }
        file.releasePages(); // views of the graph's objects read the file through pages from then on
        return new ObjectGraph(file, vm, offsets, edges.classOf, edges.shallowWords, edges.referentEdges, edges.edgeOffsets,
                edges.targets, index, classes, roots, stacks, edges.dangling, result, warnings, times);
    }

    /**
     * The record pass: the heap dump segments read by {@link #threads} threads, or, in a dump with a
     * problem anywhere, by one, which then reports the problem exactly (strict) or keeps what comes
     * before it (lenient).
     */
    private Records readRecords() {
        HprofReader reader = new HprofReader(file, lenient);
        if (threads > 1) {
            Records records = new Records(0);
            List<HeapPart> parts = new ArrayList<>(threads);
            for (int k = 0; k < threads; k++) {
                parts.add(new HeapPart(expectedObjects(file.size() / threads)));
            }
            HprofReader.Result result = reader.acceptInParallel(records, parts);
            if (result != null) {
                records.addAll(parts);
                records.result = result;
                return records;
            }
        }
        Records records = new Records(expectedObjects(file.size()));
        records.result = reader.accept(records);
        records.addAll(List.of(records.heap));
        return records;
    }

    /** The parts' first {@code counts[k]} values, one after the other. */
    private static long[] joined(long[][] parts, int[] counts) {
        long[] all = new long[java.util.Arrays.stream(counts).sum()];
        int at = 0;
        for (int k = 0; k < parts.length; k++) {
            System.arraycopy(parts[k], 0, all, at, counts[k]);
            at += counts[k];
        }
        return all;
    }

    /** A guess at the objects in {@code bytes} of a dump that spares most of the lists' regrowth. */
    private static int expectedObjects(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE - 16, bytes / 96 + 1024);
    }

    /** What one thread of the record pass collects from its run of heap dump segments. */
    static final class HeapPart implements HprofVisitor {
        final LongChunks objectIds;
        final LongChunks objectOffsets;
        final List<ClassDump> classDumps = new ArrayList<>();
        final IntArrayList rootKinds = new IntArrayList();
        final LongArrayList rootIds = new LongArrayList();
        final IntArrayList rootThreads = new IntArrayList();
        final LongArrayList rootExtras = new LongArrayList();

        HeapPart(int expectedObjects) {
            objectIds = new LongChunks(expectedObjects);
            objectOffsets = new LongChunks(expectedObjects);
        }

        @Override
        public void root(RootKind kind, long objectId, int threadSerial, long extra, long recordOffset) {
            rootKinds.add(kind.ordinal());
            rootIds.add(objectId);
            rootThreads.add(threadSerial);
            rootExtras.add(extra);
        }

        @Override
        public void classDump(ClassDump dump) {
            classDumps.add(dump);
        }

        @Override
        public void instance(long id, long classId, long recordOffset, long dataOffset, int dataLength) {
            objectIds.add(id);
            objectOffsets.add(recordOffset);
        }

        @Override
        public void objectArray(long id, long arrayClassId, long recordOffset, long elementsOffset, int length) {
            objectIds.add(id);
            objectOffsets.add(recordOffset);
        }

        @Override
        public void primitiveArray(long id, BasicType type, long recordOffset, long elementsOffset, int length) {
            objectIds.add(id);
            objectOffsets.add(recordOffset);
        }
    }

    /**
     * Compressed oops are the JVM's default below 32 GB of heap; the span of object addresses
     * bounds the heap from below, so a span over 32 GB rules them out. Dumps heaplens captures
     * carry the real flags, and callers can always pass them.
     */
    private VmLayout inferLayout(IdIndex index) {
        int n = index.size();
        if (n == 0 || index.idOf(n - 1) - index.idOf(0) < (32L << 30)) {
            return VmLayout.compressed();
        }
        return VmLayout.uncompressedOops();
    }

    /**
     * Ids too sparse for the rank bitmap, or with repeats (a damaged dump's): sorted by merging their
     * address runs or by radix sort; a repeat fails a strict build and is dropped in a lenient one.
     */
    private IdIndex.Sorted sortSparseOrRepeated(long[] unsortedIds, long[] unsortedOffsets, List<String> warnings) {
        long[][] sorted = IdSort.sort(unsortedIds, unsortedOffsets);
        long[] ids = sorted[0];
        long[] offsets = sorted[1];
        int duplicates = countDuplicates(ids, offsets);
        if (duplicates > 0) {
            long[][] dedup = dropDuplicates(ids, offsets, duplicates);
            ids = dedup[0];
            offsets = dedup[1];
            warnings.add("lenient: dropped " + duplicates + " records whose object id was already dumped");
        }
        return new IdIndex.Sorted(OffsetArray.of(offsets), new IdIndex(ids));
    }

    private int countDuplicates(long[] ids, long[] offsets) {
        int duplicates = 0;
        for (int i = 1; i < ids.length; i++) {
            if (ids[i] == ids[i - 1]) {
                if (!lenient) {
                    throw new HprofFormatException(file.path(), offsets[i], "HEAP DUMP",
                            String.format("object id 0x%x is dumped twice (also at byte %d)", ids[i], offsets[i - 1]));
                }
                duplicates++;
            }
        }
        return duplicates;
    }

    private static long[][] dropDuplicates(long[] ids, long[] offsets, int duplicates) {
        long[] i2 = new long[ids.length - duplicates];
        long[] o2 = new long[i2.length];
        int n = 0;
        for (int i = 0; i < ids.length; i++) {
            if (i == 0 || ids[i] != ids[i - 1]) {
                i2[n] = ids[i];
                o2[n++] = offsets[i];
            }
        }
        return new long[][] {i2, o2};
    }

    /** What the record pass collects. */
    final class Records implements HprofVisitor {
        /** Where a sequential pass puts the objects' ids and offsets, until {@link #addAll} moves them to {@link #parts}. */
        HeapPart heap;
        /** The objects' ids and offsets, in parts in file order: the record pass's parts, or {@link #heap}. */
        List<HeapPart> parts;
        final Long2LongOpenHashMap utf8 = new Long2LongOpenHashMap();
        final Long2LongOpenHashMap classNameIds = new Long2LongOpenHashMap();
        final Int2LongOpenHashMap classIdOfSerial = new Int2LongOpenHashMap();
        final List<ClassDump> classDumps = new ArrayList<>();
        final GcRoots.Collector roots = new GcRoots.Collector();
        final Long2ObjectOpenHashMap<long[]> frames = new Long2ObjectOpenHashMap<>();
        final Int2ObjectOpenHashMap<long[]> traces = new Int2ObjectOpenHashMap<>();
        final Int2IntOpenHashMap traceOfThread = new Int2IntOpenHashMap();
        final Long2LongOpenHashMap threadIdOfSerial = new Long2LongOpenHashMap();
        final List<String> warnings = new ArrayList<>();
        int unknownTagWarnings;
        HprofReader.Result result;

        /** @param expectedObjects a guess that spares most of the lists' regrowth */
        Records(int expectedObjects) {
            heap = new HeapPart(expectedObjects);
        }

        /**
         * Takes the heap sub-records of the record pass's parts, in file order: their class dumps and
         * roots are added here, their objects' ids and offsets stay in the parts.
         */
        void addAll(List<HeapPart> heapParts) {
            RootKind[] kinds = RootKind.values();
            for (HeapPart part : heapParts) {
                if (part != heap) {
                    classDumps.addAll(part.classDumps);
                    for (int r = 0; r < part.rootIds.size(); r++) {
                        root(kinds[part.rootKinds.getInt(r)], part.rootIds.getLong(r), part.rootThreads.getInt(r),
                                part.rootExtras.getLong(r), -1);
                    }
                }
            }
            parts = heapParts;
            heap = null;
        }

        @Override
        public void utf8(long id, long textOffset, int length) {
            utf8.put(id, textOffset);
        }

        @Override
        public void loadClass(int classSerial, long classId, int stackTraceSerial, long nameId) {
            classNameIds.put(classId, nameId);
            classIdOfSerial.put(classSerial, classId);
        }

        @Override
        public void stackFrame(long frameId, long methodNameId, long signatureId, long sourceFileId, int classSerial, int line) {
            frames.put(frameId, new long[] {methodNameId, signatureId, sourceFileId, classSerial, line});
        }

        @Override
        public void stackTrace(int serial, int threadSerial, long[] frameIds) {
            traces.put(serial, frameIds);
        }

        @Override
        public void root(RootKind kind, long objectId, int threadSerial, long extra, long recordOffset) {
            roots.add(kind, objectId, threadSerial, extra);
            if (kind == RootKind.THREAD_OBJECT) {
                traceOfThread.put(threadSerial, (int) extra);
                threadIdOfSerial.put(threadSerial, objectId);
            }
        }

        @Override
        public void classDump(ClassDump dump) {
            classDumps.add(dump); // class objects are sorted apart: HotSpot writes them first, in no address order
        }

        @Override
        public void instance(long id, long classId, long recordOffset, long dataOffset, int dataLength) {
            heap.instance(id, classId, recordOffset, dataOffset, dataLength);
        }

        @Override
        public void objectArray(long id, long arrayClassId, long recordOffset, long elementsOffset, int length) {
            heap.objectArray(id, arrayClassId, recordOffset, elementsOffset, length);
        }

        @Override
        public void primitiveArray(long id, BasicType type, long recordOffset, long elementsOffset, int length) {
            heap.primitiveArray(id, type, recordOffset, elementsOffset, length);
        }

        @Override
        public void otherRecord(RecordTag tag, long offset, long length) {
            warnings.add("skipped " + tag.label() + " record at byte " + offset + " (" + length + " bytes)");
        }

        @Override
        public void warning(long offset, String message) {
            if (++unknownTagWarnings <= 20) {
                warnings.add("at byte " + offset + ": " + message);
            }
        }

        String utf8(long id) {
            if (!utf8.containsKey(id)) {
                return null;
            }
            long text = utf8.get(id);
            long length = buf.u4(text - idSize - 4) - idSize;
            return ModifiedUtf8.decode(buf, text, (int) length);
        }

        String className(long classId) {
            if (!classNameIds.containsKey(classId)) {
                return null;
            }
            String internal = utf8(classNameIds.get(classId));
            return internal == null ? null : ClassNames.toJava(internal);
        }

        StackTraces stackTraces(IdIndex index) {
            Long2ObjectOpenHashMap<StackTraces.Frame> named = new Long2ObjectOpenHashMap<>(frames.size());
            for (Long2ObjectOpenHashMap.Entry<long[]> e : frames.long2ObjectEntrySet()) {
                long[] f = e.getValue();
                int serial = (int) f[3];
                String cls = classIdOfSerial.containsKey(serial) ? className(classIdOfSerial.get(serial)) : null;
                named.put(e.getLongKey(), new StackTraces.Frame(cls, orQ(utf8(f[0])), orQ(utf8(f[1])), utf8(f[2]), (int) f[4]));
            }
            Int2IntOpenHashMap threadObjects = new Int2IntOpenHashMap();
            for (Long2LongOpenHashMap.Entry e : threadIdOfSerial.long2LongEntrySet()) {
                int obj = index.indexOf(e.getLongValue());
                if (obj >= 0) {
                    threadObjects.put((int) e.getLongKey(), obj);
                }
            }
            return new StackTraces(named, traces, traceOfThread, threadObjects);
        }

        private String orQ(String s) {
            return s == null ? "?" : s;
        }
    }

    /** Builds the class table and VM sizes, once per class. */
    private final class ClassTableBuilder {
        private final Records records;
        private final IdIndex index;
        private final OffsetArray offsets;
        /** The layout sizes follow: the given one, with the JDK release read from the dump if it was not given. */
        VmLayout vm;
        FieldLayoutModel model;

        ClassTableBuilder(Records records, VmLayout vm, IdIndex index, OffsetArray offsets) {
            this.records = records;
            this.vm = vm;
            this.index = index;
            this.offsets = offsets;
        }

        ClassTable build() {
            List<ClassTable.Entry> entries = new ArrayList<>(records.classDumps.size() + 16);
            List<ClassDump> dumps = new ArrayList<>(records.classDumps.size());
            Long2IntOpenHashMap byId = new Long2IntOpenHashMap();
            byId.defaultReturnValue(-1);
            for (ClassDump d : records.classDumps) {
                if (byId.containsKey(d.classId())) {
                    continue; // a duplicate class dump: its object was already reported as a duplicate id
                }
                ClassTable.Entry e = new ClassTable.Entry();
                e.id = d.classId();
                String name = records.className(d.classId());
                e.name = name != null ? name : String.format("unknown class 0x%x", d.classId());
                e.loaderId = d.loaderId();
                e.signersId = d.signersId();
                e.protectionDomainId = d.protectionDomainId();
                e.statics = statics(d);
                e.declaredFields = fields(d, entries.size());
                BasicType element = ClassNames.primitiveArrayElement(e.name);
                if (element != null) {
                    e.kind = ClassKind.PRIMITIVE_ARRAY;
                    e.elementType = element;
                } else if (e.name.endsWith("[]")) {
                    e.kind = ClassKind.OBJECT_ARRAY;
                    e.elementType = BasicType.OBJECT;
                }
                byId.put(e.id, entries.size());
                entries.add(e);
                dumps.add(d);
            }
            int missingSupers = 0;
            String firstMissing = null;
            for (int c = 0; c < entries.size(); c++) {
                ClassDump d = dumps.get(c);
                int s = d.superId() == 0 ? -1 : byId.get(d.superId());
                if (d.superId() != 0 && s < 0) {
                    String problem = String.format("class %s names superclass id 0x%x, which has no CLASS DUMP", entries.get(c).name, d.superId());
                    if (!lenient) {
                        throw new HprofFormatException(file.path(), d.recordOffset(), "HEAP DUMP / CLASS DUMP", problem);
                    }
                    if (missingSupers++ == 0) {
                        firstMissing = problem + " (at byte " + d.recordOffset() + ")";
                    }
                }
                entries.get(c).superIndex = s;
            }
            if (missingSupers > 0) {
                records.warnings.add("lenient: " + missingSupers + " classes are read without their superclass's fields, which have no "
                        + "CLASS DUMP; the first: " + firstMissing);
            }
            checkAcyclic(entries, dumps);
            int javaLangClass = findOrSynthesize(entries, "java.lang.Class", ClassKind.INSTANCE, null);
            for (BasicType t : BasicType.values()) {
                if (t != BasicType.OBJECT) {
                    findOrSynthesize(entries, t.javaName() + "[]", ClassKind.PRIMITIVE_ARRAY, t);
                }
            }
            findOrSynthesize(entries, "java.lang.Object[]", ClassKind.OBJECT_ARRAY, BasicType.OBJECT);
            if (lenient) {
                findOrSynthesize(entries, UNKNOWN_CLASS, ClassKind.INSTANCE, null);
            }
            for (ClassTable.Entry e : entries) {
                e.classObjectIndex = e.synthetic ? -1 : index.indexOf(e.id);
            }
            computeDumpOffsets(entries);
            if (vm.javaFeature() == 0) {
                int feature = new JdkRelease(entries).feature();
                if (feature > 0) {
                    try {
                        vm = vm.withJavaFeature(feature);
                    } catch (IllegalArgumentException e) {
                        records.warnings.add("the dump is of JDK " + feature + ", which cannot have " + vm + ": " + e.getMessage());
                    }
                }
            }
            model = new FieldLayoutModel(vm);
            computeSizes(entries, javaLangClass);
            return new ClassTable(entries.toArray(new ClassTable.Entry[0]), javaLangClass, idSize);
        }

        private List<StaticFieldInfo> statics(ClassDump d) {
            List<StaticFieldInfo> out = new ArrayList<>(d.staticFields().size());
            for (ClassDump.StaticField f : d.staticFields()) {
                out.add(new StaticFieldInfo(name(f.nameId()), f.type(), f.value()));
            }
            return List.copyOf(out);
        }

        private List<FieldInfo> fields(ClassDump d, int classIndex) {
            List<FieldInfo> out = new ArrayList<>(d.instanceFields().size());
            int offset = 0;
            for (ClassDump.FieldDecl f : d.instanceFields()) {
                out.add(new FieldInfo(name(f.nameId()), f.type(), classIndex, offset));
                offset += f.type().sizeInDump(idSize);
            }
            return List.copyOf(out);
        }

        private String name(long nameId) {
            String s = records.utf8(nameId);
            return s != null ? s : String.format("field@0x%x", nameId);
        }

        /**
         * Rejects a superclass chain that loops. Each class is walked once: a walk stops at a class an
         * earlier walk finished, so a deep hierarchy costs its size, not its size squared.
         */
        private void checkAcyclic(List<ClassTable.Entry> entries, List<ClassDump> dumps) {
            byte[] state = new byte[entries.size()]; // 0 not seen, 1 on this walk, 2 done
            int[] walk = new int[entries.size()];
            for (int c = 0; c < entries.size(); c++) {
                int n = 0;
                int k = c;
                while (k >= 0 && state[k] == 0) {
                    state[k] = 1;
                    walk[n++] = k;
                    k = entries.get(k).superIndex;
                }
                if (k >= 0 && state[k] == 1) {
                    throw new HprofFormatException(file.path(), dumps.get(c).recordOffset(),
                            "HEAP DUMP / CLASS DUMP", "the superclass chain of " + entries.get(c).name + " is a cycle");
                }
                for (int i = 0; i < n; i++) {
                    state[walk[i]] = 2;
                }
            }
        }

        private int findOrSynthesize(List<ClassTable.Entry> entries, String name, ClassKind kind, BasicType element) {
            for (int c = 0; c < entries.size(); c++) {
                if (entries.get(c).name.equals(name)) {
                    return c;
                }
            }
            ClassTable.Entry e = new ClassTable.Entry();
            e.name = name;
            e.kind = kind;
            e.elementType = element;
            e.synthetic = true;
            e.id = -(entries.size() + 1);
            entries.add(e);
            return entries.size() - 1;
        }

        /**
         * Instance data holds the class's own fields first, then its superclass's, and so on. Each
         * class is computed once from its superclass's result (superclasses first), so a deep
         * hierarchy costs its size, not its size times its depth.
         */
        private void computeDumpOffsets(List<ClassTable.Entry> entries) {
            int n = entries.size();
            int[][] refs = new int[n][];       // reference offsets in dump order, before the referent moves first
            long[] bytes = new long[n];
            int[] referent = new int[n];       // offset of java.lang.ref.Reference.referent, or -1
            int[] chain = new int[n];
            for (int c = 0; c < n; c++) {
                int depth = 0;
                for (int k = c; k >= 0 && refs[k] == null; k = entries.get(k).superIndex) {
                    chain[depth++] = k; // acyclic: checked before
                }
                for (int i = depth - 1; i >= 0; i--) {
                    int k = chain[i];
                    ClassTable.Entry e = entries.get(k);
                    int s = e.superIndex;
                    int own = 0;
                    int ownRefs = 0;
                    int ownReferent = -1;
                    boolean reference = e.name.equals("java.lang.ref.Reference");
                    for (FieldInfo f : e.declaredFields) {
                        if (f.type() == BasicType.OBJECT) {
                            ownRefs++;
                            if (reference && ownReferent < 0 && f.name().equals("referent")) {
                                ownReferent = own;
                            }
                        }
                        own += f.type().sizeInDump(idSize);
                    }
                    int[] inherited = s < 0 ? new int[0] : refs[s];
                    int[] r = new int[ownRefs + inherited.length];
                    int count = 0;
                    int offset = 0;
                    for (FieldInfo f : e.declaredFields) {
                        if (f.type() == BasicType.OBJECT) {
                            r[count++] = offset;
                        }
                        offset += f.type().sizeInDump(idSize);
                    }
                    for (int inheritedOffset : inherited) {
                        r[count++] = own + inheritedOffset;
                    }
                    refs[k] = r;
                    bytes[k] = own + (s < 0 ? 0 : bytes[s]);
                    referent[k] = ownReferent >= 0 ? ownReferent : s >= 0 && referent[s] >= 0 ? own + referent[s] : -1;
                }
            }
            for (int c = 0; c < n; c++) {
                ClassTable.Entry e = entries.get(c);
                e.dumpInstanceBytes = (int) Math.min(Integer.MAX_VALUE, bytes[c]); // a hostile hierarchy cannot overflow it
                e.referenceOffsets = refs[c].clone();
                if (referent[c] >= 0) {
                    // java.lang.ref.Reference.referent goes first, so analyses can tell it from strong edges
                    int at = java.util.Arrays.binarySearch(e.referenceOffsets, referent[c]);
                    System.arraycopy(e.referenceOffsets, 0, e.referenceOffsets, 1, at);
                    e.referenceOffsets[0] = referent[c];
                    e.referentFirst = true;
                }
            }
        }

        private void computeSizes(List<ClassTable.Entry> entries, int javaLangClass) {
            ClassLayout[] layouts = new ClassLayout[entries.size()];
            ClassLayout classLayout = layoutOf(entries, layouts, javaLangClass);
            for (int c = 0; c < entries.size(); c++) {
                ClassTable.Entry e = entries.get(c);
                if (e.kind == ClassKind.INSTANCE) {
                    ClassLayout l = layoutOf(entries, layouts, c);
                    e.instanceSize = l.instanceSize();
                    if (!l.isSizeFixed()) {
                        e.variableLayout = l;
                        e.sizeFieldOffset = fieldOffset(entries, c, null, "size", BasicType.INT);
                    }
                }
                e.classObjectSize = model.mirrorSize(classLayout, e.name, mirrorStaticTypes(e.statics));
            }
        }

        /**
         * The types of the static fields the mirror really holds. HotSpot's dumper adds pseudo-statics
         * that live elsewhere: {@code <resolved_references>} (the constant pool's array, held by
         * metadata) and {@code <init_lock>} (an injected instance field of {@code java.lang.Class},
         * already in its layout). They are references for the graph but not bytes of the mirror.
         */
        private BasicType[] mirrorStaticTypes(List<StaticFieldInfo> statics) {
            List<BasicType> types = new ArrayList<>(statics.size());
            for (StaticFieldInfo f : statics) {
                if (!f.name().startsWith("<")) {
                    types.add(f.type());
                }
            }
            return types.toArray(new BasicType[0]);
        }

        /**
         * Offset in an instance's dump data of the most derived field {@code name} of {@code type},
         * declared by {@code declaringClass} if that is given; -1 if there is none.
         */
        private int fieldOffset(List<ClassTable.Entry> entries, int c, String declaringClass, String name, BasicType type) {
            int offset = 0;
            for (int k = c; k >= 0; k = entries.get(k).superIndex) {
                boolean declarer = declaringClass == null || entries.get(k).name.equals(declaringClass);
                for (FieldInfo f : entries.get(k).declaredFields) {
                    if (declarer && f.name().equals(name) && f.type() == type) {
                        return offset;
                    }
                    offset += f.type().sizeInDump(idSize);
                }
            }
            return -1;
        }

        /**
         * The JDK release of the dumped VM, which some layout rules depend on: the constant
         * {@code java.lang.VersionProps.java_version} (JDK 9+, always loaded), or 8 when
         * {@code String} has no {@code coder}. Reads a few bytes; any inconsistency means "unknown".
         */
        private final class JdkRelease {
            private final List<ClassTable.Entry> entries;

            JdkRelease(List<ClassTable.Entry> entries) {
                this.entries = entries;
            }

            int feature() {
                int string = find("java.lang.String");
                if (string < 0) {
                    return 0;
                }
                if (fieldOffset(entries, string, null, "coder", BasicType.BYTE) < 0
                        && fieldOffset(entries, string, null, "value", BasicType.OBJECT) >= 0) {
                    return 8;
                }
                int props = find("java.lang.VersionProps");
                if (props < 0) {
                    return 0;
                }
                for (StaticFieldInfo f : entries.get(props).statics) {
                    if (f.name().equals("java_version") && f.type() == BasicType.OBJECT) {
                        return parse(latin1String(f.value(), string));
                    }
                }
                return 0;
            }

            private int find(String name) {
                for (int c = 0; c < entries.size(); c++) {
                    if (entries.get(c).name.equals(name)) {
                        return c;
                    }
                }
                return -1;
            }

            private String latin1String(long id, int stringClass) {
                int obj = index.indexOf(id);
                int valueAt = fieldOffset(entries, stringClass, null, "value", BasicType.OBJECT);
                if (obj < 0 || valueAt < 0 || buf.u1(offsets.get(obj)) != HeapTag.INSTANCE_DUMP.tag()) {
                    return null;
                }
                long data = offsets.get(obj) + 1 + 2L * idSize + 8;
                int array = index.indexOf(buf.id(data + valueAt, idSize));
                if (array < 0 || buf.u1(offsets.get(array)) != HeapTag.PRIM_ARRAY_DUMP.tag()) {
                    return null;
                }
                long rec = offsets.get(array);
                long length = buf.u4(rec + 1 + idSize + 4);
                if (length > 64 || buf.u1(rec + 1 + idSize + 8) != BasicType.BYTE.tag()) {
                    return null;
                }
                return new String(buf.bytes(rec + 1 + idSize + 9, (int) length), java.nio.charset.StandardCharsets.ISO_8859_1);
            }

            private int parse(String version) {
                if (version == null) {
                    return 0;
                }
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(?:1\\.)?(\\d+)").matcher(version);
                return m.find() ? Integer.parseInt(m.group(1)) : 0;
            }
        }

        /** Layouts need their superclass's first; walk the chain without recursion. */
        private ClassLayout layoutOf(List<ClassTable.Entry> entries, ClassLayout[] layouts, int c) {
            if (layouts[c] != null) {
                return layouts[c];
            }
            List<Integer> chain = new ArrayList<>();
            for (int k = c; k >= 0 && layouts[k] == null; k = entries.get(k).superIndex) {
                chain.add(k);
            }
            Collections.reverse(chain);
            for (int k : chain) {
                ClassTable.Entry e = entries.get(k);
                ClassLayout superLayout = e.superIndex < 0 ? null : layouts[e.superIndex];
                BasicType[] types = new BasicType[e.declaredFields.size()];
                for (int i = 0; i < types.length; i++) {
                    types[i] = e.declaredFields.get(i).type();
                }
                layouts[k] = model.instanceLayout(e.name, superLayout, types);
            }
            return layouts[c];
        }
    }

    static final String UNKNOWN_CLASS = "<unknown class>";

    /** Visits objects in index order and fills classes, sizes and CSR edges, in parallel ranges. */
    private final class EdgePass {
        /** A range's first chunk of edge targets; each next one doubles, up to {@link #MAX_CHUNK}. */
        private static final int FIRST_CHUNK = 1 << 16;
        /**
         * The largest chunk: an int array of exactly 4 MiB with its header, so that it fills one G1
         * region of 4 MiB (a heap of 6 GB or so) or two of 2 MiB; a chunk of 2^20 ints took two 4 MiB
         * regions, and a range's last chunk is mostly empty.
         */
        private static final int MAX_CHUNK = (1 << 20) - 4;

        final OffsetArray offsets;
        final IdIndex index;
        final ClassTable classes;
        final VmLayout vm;
        final FieldLayoutModel model;
        final int[] classOf;
        final int[] shallowWords;
        final long[] referentEdges;
        /** Kept narrow as they are written (their total is not known yet), made whole at the end: see {@link OffsetArray}. */
        OffsetArray edgeOffsets;
        /** Bit per object: a class object, whose CLASS DUMP record lies apart from the instances. */
        final long[] classObjects;
        int[][] targets;
        long dangling;
        long lengthMismatches;
        long unknownClasses;
        private final int[] primitiveArrayClass = new int[12];
        private final int objectArrayClass;
        private final int unknownClass;

        EdgePass(OffsetArray offsets, IdIndex index, ClassTable classes, VmLayout vm, FieldLayoutModel model) {
            this.model = model;
            this.offsets = offsets;
            this.index = index;
            this.classes = classes;
            this.vm = vm;
            int n = offsets.size();
            this.classOf = new int[n];
            this.shallowWords = new int[n];
            this.referentEdges = new long[(n + 63) >>> 6];
            this.edgeOffsets = OffsetArray.forValuesBelow(n + 1, OffsetArray.NARROW_LIMIT);
            this.classObjects = new long[(n + 63) >>> 6];
            for (int c = 0; c < classes.size(); c++) {
                int obj = classes.classObjectIndex(c);
                if (obj >= 0) {
                    classObjects[obj >>> 6] |= 1L << obj;
                }
            }
            for (BasicType t : BasicType.values()) {
                if (t != BasicType.OBJECT) {
                    primitiveArrayClass[t.tag()] = classes.find(t.javaName() + "[]");
                }
            }
            objectArrayClass = classes.find("java.lang.Object[]");
            unknownClass = classes.find(UNKNOWN_CLASS);
        }

        void run() {
            int n = offsets.size();
            int rangeCount = Math.max(1, Math.min(n / 4096 + 1, threads * 8));
            Range[] ranges = new Range[rangeCount];
            for (int r = 0; r < rangeCount; r++) {
                ranges[r] = new Range((int) ((long) n * r / rangeCount), (int) ((long) n * (r + 1) / rangeCount));
            }
            AtomicInteger next = new AtomicInteger();
            AtomicBoolean failed = new AtomicBoolean(); // one worker's failure stops the others at their next range
            Parallel.run("heaplens-edges", Math.min(threads, rangeCount), worker -> {
                try {
                    HprofWindow window = file.window(windowBytes);
                    for (int r; !failed.get() && (r = next.getAndIncrement()) < rangeCount; ) {
                        ranges[r].run(window);
                    }
                } catch (RuntimeException | Error e) {
                    failed.set(true);
                    throw e;
                }
            });
            long total = 0;
            for (Range range : ranges) {
                for (int i = range.from; total != 0 && i < range.to; i++) { // the first range's offsets are already whole
                    edgeOffsets.set(i, edgeOffsets.get(i) + total);
                }
                total += range.count;
                dangling += range.dangling;
                lengthMismatches += range.mismatches;
                unknownClasses += range.unknownClasses;
            }
            edgeOffsets.set(n, total);
            edgeOffsets = edgeOffsets.nonDecreasingUpTo(total);
            targets = concatenate(ranges, total);
        }

        private int[][] concatenate(Range[] ranges, long total) {
            int segments = (int) ((total + ObjectGraph.SEGMENT_MASK) >>> ObjectGraph.SEGMENT_BITS);
            int[][] out = new int[Math.max(segments, 1)][];
            for (int s = 0; s < out.length; s++) {
                long size = Math.min(1L << ObjectGraph.SEGMENT_BITS, total - ((long) s << ObjectGraph.SEGMENT_BITS));
                out[s] = new int[(int) Math.max(size, 0)];
            }
            long pos = 0;
            for (Range range : ranges) {
                for (int c = 0; c < range.chunkCount; c++) {
                    int[] chunk = range.chunks[c];
                    int len = c == range.chunkCount - 1 ? range.used : chunk.length;
                    int done = 0;
                    while (done < len) {
                        int seg = (int) (pos >>> ObjectGraph.SEGMENT_BITS);
                        int off = (int) (pos & ObjectGraph.SEGMENT_MASK);
                        int m = Math.min(len - done, out[seg].length - off);
                        System.arraycopy(chunk, done, out[seg], off, m);
                        done += m;
                        pos += m;
                    }
                    range.chunks[c] = null;
                }
            }
            return out;
        }

        /** One contiguous range of object indices and the edges it produced. */
        private final class Range {
            final int from;
            final int to;
            int[][] chunks = new int[4][];
            int chunkCount;
            /** The last chunk and how much of it is filled; every chunk before it is full. */
            int[] current = new int[0];
            int used;
            long count;
            long dangling;
            long mismatches;
            /** Lenient: instances and object arrays read as of an unknown class (or as Object[]), their class missing or of another kind. */
            long unknownClasses;

            Range(int from, int to) {
                this.from = from;
                this.to = to;
            }

            private void add(long targetId) {
                if (targetId == 0) {
                    return;
                }
                int t = index.indexOf(targetId);
                if (t < 0) {
                    dangling++;
                    return;
                }
                if (used == current.length) {
                    if (chunkCount == chunks.length) {
                        chunks = java.util.Arrays.copyOf(chunks, chunkCount * 2);
                    }
                    current = new int[current.length == 0 ? FIRST_CHUNK : (int) Math.min(MAX_CHUNK, 2L * current.length)];
                    chunks[chunkCount++] = current;
                    used = 0;
                }
                current[used++] = t;
                count++;
            }

            /**
             * Instances and arrays are read through {@code in}, in file order; class dumps, which lie
             * elsewhere in the file, through the map (only their tag: the class table has the rest).
             */
            void run(HprofWindow in) {
                final int id = idSize;
                int lastClass = -1;
                long lastClassId = 0;
                boolean lastClassLost = false;
                for (int i = from; i < to; i++) {
                    edgeOffsets.set(i, count);
                    long rec = offsets.get(i);
                    int tag;
                    if ((classObjects[i >>> 6] & (1L << i)) != 0) {
                        tag = buf.u1(rec);
                    } else {
                        in.record(rec);
                        tag = in.u1(rec);
                    }
                    long p = rec + 1;
                    long size;
                    if (tag == HeapTag.INSTANCE_DUMP.tag()) {
                        long classId = in.id(p + id + 4, id);
                        if (classId != lastClassId || lastClass < 0) {
                            lastClass = classOfId(classId, rec, "INSTANCE DUMP");
                            lastClassLost = lastClass < 0;
                            if (lastClassLost) {
                                lastClass = unknownClass;
                            } else if (classes.kind(lastClass) != ClassKind.INSTANCE) {
                                lastClass = wrongKind(rec, "INSTANCE DUMP", lastClass, unknownClass);
                                lastClassLost = true;
                            }
                            lastClassId = classId;
                        }
                        if (lastClassLost) {
                            unknownClasses++; // lenient: counted for the warning
                        }
                        int c = lastClass;
                        long length = in.u4(p + 2L * id + 4);
                        long data = p + 2L * id + 8;
                        int[] refs = classes.referenceOffsets(c);
                        if (length != classes.dumpInstanceBytes(c)) {
                            mismatch(rec, c, length);
                        }
                        for (int r = 0; r < refs.length; r++) {
                            if (refs[r] + id <= length) {
                                long before = count;
                                add(in.id(data + refs[r], id));
                                if (r == 0 && count > before && classes.entry(c).referentFirst) {
                                    markReferent(i);
                                }
                            }
                        }
                        classOf[i] = c;
                        size = classes.instanceSize(c);
                        ClassTable.Entry variable = classes.entry(c);
                        if (variable.variableLayout != null && variable.sizeFieldOffset >= 0 && variable.sizeFieldOffset + 4 <= length) {
                            // a stack chunk: its size follows its 'size' field (words of stack)
                            size = model.stackChunkSize(variable.variableLayout, Math.max(0, in.i4(data + variable.sizeFieldOffset)));
                        }
                    } else if (tag == HeapTag.OBJ_ARRAY_DUMP.tag()) {
                        long length = in.u4(p + id + 4);
                        long classId = in.id(p + id + 8, id);
                        int c = classes.indexOfId(classId);
                        if (c < 0) {
                            c = objectArrayClass;
                        } else if (classes.kind(c) != ClassKind.OBJECT_ARRAY) {
                            c = wrongKind(rec, "OBJ ARRAY DUMP", c, objectArrayClass);
                            unknownClasses++;
                        }
                        long elements = p + 2L * id + 8;
                        for (long e = 0; e < length; e++) {
                            add(in.id(elements + e * id, id));
                        }
                        classOf[i] = c;
                        size = vm.arraySize(BasicType.OBJECT, length);
                    } else if (tag == HeapTag.PRIM_ARRAY_DUMP.tag()) {
                        long length = in.u4(p + id + 4);
                        BasicType type = BasicType.ofTag(in.u1(p + id + 8));
                        classOf[i] = primitiveArrayClass[type.tag()];
                        size = vm.arraySize(type, length);
                    } else {
                        // CLASS DUMP: the class object references its superclass, loader, signers, domain and statics
                        int c = classes.indexOfId(index.idOf(i));
                        ClassTable.Entry e = classes.entry(c);
                        if (e.superIndex >= 0) {
                            add(classes.classId(e.superIndex));
                        }
                        add(e.loaderId);
                        add(e.signersId);
                        add(e.protectionDomainId);
                        for (StaticFieldInfo f : e.statics) {
                            if (f.type() == BasicType.OBJECT) {
                                add(f.value());
                            }
                        }
                        classOf[i] = classes.javaLangClass();
                        size = e.classObjectSize;
                    }
                    shallowWords[i] = (int) (size >>> 3);
                }
            }

            private void markReferent(int obj) {
                // ranges are disjoint but may share a word at their borders
                synchronized (referentEdges) {
                    referentEdges[obj >>> 6] |= 1L << obj;
                }
            }

            private int classOfId(long classId, long rec, String record) {
                int c = classes.indexOfId(classId);
                if (c >= 0) {
                    return c;
                }
                if (!lenient) {
                    throw new HprofFormatException(file.path(), rec, "HEAP DUMP / " + record,
                            String.format("class id 0x%x has no CLASS DUMP", classId));
                }
                return -1;
            }

            /**
             * A record whose class is of another kind (an instance of an array class, an object array of
             * an instance class) would be read with the wrong layout: strict mode rejects it, lenient
             * mode gives it {@code instead} and counts it.
             */
            private int wrongKind(long rec, String record, int c, int instead) {
                if (!lenient) {
                    throw new HprofFormatException(file.path(), rec, "HEAP DUMP / " + record,
                            "names class " + classes.name(c) + ", which is " + switch (classes.kind(c)) {
                                case INSTANCE -> "not an array class";
                                case OBJECT_ARRAY -> "an object array class";
                                case PRIMITIVE_ARRAY -> "a primitive array class";
                            });
                }
                return instead;
            }

            private void mismatch(long rec, int c, long length) {
                if (!lenient) {
                    throw new HprofFormatException(file.path(), rec, "HEAP DUMP / INSTANCE DUMP",
                            "has " + length + " bytes of field data but class " + classes.name(c) + " declares "
                                    + classes.dumpInstanceBytes(c));
                }
                mismatches++;
            }
        }
    }
}

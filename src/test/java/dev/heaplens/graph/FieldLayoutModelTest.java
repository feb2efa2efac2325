package dev.heaplens.graph;

import dev.heaplens.hprof.BasicType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.management.ObjectName;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Exchanger;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks {@link FieldLayoutModel} against the JVM itself.
 *
 * <p>The oracle test starts a child JVM per flag set (JDK 17 and JDK 25, compressed and uncompressed
 * oops, compact headers, 16-byte alignment), which loads and instantiates some thousand JDK classes
 * and the tricky classes below, takes {@code GC.class_histogram} through the DiagnosticCommand MBean,
 * and reports every loaded class's fields as reflection sees them. The test then asserts, with the
 * model fed those field types:
 * <ul>
 *   <li>for every instance class in the histogram: bytes == instances * modelled instance size;</li>
 *   <li>for {@code java.lang.Class}: bytes == the sum of modelled mirror sizes over all loaded classes
 *       (an agent's {@code Instrumentation.getAllLoadedClasses()}, plus the nine primitive mirrors);</li>
 *   <li>for arrays: sizes of arrays of known lengths, including primitive arrays by histogram delta;</li>
 *   <li>that the {@code @Contended} table matches the annotations reflection finds on loaded JDK classes;</li>
 *   <li>on one configuration per JDK: that an HPROF dump lists exactly the reflected fields (no injected
 *       ones), in which order, and which pseudo static fields it adds.</li>
 * </ul>
 * The only exception is {@code jdk.internal.vm.StackChunk} (variable size), see
 * {@link ClassLayout#isSizeFixed()}.
 */
class FieldLayoutModelTest {

    static final Path JDK17 = Path.of(System.getProperty("java.home"));
    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    // ------------------------------------------------------------------------------------------
    // Classes with awkward layouts, instantiated in the child JVMs.
    // ------------------------------------------------------------------------------------------

    @SuppressWarnings("unused")
    static class MixA { long l; byte b; Object r; }

    @SuppressWarnings("unused")
    static class MixB extends MixA { int i; boolean z; short s; }

    @SuppressWarnings("unused")
    static class MixC extends MixB { byte b2; Object r2; long l2; char c; float f; }

    @SuppressWarnings("unused")
    static class Bools { boolean a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q; }

    @SuppressWarnings("unused")
    static class BoolsSub extends Bools { long x; byte y; Object z; }

    @SuppressWarnings("unused")
    static class Hole1 { byte b; }

    @SuppressWarnings("unused")
    static class Hole2 extends Hole1 { short s; int i; long l; }

    @SuppressWarnings("unused")
    static class Hole3 extends Hole2 { byte b; char c; float f; double d; Object o; boolean z; }

    @SuppressWarnings("unused")
    static class Hole4 extends Hole3 { int i2; short s2; byte b3; }

    @SuppressWarnings("unused")
    static class OnlyRefs { Object a, b, c; }

    @SuppressWarnings("unused")
    static class OnlyRefsSub extends OnlyRefs { int x; byte y; }

    static class Empty { }

    @SuppressWarnings("unused")
    static class EmptySub extends Empty { byte b; }

    @SuppressWarnings("unused")
    static class EmptySubSub extends EmptySub { long l; int i; }

    @SuppressWarnings("unused")
    static class Longs { long a, b, c; }

    @SuppressWarnings("unused")
    static class LongsSub extends Longs { byte x; long y; short z; }

    @SuppressWarnings("unused")
    static class D0 { int a; }

    @SuppressWarnings("unused")
    static class D1 extends D0 { long b; }

    @SuppressWarnings("unused")
    static class D2 extends D1 { byte c; }

    @SuppressWarnings("unused")
    static class D3 extends D2 { Object d; }

    @SuppressWarnings("unused")
    static class D4 extends D3 { short e; byte f; }

    @SuppressWarnings("unused")
    static class D5 extends D4 { long g; int h; boolean i; }

    @SuppressWarnings("unused")
    static class D6 extends D5 { double j; char k; Object l; }

    @SuppressWarnings("unused")
    static class D7 extends D6 { byte m, n, o; }

    @SuppressWarnings("unused")
    static class MyThread extends Thread { int x; }

    @SuppressWarnings("unused")
    static class MyThreadSub extends MyThread { long y; byte z; }

    static class EmptyThread extends Thread { }

    @SuppressWarnings({"unused", "serial"})
    static class MyException extends RuntimeException { int code; }

    @SuppressWarnings("unused")
    static class MyLoader extends ClassLoader { Object x; byte y; }

    @SuppressWarnings("unused")
    static class MyCallSite extends MutableCallSite {
        int extra;

        MyCallSite() {
            super(MethodType.methodType(void.class));
        }
    }

    @SuppressWarnings("unused")
    static class MyWeak extends WeakReference<Object> {
        int x;

        MyWeak() {
            super(null);
        }
    }

    @SuppressWarnings({"unused", "serial"})
    static class MyAdder extends LongAdder { byte b; }

    @SuppressWarnings("unused")
    static class MyPool extends ForkJoinPool { int x; }

    @SuppressWarnings("unused")
    static class ManyStatics {
        static Object a;
        static long b;
        static byte c;
        static int d;
        static Object e;
        static short f;
        static double g;
        static boolean h;
        static Object i;
        int instance;
    }

    @SuppressWarnings("unused")
    static class OddStatics {
        static Object a;
        static long b;
    }

    @SuppressWarnings("unused")
    static class ByteStatics {
        static byte a;
        static byte b;
        static byte c;
    }

    @SuppressWarnings("unused")
    interface Constants {
        int A = 1;
        long B = 2;
        String C = "c";
    }

    record Rec(int a, long b, Object c, byte d) { }

    enum Color { RED, GREEN; @SuppressWarnings("unused") int shade; }

    /** Element type of the object arrays whose sizes the oracle checks: no other code makes arrays of it. */
    static final class ArrayElem { }


    // ------------------------------------------------------------------------------------------
    // Small cases worked out by hand from HotSpot's rules (the oracle test covers the rest).
    // ------------------------------------------------------------------------------------------

    private static BasicType[] t(BasicType... types) {
        return types;
    }

    @Test
    void handWorkedCompressedLayouts() {
        FieldLayoutModel m = new FieldLayoutModel(VmLayout.compressed());
        ClassLayout object = m.instanceLayout("java.lang.Object", null, t());
        assertEquals(16, object.instanceSize());
        assertEquals(12, object.fieldsEnd());
        // Integer: the int fills the 4 bytes after the 12-byte header.
        assertEquals(16, m.instanceLayout("java.lang.Integer", object, t(BasicType.INT)).instanceSize());
        // Long: the long cannot start at 12; it goes to 16, leaving 12..16 empty.
        ClassLayout longBox = m.instanceLayout("java.lang.Long", object, t(BasicType.LONG));
        assertEquals(24, longBox.instanceSize());
        // A subclass's int fills the superclass's gap at 12 instead of growing the object.
        assertEquals(24, m.instanceLayout("x.Sub", longBox, t(BasicType.INT)).instanceSize());
        // long, byte, ref: long at 16, byte at 12, ref at 24 -> 28 -> 32.
        assertEquals(32, m.instanceLayout("x.MixA", null, t(BasicType.LONG, BasicType.BYTE, BasicType.OBJECT)).instanceSize());
    }

    @Test
    void handWorkedUncompressedLayouts() {
        FieldLayoutModel m = new FieldLayoutModel(VmLayout.uncompressedOops());
        // 8-byte references cannot use the 4 bytes after the 12-byte header: 16, 24, 32 -> 40.
        ClassLayout refs = m.instanceLayout("x.OnlyRefs", null, t(BasicType.OBJECT, BasicType.OBJECT, BasicType.OBJECT));
        assertEquals(40, refs.instanceSize());
        // A subclass's int goes into that hole at 12.
        assertEquals(40, m.instanceLayout("x.Sub", refs, t(BasicType.INT)).instanceSize());
    }

    @Test
    void contendedPaddingAndItsInheritance() {
        FieldLayoutModel m = new FieldLayoutModel(VmLayout.compressed().withJavaFeature(17));
        ClassLayout object = m.instanceLayout("java.lang.Object", null, t());
        // A @Contended class: 128 bytes of padding from offset 12, the long aligned to 144, 128 more: 280.
        ClassLayout cell = m.instanceLayout("java.util.concurrent.atomic.Striped64$Cell", object, t(BasicType.LONG));
        assertEquals(280, cell.instanceSize());
        assertTrue(cell.hasContendedAnnotations());
        // The same fields in an ordinary class: 24.
        assertEquals(24, m.instanceLayout("x.NotACell", object, t(BasicType.LONG)).instanceSize());
        // Subclasses of a contended class start 128 bytes after its last field, even without fields.
        ClassLayout sub = m.instanceLayout("x.CellSub", cell, t());
        assertEquals(280, sub.instanceSize());
        assertEquals(152 + 128 + 8, m.instanceLayout("x.CellSub2", sub, t(BasicType.BYTE)).instanceSize());
    }

    @Test
    void contendedGroupsAreMatchedByTypeAndVersion() {
        FieldLayoutModel jdk17 = new FieldLayoutModel(VmLayout.compressed().withJavaFeature(17));
        FieldLayoutModel jdk25 = new FieldLayoutModel(VmLayout.compressed().withJavaFeature(25));
        ClassLayout object = jdk17.instanceLayout("java.lang.Object", null, t());
        BasicType[] fields = t(BasicType.LONG, BasicType.INT, BasicType.INT, BasicType.OBJECT);
        // JDK 17 pads Thread's thread-local-random group; JDK 25 does not (and injects 15 bytes of fields).
        int withGroup = jdk17.instanceLayout("java.lang.Thread", object, fields).instanceSize();
        int withoutGroup = jdk17.instanceLayout("x.NotThread", object, fields).instanceSize();
        assertTrue(withGroup >= withoutGroup + 2 * 128, withGroup + " vs " + withoutGroup);
        assertTrue(jdk25.instanceLayout("java.lang.Thread", object, fields).instanceSize() < 128);
        // A class that lacks the group's types (another build) is laid out without the annotation.
        assertEquals(16, jdk17.instanceLayout("java.lang.Thread", object, t(BasicType.INT)).instanceSize());
    }

    @Test
    void mirrorStaticsAreAppendedNotFitted() {
        FieldLayoutModel m = new FieldLayoutModel(VmLayout.compressed());
        ClassLayout object = m.instanceLayout("java.lang.Object", null, t());
        // java.lang.Class with only the newest JDK's injected fields (long, long, int, int, ref, ref):
        // int at 12, longs at 16 and 24, int at 32, refs at 36 and 40 -> 44 -> 48.
        ClassLayout klass = m.instanceLayout("java.lang.Class", object, t());
        assertEquals(48, klass.instanceSize());
        assertEquals(48, m.mirrorSize(klass, "int[]", t()));
        // ref at 48, long at 56 (the 4 bytes at 52 stay empty), int at 64 -> 68 -> 72.
        assertEquals(72, m.mirrorSize(klass, "x.S", t(BasicType.INT, BasicType.LONG, BasicType.OBJECT)));
        assertEquals(56, m.mirrorSize(klass, "x.B", t(BasicType.BYTE, BasicType.BYTE, BasicType.BYTE)));
    }

    // ------------------------------------------------------------------------------------------
    // The oracle: child JVMs and their class histograms.
    // ------------------------------------------------------------------------------------------

    /**
     * Flag sets to check: label, JDK, flags, the layout the child must report, whether to check a heap
     * dump too, and whether CDS maps its archived heap (default CDS archive, compatible flags), which
     * leaves archived mirrors nobody loaded in the histogram (see {@link #matchesTheJvmsClassHistogram}).
     */
    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of("JDK 17 +UseCompressedOops", JDK17, List.<String>of(),
                        new VmLayout(true, true, false, 8, 17), true, true),
                Arguments.of("JDK 17 -Xshare:off", JDK17, List.of("-Xshare:off"),
                        new VmLayout(true, true, false, 8, 17), false, false),
                Arguments.of("JDK 17 -UseCompressedOops", JDK17, List.of("-XX:-UseCompressedOops"),
                        new VmLayout(false, true, false, 8, 17), false, false),
                Arguments.of("JDK 17 -UseCompressedOops -UseCompressedClassPointers", JDK17,
                        List.of("-XX:-UseCompressedOops", "-XX:-UseCompressedClassPointers"),
                        new VmLayout(false, false, false, 8, 17), false, false),
                Arguments.of("JDK 17 ObjectAlignmentInBytes=16", JDK17, List.of("-XX:ObjectAlignmentInBytes=16"),
                        new VmLayout(true, true, false, 16, 17), false, false),
                Arguments.of("JDK 25 defaults", JDK25, List.<String>of(),
                        new VmLayout(true, true, false, 8, 25), true, true),
                Arguments.of("JDK 25 -Xshare:off", JDK25, List.of("-Xshare:off"),
                        new VmLayout(true, true, false, 8, 25), false, false),
                Arguments.of("JDK 25 +UseCompactObjectHeaders", JDK25, List.of("-XX:+UseCompactObjectHeaders"),
                        new VmLayout(true, true, true, 8, 25), true, true),
                Arguments.of("JDK 25 -UseCompressedOops", JDK25, List.of("-XX:-UseCompressedOops"),
                        new VmLayout(false, true, false, 8, 25), false, true),
                Arguments.of("JDK 25 -UseCompressedOops -UseCompressedClassPointers", JDK25,
                        List.of("-XX:-UseCompressedOops", "-XX:-UseCompressedClassPointers"),
                        new VmLayout(false, false, false, 8, 25), false, false),
                Arguments.of("JDK 25 +UseCompactObjectHeaders -UseCompressedOops", JDK25,
                        List.of("-XX:+UseCompactObjectHeaders", "-XX:-UseCompressedOops"),
                        new VmLayout(false, true, true, 8, 25), false, true),
                Arguments.of("JDK 25 +UseCompactObjectHeaders -Xshare:off", JDK25,
                        List.of("-XX:+UseCompactObjectHeaders", "-Xshare:off"),
                        new VmLayout(true, true, true, 8, 25), false, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void matchesTheJvmsClassHistogram(String label, Path javaHome, List<String> flags, VmLayout expected, boolean dump,
                                      boolean archivedHeap) throws Exception {
        Path java = javaHome.resolve("bin/java");
        Assumptions.assumeTrue(Files.isExecutable(java), "skipped: no JDK at " + javaHome + " for " + label);

        ProbeReport r = runProbe(java, flags, dump);
        assertEquals(expected, r.vm, "VmLayout.ofCurrentJvm() in the child");

        FieldLayoutModel model = new FieldLayoutModel(r.vm);
        Map<Integer, ClassLayout> layouts = new HashMap<>();
        ProbeClass javaLangClass = r.uniqueByName("java.lang.Class");
        assertNotNull(javaLangClass, "java.lang.Class in the loaded classes");
        ClassLayout classLayout = layout(model, r, javaLangClass.index, layouts);

        List<String> mismatches = new ArrayList<>();
        List<String> exceptions = new ArrayList<>();
        int checkedClasses = 0;
        long checkedObjects = 0;

        // 1. Every instance class in the histogram: bytes == count * modelled size.
        for (HistLine h : r.histogram.get("final")) {
            if (h.name.startsWith("[") || h.name.equals("java.lang.Class")) {
                continue;
            }
            List<ProbeClass> candidates = r.byName.getOrDefault(h.name, List.of());
            if (candidates.size() != 1) {
                mismatches.add(h.name + ": " + candidates.size() + " loaded classes of that name");
                continue;
            }
            ClassLayout l = layout(model, r, candidates.get(0).index, layouts);
            if (!l.isSizeFixed()) {
                // Stack chunks: sized by their own 'size' field, which the probe reports per chunk.
                assertEquals("jdk.internal.vm.StackChunk", h.name);
                long expect = 0;
                for (long words : r.stackChunks) {
                    expect += model.stackChunkSize(l, words);
                }
                if (h.count != r.stackChunks.size() || h.bytes != expect) {
                    mismatches.add(String.format("%s: %d chunks, %d bytes; model %d chunks, %d bytes", h.name, h.count,
                            h.bytes, r.stackChunks.size(), expect));
                }
                exceptions.add(h.count + " stack chunks sized from their 'size' fields");
                continue;
            }
            checkedClasses++;
            checkedObjects += h.count;
            if (h.bytes != h.count * l.instanceSize()) {
                mismatches.add(String.format("%s: %d instances, %d bytes = %.2f each, model %d (%s)", h.name, h.count,
                        h.bytes, (double) h.bytes / h.count, l.instanceSize(), l));
            }
        }

        // 2. Allocated classes are all in the histogram.
        Map<String, HistLine> finalByName = new HashMap<>();
        r.histogram.get("final").forEach(h -> finalByName.merge(h.name, h, (a, b) -> a));
        for (Map.Entry<String, Integer> a : r.allocated.entrySet()) {
            HistLine h = finalByName.get(a.getKey());
            if (h == null || h.count < a.getValue()) {
                mismatches.add(a.getKey() + ": allocated " + a.getValue() + ", histogram " + (h == null ? "none" : h.count));
            }
        }
        for (Class<?> c : Probe.TRICKY) {
            if (!c.isInterface() && !r.allocated.containsKey(c.getName())) {
                mismatches.add(c.getName() + " was not allocated in the child");
            }
        }

        // 3. java.lang.Class: the sum of all mirrors.
        long mirrors = 0;
        long mirrorBytes = 0;
        for (ProbeClass c : r.classes) {
            mirrors++;
            mirrorBytes += model.mirrorSize(classLayout, c.name, c.staticTypes);
        }
        long plain = r.arrayClasses + 9L; // array classes and the primitive types have no statics
        mirrors += plain;
        mirrorBytes += plain * classLayout.instanceSize();
        HistLine classLine = finalByName.get("java.lang.Class");
        assertNotNull(classLine);
        HistLine beforeArchive = r.line("cds-unloaded", "java.lang.Class");
        long extraMirrors = classLine.count - mirrors;
        long extraBytes = classLine.bytes - mirrorBytes;
        if (archivedHeap) {
            // Documented exception: CDS's archived heap holds mirrors for archived classes; those
            // whose classes were never loaded (about 40 even after loading every class in
            // lib/classlist) are counted by the histogram, but neither JVMTI nor the heap dumper
            // knows them. They are whole mirrors, so each is at least a java.lang.Class instance.
            if (extraMirrors < 0 || extraMirrors > 200 || extraBytes < extraMirrors * classLayout.instanceSize()) {
                mismatches.add(String.format("java.lang.Class: histogram %d mirrors, %d bytes; model %d mirrors, %d bytes"
                        + " plus up to 200 unclaimed archived mirrors", classLine.count, classLine.bytes, mirrors, mirrorBytes));
            }
        } else if (extraMirrors != 0 || extraBytes != 0) {
            mismatches.add(String.format("java.lang.Class: histogram %d mirrors, %d bytes; model %d mirrors, %d bytes",
                    classLine.count, classLine.bytes, mirrors, mirrorBytes));
        }

        // 4. Arrays of known lengths.
        for (ArrayCheck a : r.arrays) {
            long expect = 0;
            for (int len : a.lengths) {
                expect += r.vm.arraySize(a.element, len);
            }
            long count = a.lengths.length;
            if (a.delta) {
                HistLine before = r.line("before", a.histName);
                HistLine after = r.line("after", a.histName);
                long dc = after.count - (before == null ? 0 : before.count);
                long db = after.bytes - (before == null ? 0 : before.bytes);
                if (dc != count || db != expect) {
                    mismatches.add(String.format("%s: histogram grew by %d arrays, %d bytes; allocated %d, model %d bytes",
                            a.histName, dc, db, count, expect));
                }
            } else {
                HistLine h = finalByName.get(a.histName);
                if (h == null || h.count != count || h.bytes != expect) {
                    mismatches.add(a.histName + ": histogram " + (h == null ? "none" : h.count + " arrays, " + h.bytes
                            + " bytes") + "; model " + count + " arrays, " + expect + " bytes");
                }
            }
        }

        // 5. The @Contended table against the annotations of the loaded JDK classes.
        for (ProbeClass c : r.classes) {
            if (!c.jdk) {
                continue;
            }
            JdkLayoutQuirks.Contended table = JdkLayoutQuirks.contended(c.name, r.vm.javaFeature());
            String tableText = table == null ? "" : describe(table.wholeClass(), table.groups());
            String found = r.contended.getOrDefault(c.name, "");
            if (!tableText.equals(found)) {
                mismatches.add("@Contended of " + c.name + ": table '" + tableText + "', class '" + found + "'");
            }
        }
        for (String name : r.contended.keySet()) {
            if (r.uniqueByName(name) == null) {
                mismatches.add("@Contended class " + name + " is not among the loaded classes");
            }
        }

        // 6. The heap dump lists the fields reflection sees, none injected.
        String dumpSummary = "";
        if (dump) {
            dumpSummary = checkDump(r, mismatches);
        }

        System.out.printf("%s: %d instance classes (%d objects) exact; %d mirrors %s (archived mirrors of unloaded"
                        + " classes: %d before loading lib/classlist, %d after); %d array checks; %d classes loaded%s%s%n",
                label, checkedClasses, checkedObjects, mirrors, extraMirrors == 0 && extraBytes == 0 ? "exact" : "modelled",
                beforeArchive.count - (r.classesBeforeArchive + r.arrayClassesBeforeArchive + 9), extraMirrors,
                r.arrays.size(), r.classes.size(), dumpSummary,
                exceptions.isEmpty() ? "" : "; " + String.join(", ", exceptions));
        if (!mismatches.isEmpty()) {
            fail(label + ": " + mismatches.size() + " mismatches:\n  " + String.join("\n  ", mismatches));
        }
        assertTrue(checkedClasses > 500, "too few classes checked: " + checkedClasses);
        // Passed: the child's files are of no further use (a failure leaves them in target/ to look at).
        try (Stream<Path> files = Files.walk(r.work)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static String describe(boolean wholeClass, List<List<BasicType>> groups) {
        if (!wholeClass && groups.isEmpty()) {
            return "";
        }
        List<String> g = new ArrayList<>();
        for (List<BasicType> group : groups) {
            char[] chars = new char[group.size()];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = group.get(i).descriptorChar();
            }
            Arrays.sort(chars);
            g.add(new String(chars));
        }
        g.sort(null);
        return (wholeClass ? "class" : "fields") + g;
    }

    private static ClassLayout layout(FieldLayoutModel model, ProbeReport r, int index, Map<Integer, ClassLayout> memo) {
        ClassLayout l = memo.get(index);
        if (l != null) {
            return l;
        }
        ProbeClass c = r.byIndex.get(index);
        ClassLayout sup = c.superIndex < 0 ? null : layout(model, r, c.superIndex, memo);
        l = model.instanceLayout(c.name, sup, c.instanceTypes);
        memo.put(index, l);
        return l;
    }

    // ------------------------------------------------------------------------------------------
    // Running the child and reading its report.
    // ------------------------------------------------------------------------------------------

    record HistLine(long count, long bytes, String name) { }

    record ArrayCheck(String histName, BasicType element, int[] lengths, boolean delta) { }

    static final class ProbeClass {
        int index;
        int superIndex;
        String name;
        boolean jdk;
        BasicType[] instanceTypes;
        BasicType[] staticTypes;
        String instanceOrder;
        String staticOrder;
    }

    static final class ProbeReport {
        VmLayout vm;
        final List<ProbeClass> classes = new ArrayList<>();
        final Map<Integer, ProbeClass> byIndex = new HashMap<>();
        final Map<String, List<ProbeClass>> byName = new HashMap<>();
        final Map<String, List<HistLine>> histogram = new HashMap<>();
        final Map<String, Integer> allocated = new TreeMap<>();
        final Map<String, String> contended = new TreeMap<>();
        final List<ArrayCheck> arrays = new ArrayList<>();
        final List<Long> stackChunks = new ArrayList<>();
        long arrayClasses;
        long classesBeforeArchive;
        long arrayClassesBeforeArchive;
        Path dump;
        Path work;

        ProbeClass uniqueByName(String name) {
            List<ProbeClass> l = byName.get(name);
            return l != null && l.size() == 1 ? l.get(0) : null;
        }

        HistLine line(String tag, String name) {
            for (HistLine h : histogram.getOrDefault(tag, List.of())) {
                if (h.name.equals(name)) {
                    return h;
                }
            }
            return null;
        }
    }

    private static ProbeReport runProbe(Path java, List<String> flags, boolean dump) throws Exception {
        Path classes = Path.of(Probe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path mainClasses = Path.of(VmLayout.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path work = Files.createTempDirectory(classes.getParent(), "layout-probe");
        Path agent = work.resolve("probe-agent.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Agent-Class"), Probe.class.getName());
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(agent), manifest)) {
            // the agent class itself comes from the class path
        }
        Path out = work.resolve("probe.txt");
        Path hprof = work.resolve("probe.hprof");
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(flags);
        cmd.addAll(List.of("-Xmx512m", "-XX:+UseG1GC", "-Xlog:disable", "-Xlog:all=error:stderr",
                // The agent is attached at run time, and opens what the probe reflects on itself: both
                // -javaagent and --add-opens/--add-exports disable CDS's archived module graph, which
                // leaves archived objects (mirrors among them) in the heap, unused but counted.
                "-Djdk.attach.allowAttachSelf=true", "-cp", classes + File.pathSeparator + mainClasses,
                Probe.class.getName(), agent.toString(), out.toString()));
        if (dump) {
            cmd.add(hprof.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("child.log").toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("probe timed out: " + cmd);
        }
        String log = Files.readString(work.resolve("child.log"));
        assertEquals(0, p.exitValue(), "probe failed: " + cmd + "\n" + log);
        ProbeReport r = parseReport(Files.readAllLines(out, StandardCharsets.UTF_8));
        r.dump = dump ? hprof : null;
        r.work = work;
        return r;
    }

    private static BasicType[] types(String s) {
        if (s.equals("-")) {
            return new BasicType[0];
        }
        BasicType[] out = new BasicType[s.length()];
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            for (BasicType t : BasicType.values()) {
                if (t.descriptorChar() == c) {
                    out[i] = t;
                }
            }
            assertNotNull(out[i], s);
        }
        return out;
    }

    private static ProbeReport parseReport(List<String> lines) {
        ProbeReport r = new ProbeReport();
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "VM" -> r.vm = new VmLayout(Boolean.parseBoolean(f[1]), Boolean.parseBoolean(f[2]),
                        Boolean.parseBoolean(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5]));
                case "C" -> {
                    ProbeClass c = new ProbeClass();
                    c.index = Integer.parseInt(f[1]);
                    c.superIndex = Integer.parseInt(f[2]);
                    c.name = f[3];
                    c.jdk = f[4].equals("jdk");
                    c.instanceOrder = f[5];
                    c.staticOrder = f[6];
                    c.instanceTypes = types(f[5]);
                    c.staticTypes = types(f[6]);
                    r.classes.add(c);
                    r.byIndex.put(c.index, c);
                    r.byName.computeIfAbsent(c.name, k -> new ArrayList<>()).add(c);
                }
                case "ERR" -> fail("probe could not read " + line);
                case "ARRAYCLASSES" -> r.arrayClasses = Long.parseLong(f[1]);
                case "PRE" -> {
                    r.classesBeforeArchive = Long.parseLong(f[1]);
                    r.arrayClassesBeforeArchive = Long.parseLong(f[2]);
                }
                case "A" -> r.allocated.put(f[1], Integer.parseInt(f[2]));
                case "K" -> r.contended.put(f[1], f[2]);
                case "SC" -> r.stackChunks.add(Long.parseLong(f[1]));
                case "H" -> r.histogram.computeIfAbsent(f[1], k -> new ArrayList<>())
                        .add(new HistLine(Long.parseLong(f[2]), Long.parseLong(f[3]), f[4]));
                case "ARR" -> r.arrays.add(new ArrayCheck(f[1], types(f[2])[0],
                        Arrays.stream(f[3].split(",")).mapToInt(Integer::parseInt).toArray(), f[4].equals("delta")));
                default -> fail("unexpected probe line: " + line);
            }
        }
        assertNotNull(r.vm, "probe report has no VM line");
        return r;
    }

    // ------------------------------------------------------------------------------------------
    // The HPROF side: what the dump says about fields.
    // ------------------------------------------------------------------------------------------

    /**
     * Compares each class's CLASS DUMP with reflection: the same instance field types (JDK 17 lists
     * them last to first; JDK 21+ first to last), no injected fields, and the same statics apart from
     * pseudo-fields named {@code <...>}.
     */
    private static String checkDump(ProbeReport r, List<String> mismatches) throws IOException {
        Map<String, List<DumpClass>> dumped = readClassDumps(r.dump);
        boolean reversed = r.vm.javaFeature() < 21;
        int compared = 0;
        int pseudo = 0;
        Map<String, Integer> pseudoNames = new TreeMap<>();
        for (ProbeClass c : r.classes) {
            List<DumpClass> d = dumped.get(c.name);
            if (d == null || d.size() != 1 || r.byName.get(c.name).size() != 1) {
                continue; // not in the dump (e.g. unloaded since) or ambiguous
            }
            DumpClass dc = d.get(0);
            String expectFields = order(c.instanceOrder, reversed);
            String expectStatics = order(c.staticOrder, reversed);
            StringBuilder statics = new StringBuilder();
            for (int i = 0; i < dc.staticTypes.length(); i++) {
                if (dc.staticNames.get(i).startsWith("<")) {
                    pseudo++;
                    pseudoNames.merge(dc.staticNames.get(i), 1, Integer::sum);
                } else {
                    statics.append(dc.staticTypes.charAt(i));
                }
            }
            if (!dc.fieldTypes.equals(expectFields) || !statics.toString().equals(expectStatics)) {
                mismatches.add("CLASS DUMP of " + c.name + ": fields " + dc.fieldTypes + " statics " + statics
                        + ", reflection (" + (reversed ? "reversed" : "in order") + ") " + expectFields + " / " + expectStatics);
            }
            compared++;
        }
        if (compared < 500) {
            mismatches.add("only " + compared + " classes compared with the heap dump");
        }
        Files.deleteIfExists(r.dump);
        return String.format("; dump: %d class dumps match reflection (%s), %d pseudo statics %s", compared,
                reversed ? "fields last to first" : "fields in declaration order", pseudo, pseudoNames);
    }

    private static String order(String types, boolean reversed) {
        String s = types.equals("-") ? "" : types;
        return reversed ? new StringBuilder(s).reverse().toString() : s;
    }

    record DumpClass(String fieldTypes, String staticTypes, List<String> staticNames) { }

    /** A minimal HPROF reader: strings, LOAD CLASS names and CLASS DUMP field lists, nothing else. */
    private static Map<String, List<DumpClass>> readClassDumps(Path file) throws IOException {
        Map<Long, String> strings = new HashMap<>();
        Map<Long, Long> classNames = new HashMap<>();
        Map<Long, DumpClass> dumps = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            while (in.readByte() != 0) {
                // format name, "JAVA PROFILE 1.0.2"
            }
            int idSize = in.readInt();
            in.readLong();
            while (true) {
                int tag;
                try {
                    tag = in.readUnsignedByte();
                } catch (EOFException e) {
                    break;
                }
                in.readInt();
                long length = Integer.toUnsignedLong(in.readInt());
                if (tag == 0x01) {
                    long id = readId(in, idSize);
                    byte[] b = new byte[(int) length - idSize];
                    in.readFully(b);
                    strings.put(id, new String(b, StandardCharsets.UTF_8));
                } else if (tag == 0x02) {
                    in.readInt();
                    long classId = readId(in, idSize);
                    in.readInt();
                    classNames.put(classId, readId(in, idSize));
                } else if (tag == 0x0C || tag == 0x1C) {
                    readHeapDump(in, length, idSize, dumps);
                } else {
                    skip(in, length);
                }
            }
        }
        Map<String, List<DumpClass>> byName = new HashMap<>();
        for (Map.Entry<Long, DumpClass> e : dumps.entrySet()) {
            Long nameId = classNames.get(e.getKey());
            String internal = nameId == null ? null : strings.get(nameId);
            if (internal == null || internal.startsWith("[")) {
                continue;
            }
            String name = internal.replace('/', '.');
            int plus = name.lastIndexOf("+0x");
            if (plus >= 0) {
                name = name.substring(0, plus) + "/" + name.substring(plus + 1); // hidden class, as getName() shows it
            }
            DumpClass d = e.getValue();
            List<String> names = new ArrayList<>();
            for (String id : d.staticNames) {
                names.add(strings.getOrDefault(Long.parseLong(id), "?"));
            }
            byName.computeIfAbsent(name, k -> new ArrayList<>()).add(new DumpClass(d.fieldTypes, d.staticTypes, names));
        }
        return byName;
    }

    private static void readHeapDump(DataInputStream in, long length, int idSize, Map<Long, DumpClass> dumps) throws IOException {
        long end = length;
        CountingInput c = new CountingInput(in);
        while (c.read < end) {
            int sub = c.u1();
            switch (sub) {
                case 0xFF, 0x05, 0x07 -> c.skip(idSize);
                case 0x01 -> c.skip(2L * idSize);
                case 0x02, 0x03, 0x08 -> c.skip(idSize + 8L);
                case 0x04, 0x06 -> c.skip(idSize + 4L);
                case 0x20 -> {
                    long classId = c.id(idSize);
                    c.skip(4 + 6L * idSize + 4);
                    int cp = c.u2();
                    for (int i = 0; i < cp; i++) {
                        c.skip(2);
                        c.skip(valueSize(c.u1(), idSize));
                    }
                    int statics = c.u2();
                    StringBuilder staticTypes = new StringBuilder();
                    List<String> staticNames = new ArrayList<>();
                    for (int i = 0; i < statics; i++) {
                        staticNames.add(Long.toString(c.id(idSize)));
                        int type = c.u1();
                        staticTypes.append(BasicType.ofTag(type).descriptorChar());
                        c.skip(valueSize(type, idSize));
                    }
                    int fields = c.u2();
                    StringBuilder fieldTypes = new StringBuilder();
                    for (int i = 0; i < fields; i++) {
                        c.skip(idSize);
                        fieldTypes.append(BasicType.ofTag(c.u1()).descriptorChar());
                    }
                    dumps.put(classId, new DumpClass(fieldTypes.toString(), staticTypes.toString(), staticNames));
                }
                case 0x21 -> {
                    c.skip(2L * idSize + 4);
                    c.skip(c.u4());
                }
                case 0x22 -> {
                    c.skip(idSize + 4L);
                    long n = c.u4();
                    c.skip(idSize + n * idSize);
                }
                case 0x23 -> {
                    c.skip(idSize + 4L);
                    long n = c.u4();
                    c.skip(n * valueSize(c.u1(), idSize));
                }
                default -> throw new IOException("unknown heap dump sub-record 0x" + Integer.toHexString(sub));
            }
        }
    }

    private static int valueSize(int tag, int idSize) {
        return BasicType.ofTag(tag).sizeInDump(idSize);
    }

    private static long readId(DataInputStream in, int idSize) throws IOException {
        return idSize == 4 ? Integer.toUnsignedLong(in.readInt()) : in.readLong();
    }

    private static void skip(InputStream in, long n) throws IOException {
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new EOFException();
                }
                s = 1;
            }
            n -= s;
        }
    }

    /** Reads a heap dump segment while counting its bytes. */
    private static final class CountingInput {
        final DataInputStream in;
        long read;

        CountingInput(DataInputStream in) {
            this.in = in;
        }

        int u1() throws IOException {
            read += 1;
            return in.readUnsignedByte();
        }

        int u2() throws IOException {
            read += 2;
            return in.readUnsignedShort();
        }

        long u4() throws IOException {
            read += 4;
            return Integer.toUnsignedLong(in.readInt());
        }

        long id(int idSize) throws IOException {
            read += idSize;
            return readId(in, idSize);
        }

        void skip(long n) throws IOException {
            read += n;
            FieldLayoutModelTest.skip(in, n);
        }
    }

    // ------------------------------------------------------------------------------------------
    // The child JVM.
    // ------------------------------------------------------------------------------------------

    /**
     * Runs in the child JVM (as its main class and, for {@code getAllLoadedClasses}, as its agent):
     * instantiates classes, takes class histograms and writes what it saw. Uses nothing from JUnit.
     */
    public static final class Probe {
        private static volatile Instrumentation instrumentation;
        /** The classes above, instantiated in every child. */
        static final Class<?>[] TRICKY = {
                MixA.class, MixB.class, MixC.class, Bools.class, BoolsSub.class, Hole1.class, Hole2.class, Hole3.class,
                Hole4.class, OnlyRefs.class, OnlyRefsSub.class, Empty.class, EmptySub.class, EmptySubSub.class,
                Longs.class, LongsSub.class, D0.class, D1.class, D2.class, D3.class, D4.class, D5.class, D6.class, D7.class,
                MyThread.class, MyThreadSub.class, EmptyThread.class, MyException.class, MyLoader.class, MyCallSite.class,
                MyWeak.class, MyAdder.class, MyPool.class, ManyStatics.class, OddStatics.class, ByteStatics.class,
                Rec.class, Color.class, ArrayElem.class, Constants.class,
        };

        /** Everything allocated stays reachable until the end. */
        private static final List<Object> KEEP = new ArrayList<>();

        private static final String[] PACKAGES = {
                "java/lang", "java/lang/invoke", "java/lang/ref", "java/lang/reflect", "java/lang/module",
                "java/util", "java/util/concurrent", "java/util/concurrent/atomic", "java/util/concurrent/locks",
                "java/util/regex", "java/util/stream", "java/util/zip", "java/util/jar", "java/io", "java/math",
                "java/net", "java/nio", "java/nio/charset", "java/text", "java/time", "java/time/chrono",
                "java/time/format", "java/time/temporal", "jdk/internal/misc", "jdk/internal/ref",
                "jdk/internal/reflect", "jdk/internal/util", "sun/nio/cs", "sun/util/calendar",
        };

        /** Classes allocateInstance must not touch: mirrors cannot be made, stack chunks are sized by the VM. */
        private static final List<String> SKIP = List.of("java.lang.Class", "jdk.internal.vm.StackChunk");

        /** Contended classes of JDK 17 and 25, loaded explicitly in case nothing else does. */
        private static final List<String> CONTENDED = List.of("java.util.concurrent.atomic.Striped64$Cell",
                "java.util.concurrent.ConcurrentHashMap$CounterCell", "java.util.concurrent.Exchanger$Node",
                "java.util.concurrent.Exchanger$Slot", "java.util.concurrent.ForkJoinPool",
                "java.util.concurrent.ForkJoinPool$WorkQueue", "java.util.concurrent.SubmissionPublisher$BufferedSubscription",
                "java.lang.Thread", "java.lang.VirtualThread", "java.lang.StackFrameInfo", "java.lang.InternalError",
                "java.lang.invoke.MethodHandleNatives$CallSiteContext", "java.lang.invoke.ResolvedMethodName");

        public static void agentmain(String args, Instrumentation inst) {
            instrumentation = inst;
        }

        public static void main(String[] args) throws Throwable {
            com.sun.tools.attach.VirtualMachine self =
                    com.sun.tools.attach.VirtualMachine.attach(Long.toString(ProcessHandle.current().pid()));
            self.loadAgent(args[0]);
            self.detach();
            Module me = Probe.class.getModule();
            instrumentation.redefineModule(Object.class.getModule(), Set.of(),
                    Map.of("jdk.internal.vm.annotation", Set.of(me)),
                    Map.of("java.lang", Set.of(me), "jdk.internal.vm", Set.of(me)), Set.of(), Map.of());
            Path out = Path.of(args[1]);
            Path dump = args.length > 2 ? Path.of(args[2]) : null;
            Object unsafe = unsafe();
            Method allocate = unsafe.getClass().getMethod("allocateInstance", Class.class);
            Map<String, Integer> allocated = new TreeMap<>();

            exerciseTheJdk();
            parkVirtualThreads();
            List<String> names = jdkClassNames();
            names.addAll(CONTENDED);
            for (Class<?> c : TRICKY) {
                names.add(c.getName());
            }
            int i = 0;
            for (String name : names) {
                if (SKIP.contains(name) || allocated.containsKey(name)) {
                    continue;
                }
                Class<?> c;
                try {
                    c = Class.forName(name, false, ClassLoader.getSystemClassLoader());
                } catch (Throwable e) {
                    continue;
                }
                if (c.isInterface() || Modifier.isAbstract(c.getModifiers()) || c.isArray() || c.isPrimitive()) {
                    continue;
                }
                int n = 1 + (i++ % 3);
                try {
                    for (int k = 0; k < n; k++) {
                        KEEP.add(allocate.invoke(unsafe, c));
                    }
                    allocated.put(c.getName(), n);
                } catch (Throwable e) {
                    // no instances of this one (its initializer failed, or allocateInstance refuses it)
                }
            }

            // Object arrays whose only instances are ours: sizes checked directly.
            int[] objLengths = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 100, 1001};
            for (int len : objLengths) {
                KEEP.add(new ArrayElem[len]);
            }
            int[] twoD = {0, 1, 3, 6};
            for (int len : twoD) {
                KEEP.add(new ArrayElem[len][]);
            }

            List<String> report = new ArrayList<>();
            report.add("ARR\t" + "[L" + ArrayElem.class.getName() + ";\tL\t" + join(objLengths) + "\tdirect");
            report.add("ARR\t" + "[[L" + ArrayElem.class.getName() + ";\tL\t" + join(twoD) + "\tdirect");

            // Primitive arrays: everybody has them, so compare the histogram before and after.
            // The warm-up runs link every call site the measured section uses (string concatenation
            // sites keep objects once linked).
            System.gc();
            long[] scratch = new long[16];
            arrayTotals(histogram(), new char[]{'B'}, scratch, scratch);
            arrayTotals(histogram(), new char[]{'B'}, scratch, scratch);
            int[] primLengths = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 16, 17, 31, 33, 1000};
            char[] kinds = {'Z', 'B', 'C', 'S', 'I', 'F', 'J', 'D'};
            Object[] prims = new Object[kinds.length * primLengths.length];
            // The histogram text of 'before' must be garbage by the time 'after' is taken, and nothing
            // the probe keeps may be a primitive array allocated in between: extract its numbers into
            // storage allocated beforehand.
            long[] beforeCounts = new long[kinds.length];
            long[] beforeBytes = new long[kinds.length];
            arrayTotals(histogram(), kinds, beforeCounts, beforeBytes);
            int p = 0;
            for (char kind : kinds) {
                for (int len : primLengths) {
                    prims[p++] = switch (kind) {
                        case 'Z' -> new boolean[len];
                        case 'B' -> new byte[len];
                        case 'C' -> new char[len];
                        case 'S' -> new short[len];
                        case 'I' -> new int[len];
                        case 'F' -> new float[len];
                        case 'J' -> new long[len];
                        default -> new double[len];
                    };
                }
            }
            String after = histogram();
            KEEP.add(prims);
            for (char kind : kinds) {
                report.add("ARR\t[" + kind + "\t" + kind + "\t" + join(primLengths) + "\tdelta");
            }
            for (int k = 0; k < kinds.length; k++) {
                report.add("H\tbefore\t" + beforeCounts[k] + "\t" + beforeBytes[k] + "\t[" + kinds[k]);
            }
            addHistogram(report, "after", after, true);

            // With CDS, the archived heap holds mirrors of the archive's classes before they are loaded:
            // the histogram counts them, getAllLoadedClasses() and heap dumps do not. Loading every
            // archived class makes them ordinary mirrors of loaded classes.
            Class<?>[] pre = instrumentation.getAllLoadedClasses();
            addHistogram(report, "cds-unloaded", histogram(), false);
            long preArrays = Arrays.stream(pre).filter(Class::isArray).count();
            report.add("PRE\t" + (pre.length - preArrays) + "\t" + preArrays);
            loadArchivedClasses();
            // All mirrors: the loaded classes must not change between the two listings around the histogram.
            Class<?>[] loaded = null;
            String last = null;
            for (int attempt = 0; attempt < 10; attempt++) {
                loaded = instrumentation.getAllLoadedClasses();
                last = histogram();
                Class<?>[] again = instrumentation.getAllLoadedClasses();
                if (again.length == loaded.length) {
                    break;
                }
                loaded = null;
            }
            if (loaded == null) {
                throw new IllegalStateException("classes kept loading during the histogram");
            }
            addHistogram(report, "final", last, false);

            VmLayout vm = VmLayout.ofCurrentJvm();
            report.add(0, "VM\t" + vm.compressedOops() + "\t" + vm.compressedClassPointers() + "\t"
                    + vm.compactObjectHeaders() + "\t" + vm.objectAlignment() + "\t" + vm.javaFeature());
            allocated.forEach((k, v) -> report.add("A\t" + k + "\t" + v));
            describeClasses(loaded, report);
            describeStackChunks(report);

            Files.write(out, report, StandardCharsets.UTF_8);
            if (dump != null) {
                com.sun.management.HotSpotDiagnosticMXBean bean =
                        ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
                bean.dumpHeap(dump.toString(), true);
            }
            System.exit(0);
        }

        /** Loads the classes of the JDK's default CDS archive, listed in {@code lib/classlist}. */
        private static void loadArchivedClasses() throws IOException {
            Path list = Path.of(System.getProperty("java.home"), "lib", "classlist");
            if (!Files.exists(list)) {
                return;
            }
            for (String line : Files.readAllLines(list)) {
                if (line.isEmpty() || line.startsWith("#") || line.startsWith("@")) {
                    continue;
                }
                String name = line.split("\\s+")[0].replace('/', '.');
                try {
                    KEEP.add(Class.forName(name, false, ClassLoader.getSystemClassLoader()));
                } catch (Throwable e) {
                    // not loadable here; its archived mirror, if any, stays uncounted
                }
            }
        }

        private static String join(int[] a) {
            return Arrays.stream(a).mapToObj(Integer::toString).collect(Collectors.joining(","));
        }

        /** Reads the primitive array lines of a histogram without keeping any object. */
        private static void arrayTotals(String text, char[] kinds, long[] counts, long[] bytes) {
            for (int start = 0; start < text.length(); ) {
                int end = text.indexOf('\n', start);
                if (end < 0) {
                    end = text.length();
                }
                for (int k = 0; k < kinds.length; k++) {
                    // "  12:   345   6789  [B (java.base@17)": the name follows two spaces
                    int name = text.indexOf("  [" + kinds[k], start);
                    if (name >= 0 && name < end && (name + 4 == end || text.charAt(name + 4) == ' ')) {
                        int[] fields = new int[4];
                        int n = 0;
                        for (int i = text.indexOf(':', start) + 1; i < name && n < 4; ) {
                            while (i < name && text.charAt(i) == ' ') {
                                i++;
                            }
                            int j = i;
                            while (j < name && text.charAt(j) != ' ') {
                                j++;
                            }
                            if (j > i) {
                                fields[n++] = i;
                                fields[n++] = j;
                            }
                            i = j;
                        }
                        counts[k] = Long.parseLong(text, fields[0], fields[1], 10);
                        bytes[k] = Long.parseLong(text, fields[2], fields[3], 10);
                    }
                }
                start = end + 1;
            }
        }

        private static void addHistogram(List<String> report, String tag, String text, boolean arraysOnly) {
            for (String line : text.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 4 || !f[0].endsWith(":")) {
                    continue;
                }
                if (arraysOnly && !f[3].startsWith("[")) {
                    continue;
                }
                report.add("H\t" + tag + "\t" + f[1] + "\t" + f[2] + "\t" + f[3]);
            }
        }

        private static final List<Thread> PARKED = new ArrayList<>();

        /** Parks virtual threads at several stack depths, which leaves their frames in stack chunks (JDK 21+). */
        private static void parkVirtualThreads() throws Exception {
            Method ofVirtual;
            try {
                ofVirtual = Thread.class.getMethod("ofVirtual");
            } catch (NoSuchMethodException e) {
                return; // JDK 17
            }
            Object builder = ofVirtual.invoke(null);
            Method unstarted = builder.getClass().getMethod("unstarted", Runnable.class);
            unstarted.setAccessible(true);
            for (int depth : new int[]{1, 5, 20, 60}) {
                Thread t = (Thread) unstarted.invoke(builder, (Runnable) () -> recurseAndPark(depth));
                t.start();
                PARKED.add(t);
            }
            for (Thread t : PARKED) {
                while (t.getState() != Thread.State.WAITING) {
                    Thread.sleep(5);
                }
            }
        }

        private static void recurseAndPark(int depth) {
            if (depth > 0) {
                recurseAndPark(depth - 1);
            } else {
                while (true) {
                    java.util.concurrent.locks.LockSupport.park();
                }
            }
        }

        /** The 'size' field of every stack chunk of the parked virtual threads. */
        private static void describeStackChunks(List<String> report) throws Exception {
            if (PARKED.isEmpty()) {
                return;
            }
            Field cont = Class.forName("java.lang.VirtualThread").getDeclaredField("cont");
            Field tail = Class.forName("jdk.internal.vm.Continuation").getDeclaredField("tail");
            Class<?> chunkClass = Class.forName("jdk.internal.vm.StackChunk");
            Field parent = chunkClass.getDeclaredField("parent");
            Field size = chunkClass.getDeclaredField("size");
            for (Field f : new Field[]{cont, tail, parent, size}) {
                f.setAccessible(true);
            }
            for (Thread t : PARKED) {
                for (Object chunk = tail.get(cont.get(t)); chunk != null; chunk = parent.get(chunk)) {
                    report.add("SC\t" + size.getInt(chunk));
                }
            }
        }

        /** Makes the VM create the objects whose classes get injected fields. */
        private static void exerciseTheJdk() throws Throwable {
            Runnable lambda = () -> { };
            KEEP.add(lambda);
            MethodHandle mh = MethodHandles.lookup().findStatic(Probe.class, "join",
                    MethodType.methodType(String.class, int[].class));
            KEEP.add(mh);
            KEEP.add(mh.invoke(new int[]{1}));
            KEEP.add(StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(s -> s.collect(Collectors.toList())));
            KEEP.add(new MyCallSite());
            KEEP.add(new MutableCallSite(MethodType.methodType(int.class)));
            KEEP.add(new InternalError("kept"));
            KEEP.add(new MyException());
            KEEP.add(new MyLoader());
            LongAdder adder = new LongAdder();
            adder.add(1);
            KEEP.add(adder);
            KEEP.add(new Exchanger<>());
            KEEP.add(ForkJoinPool.commonPool().submit(() -> 42).get());
            try {
                // Virtual threads exist from JDK 21 (preview in 19-20); compiled for 17, so by reflection.
                Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
                Method unstarted = builder.getClass().getMethod("unstarted", Runnable.class);
                unstarted.setAccessible(true);
                KEEP.add(unstarted.invoke(builder, lambda));
            } catch (NoSuchMethodException e) {
                // JDK 17
            }
        }

        private static List<String> jdkClassNames() throws IOException {
            FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
            List<String> names = new ArrayList<>();
            for (String pkg : PACKAGES) {
                Path dir = jrt.getPath("/modules/java.base/" + pkg);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> s = Files.list(dir)) {
                    s.map(Path::toString).filter(n -> n.endsWith(".class") && !n.endsWith("module-info.class")).sorted()
                            .forEach(n -> names.add(n.substring("/modules/java.base/".length(), n.length() - 6).replace('/', '.')));
                }
            }
            return names;
        }

        private static String histogram() throws Exception {
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[]{new String[0]}, new String[]{String[].class.getName()});
        }

        /** One line per loaded instance class, with the field types reflection sees (no injected fields). */
        @SuppressWarnings("unchecked")
        private static void describeClasses(Class<?>[] loaded, List<String> report) throws Exception {
            Method declaredFields = Class.class.getDeclaredMethod("getDeclaredFields0", boolean.class);
            declaredFields.setAccessible(true); // unlike getDeclaredFields(), not filtered (java.lang.Class has fields)
            Class<? extends java.lang.annotation.Annotation> contendedType = (Class<? extends java.lang.annotation.Annotation>)
                    Class.forName("jdk.internal.vm.annotation.Contended");
            Method value = contendedType.getMethod("value");
            Map<Class<?>, Integer> index = new IdentityHashMap<>();
            int arrays = 0;
            for (Class<?> c : loaded) {
                if (c.isArray()) {
                    arrays++;
                } else {
                    index.put(c, index.size());
                }
            }
            report.add("ARRAYCLASSES\t" + arrays);
            ClassLoader platform = ClassLoader.getPlatformClassLoader();
            for (Map.Entry<Class<?>, Integer> e : index.entrySet()) {
                Class<?> c = e.getKey();
                Field[] fields;
                try {
                    fields = (Field[]) declaredFields.invoke(c, false);
                } catch (Throwable t) {
                    report.add("ERR\t" + c.getName() + "\t" + t);
                    continue;
                }
                StringBuilder inst = new StringBuilder();
                StringBuilder stat = new StringBuilder();
                Map<String, StringBuilder> groups = new TreeMap<>();
                for (Field f : fields) {
                    char type = f.getType().isPrimitive() ? descriptor(f.getType()) : 'L';
                    if (Modifier.isStatic(f.getModifiers())) {
                        stat.append(type);
                    } else {
                        inst.append(type);
                        java.lang.annotation.Annotation a = f.getDeclaredAnnotation(contendedType);
                        if (a != null) {
                            String tag = (String) value.invoke(a);
                            // an empty tag puts each field in a group of its own
                            groups.computeIfAbsent(tag.isEmpty() ? "#" + groups.size() : tag, k -> new StringBuilder()).append(type);
                        }
                    }
                }
                Class<?> sup = c.getSuperclass();
                ClassLoader loader = c.getClassLoader();
                boolean jdk = loader == null || loader == platform;
                report.add("C\t" + e.getValue() + "\t" + (sup == null ? -1 : index.get(sup)) + "\t" + c.getName() + "\t"
                        + (jdk ? "jdk" : "app") + "\t" + (inst.length() == 0 ? "-" : inst) + "\t" + (stat.length() == 0 ? "-" : stat));
                boolean wholeClass = jdk && c.getDeclaredAnnotation(contendedType) != null;
                if (jdk && (wholeClass || !groups.isEmpty())) {
                    List<String> g = new ArrayList<>();
                    for (StringBuilder sb : groups.values()) {
                        char[] chars = sb.toString().toCharArray();
                        Arrays.sort(chars);
                        g.add(new String(chars));
                    }
                    g.sort(null);
                    report.add("K\t" + c.getName() + "\t" + (wholeClass ? "class" : "fields") + g);
                }
            }
        }

        private static char descriptor(Class<?> primitive) {
            return switch (primitive.getName()) {
                case "boolean" -> 'Z';
                case "byte" -> 'B';
                case "char" -> 'C';
                case "short" -> 'S';
                case "int" -> 'I';
                case "float" -> 'F';
                case "long" -> 'J';
                case "double" -> 'D';
                default -> throw new IllegalArgumentException(primitive.getName());
            };
        }

        private static Object unsafe() throws Exception {
            Class<?> u = Class.forName("sun.misc.Unsafe");
            Field f = u.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return f.get(null);
        }
    }
}

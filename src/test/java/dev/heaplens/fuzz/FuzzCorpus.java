package dev.heaplens.fuzz;

import dev.heaplens.hprof.HprofWriter;
import dev.heaplens.testing.ChildJvm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;

import static dev.heaplens.hprof.BasicType.BOOLEAN;
import static dev.heaplens.hprof.BasicType.BYTE;
import static dev.heaplens.hprof.BasicType.CHAR;
import static dev.heaplens.hprof.BasicType.DOUBLE;
import static dev.heaplens.hprof.BasicType.FLOAT;
import static dev.heaplens.hprof.BasicType.INT;
import static dev.heaplens.hprof.BasicType.LONG;
import static dev.heaplens.hprof.BasicType.OBJECT;
import static dev.heaplens.hprof.BasicType.SHORT;
import static dev.heaplens.hprof.HprofWriter.fields;
import static dev.heaplens.hprof.HprofWriter.frame;
import static dev.heaplens.hprof.HprofWriter.ref;
import static dev.heaplens.hprof.HprofWriter.value;

/**
 * The dumps the fuzzer mutates: real dumps of {@link FuzzWorkload} written by child JVMs (JDK 17
 * and, where installed, JDK 25; compressed and uncompressed oops; one gzip-compressed by
 * {@code jcmd GC.heap_dump -gz=1}), made once and cached under {@code target/fuzz-corpus}, and
 * {@link HprofWriter} fixtures with 8- and 4-byte ids, which are the same on every machine. Seed
 * files are read, never changed: mutants are copies.
 */
public final class FuzzCorpus {
    /** Where real dumps are cached between runs. */
    public static final Path DIR = Path.of("target", "fuzz-corpus");

    /**
     * One seed dump.
     *
     * @param name  its name in replay lines, e.g. {@code jdk17.hprof}
     * @param bytes the file as stored (gzip for a {@code .gz})
     * @param plain the dump's bytes, decompressed
     * @param gzip  whether {@code bytes} are a gzip stream
     */
    public record Seed(String name, byte[] bytes, byte[] plain, boolean gzip) {
        /** CRC-32 of the stored bytes, to tell whether a replay runs on the same seed file. */
        public long crc() {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            return crc.getValue();
        }

        @Override
        public String toString() {
            return name + " (" + bytes.length + " bytes" + (gzip ? ", gzip of " + plain.length : "") + ")";
        }
    }

    private static List<Seed> all;

    private FuzzCorpus() {
    }

    /** Every seed: the fixtures first, then the real dumps (made now if not cached). */
    public static synchronized List<Seed> seeds() {
        if (all == null) {
            List<Seed> seeds = new ArrayList<>(fixtures());
            seeds.addAll(realDumps());
            all = List.copyOf(seeds);
        }
        return all;
    }

    /** The seed of this name. */
    public static Seed seed(String name) {
        for (Seed s : seeds()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no seed named " + name + "; seeds: " + seeds().stream().map(Seed::name).toList());
    }

    /** The {@link HprofWriter} fixtures: byte for byte the same on every machine, so their findings replay anywhere. */
    public static List<Seed> fixtures() {
        return List.of(
                plain("fixture8.hprof", fixture(8).toBytes()),
                plain("fixture4.hprof", fixture(4).toBytes()),
                // many small segments, so records straddle segment ends and segment lengths abound
                plain("fixture8-segments.hprof", fixture(8).segmentSize(160).toBytes()),
                // HEAP DUMP rather than segments, as JDK 5 and some other VMs write
                plain("fixture4-heapdump.hprof", fixture(4).singleHeapDumpRecord().toBytes()));
    }

    /**
     * A small heap with every record and sub-record kind HotSpot writes: classes three deep with
     * statics of every type, instances, object and primitive arrays of every type, strings, a cycle,
     * a self reference, a weak reference, a class loader, threads with stacks, and every root kind.
     */
    public static HprofWriter fixture(int idSize) {
        HprofWriter w = HprofWriter.create(idSize).timestamp(1_700_000_000_000L)
                .classDump("app.Base", fields("created", LONG, "owner", OBJECT, "flag", BOOLEAN))
                .classDump("app.Session", "app.Base", fields("id", OBJECT, "payload", OBJECT, "peer", OBJECT,
                        "score", DOUBLE, "kind", CHAR))
                .classDump("app.Admin", "app.Session", fields("level", SHORT, "ratio", FLOAT, "rank", INT, "tag", BYTE))
                .classDump("app.Registry")
                .classDump("app.Loader", fields("parent", OBJECT));
        long loader = w.nextObjectId();
        w.instance(loader, "app.Loader", ref(0)).classLoader("app.Admin", loader);
        long sessions = w.nextObjectId();
        List<HprofWriter.Value> elements = new ArrayList<>();
        long previous = 0;
        for (int i = 0; i < 12; i++) {
            long id = w.nextObjectId();
            long name = w.nextObjectId();
            long payload = w.nextObjectId();
            w.string(name, i == 5 ? "séance-" + i : "s-" + i);
            w.primitiveArray(payload, BYTE, new byte[8 + i]);
            if (i % 4 == 3) {
                w.instance(id, "app.Admin", value((short) i), value(1.5f), value(i), value((byte) 1), ref(name), ref(payload),
                        ref(previous), value(0.5), value('a'), value((long) i), ref(sessions), value(true));
            } else {
                w.instance(id, "app.Session", ref(name), ref(payload), ref(previous), value(0.5), value('a'), value((long) i),
                        ref(i == 7 ? id : sessions), value(false)); // session 7 owns itself
            }
            elements.add(ref(id));
            previous = id;
        }
        elements.add(ref(0));
        w.objectArray(sessions, "app.Session[]", elements.toArray(new HprofWriter.Value[0]));
        long weak = w.nextObjectId();
        w.instance(weak, "java.lang.ref.WeakReference", ref(previous), ref(0), ref(0), ref(0));
        long ints = w.nextObjectId();
        w.primitiveArray(ints, INT, new int[] {1, 2, 3});
        w.primitiveArray(w.nextObjectId(), LONG, new long[] {7, 8});
        w.primitiveArray(w.nextObjectId(), SHORT, new short[] {7});
        w.primitiveArray(w.nextObjectId(), CHAR, "chars".toCharArray());
        w.primitiveArray(w.nextObjectId(), FLOAT, new float[] {1f});
        w.primitiveArray(w.nextObjectId(), DOUBLE, new double[] {2.0, 3.0});
        w.primitiveArray(w.nextObjectId(), BOOLEAN, new boolean[] {true, false});
        long matrix = w.nextObjectId();
        w.objectArray(matrix, "java.lang.Object[]", ref(ints), ref(weak), ref(matrix)); // holds itself
        w.staticField("app.Registry", "SESSIONS", ref(sessions))
                .staticField("app.Registry", "COUNT", value(12))
                .staticField("app.Registry", "TOTAL", value(99L))
                .staticField("app.Registry", "ON", value(true))
                .staticField("app.Registry", "B", value((byte) 2))
                .staticField("app.Registry", "C", value('c'))
                .staticField("app.Registry", "S", value((short) 3))
                .staticField("app.Registry", "F", value(1.25f))
                .staticField("app.Registry", "D", value(2.5))
                .staticField("app.Registry", "MATRIX", ref(matrix));
        long local = w.nextObjectId();
        w.instance(local, "app.Session", Map.of("id", ref(0)));
        long main = w.nextObjectId();
        w.thread(main, "main", frame("app.Main", "main", 12).locals(local), frame("app.Main", "run", 3).locals(weak));
        long worker = w.nextObjectId();
        w.thread(worker, "worker", frame("app.Worker", "loop", -3));
        w.stickyClassRoot("app.Registry")
                .stickyClassRoot("java.lang.Object")
                .jniGlobalRoot(loader)
                .jniLocalRoot(ints, main, 0)
                .nativeStackRoot(matrix, worker)
                .threadBlockRoot(local, main)
                .monitorUsedRoot(sessions)
                .unknownRoot(weak);
        return w;
    }

    /** Real dumps: made by child JVMs once, cached under {@link #DIR}. */
    public static List<Seed> realDumps() {
        Path jdk17 = ChildJvm.currentJavaHome();
        List<Seed> seeds = new ArrayList<>();
        // -Xshare:off keeps the dumps small (no archived heap objects), so a mutant runs in milliseconds
        List<String> small = List.of("-Xmx32m", "-XX:+UseSerialGC", "-Xshare:off");
        seeds.add(real("jdk17.hprof", jdk17, small, false));
        seeds.add(real("jdk17-nocoops.hprof", jdk17, plus(small, "-XX:-UseCompressedOops"), false));
        seeds.add(real("jdk17.hprof.gz", jdk17, small, true));
        // with class data sharing: the archived objects and their dangling mirrors
        seeds.add(real("jdk17-cds.hprof", jdk17, List.of("-Xmx32m", "-XX:+UseSerialGC"), false));
        if (Files.isExecutable(ChildJvm.JDK25.resolve("bin/java"))) {
            seeds.add(real("jdk25.hprof", ChildJvm.JDK25, small, false));
            seeds.add(real("jdk25-nocoops.hprof.gz", ChildJvm.JDK25, plus(small, "-XX:-UseCompressedOops"), true));
        }
        return seeds;
    }

    private static List<String> plus(List<String> flags, String flag) {
        List<String> all = new ArrayList<>(flags);
        all.add(flag);
        return all;
    }

    private static Seed plain(String name, byte[] bytes) {
        return new Seed(name, bytes, bytes, false);
    }

    private static Seed real(String name, Path javaHome, List<String> flags, boolean gzip) {
        Path target = DIR.resolve(name);
        try {
            if (!Files.isRegularFile(target)) {
                Files.createDirectories(DIR);
                Path partial = DIR.resolve(name + ".partial" + ProcessHandle.current().pid());
                try (ChildJvm child = ChildJvm.start(javaHome, FuzzWorkload.class, flags)) {
                    child.heapDump(partial.toAbsolutePath(), gzip);
                }
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            }
            byte[] bytes = Files.readAllBytes(target);
            return new Seed(name, bytes, gzip ? gunzip(bytes) : bytes, gzip);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the seed dump " + target, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The decompressed bytes of a whole gzip stream. */
    static byte[] gunzip(byte[] gzip) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }
}

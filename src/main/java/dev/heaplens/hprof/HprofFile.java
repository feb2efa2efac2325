package dev.heaplens.hprof;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * An open HPROF dump: its header and read-only random access to every byte.
 *
 * <p>Plain dumps are memory-mapped in place. A gzip-compressed dump (as written by
 * {@code jcmd <pid> GC.heap_dump -gz=1 file}, recognised by its content, not its name) is
 * decompressed once into a temporary file that is deleted on {@link #close()}; the dump itself is
 * only ever opened for reading.
 *
 * <pre>{@code
 * try (HprofFile file = HprofFile.open(Path.of("app.hprof"))) {
 *     System.out.println(file.idSize() + "-byte ids, " + file.size() + " bytes");
 * }
 * }</pre>
 */
public final class HprofFile implements AutoCloseable {
    private static final String MAGIC_PREFIX = "JAVA PROFILE ";

    private final Path path;
    private final Path decompressed;
    private final FileChannel channel;
    private final int chunkBits;
    private final long size;
    /** Pages of 16 KiB: a report's scattered reads (an instance's fields, a path's hop) fit in one. */
    static final int PAGE_BITS = 14;
    /** At most 16 MiB of pages in the heap. */
    static final int MAX_PAGES = 1024;

    /** The mapped bytes, then after {@link #releasePages()} the {@link HprofBuffer#paged paged} ones. */
    private volatile HprofBuffer buffer;
    /** The mapping of each thread inside {@link #withOwnPages}, which only that thread reads. */
    private final ThreadLocal<HprofBuffer> ownPages = new ThreadLocal<>();
    private final String version;
    private final int idSize;
    private final long timestampMillis;
    private final long firstRecordOffset;
    private final String decompressionProblem;

    private HprofFile(Path path, Path decompressed, FileChannel channel, HprofBuffer buffer,
                      String decompressionProblem) {
        this.path = path;
        this.decompressed = decompressed;
        this.channel = channel;
        this.buffer = buffer;
        this.chunkBits = buffer.chunkBits();
        this.size = buffer.size();
        this.decompressionProblem = decompressionProblem;
        int nul = -1;
        long limit = Math.min(buffer.size(), 64);
        for (int i = 0; i < limit; i++) {
            if (buffer.u1(i) == 0) {
                nul = i;
                break;
            }
        }
        if (nul < 0) {
            throw new HprofFormatException(path, 0, "header", "not an HPROF file: no 'JAVA PROFILE x.y.z' header");
        }
        String magic = new String(buffer.bytes(0, nul), StandardCharsets.ISO_8859_1);
        if (!magic.startsWith(MAGIC_PREFIX)) {
            throw new HprofFormatException(path, 0, "header",
                    "not an HPROF file: header is '" + printable(magic) + "', expected 'JAVA PROFILE 1.0.2'");
        }
        this.version = magic.substring(MAGIC_PREFIX.length());
        long pos = nul + 1;
        if (buffer.size() < pos + 12) {
            throw new HprofFormatException(path, pos, "header", "file ends inside the header");
        }
        this.idSize = buffer.i4(pos);
        if (idSize != 4 && idSize != 8) {
            throw new HprofFormatException(path, pos, "header", "identifier size is " + idSize + ", expected 4 or 8");
        }
        this.timestampMillis = buffer.i8(pos + 4);
        this.firstRecordOffset = pos + 12;
    }

    /** Opens a dump with 1 GiB map chunks. */
    public static HprofFile open(Path path) {
        return open(path, HprofBuffer.DEFAULT_CHUNK_BITS);
    }

    /**
     * Opens a dump, mapping it in chunks of {@code 2^chunkBits} bytes (tests use tiny chunks to
     * exercise records that straddle a chunk boundary).
     *
     * @throws HprofFormatException if the file is not an HPROF dump, or a gzip dump is damaged
     *                              (use {@link #open(Path, int, boolean)} to keep what decompressed)
     */
    public static HprofFile open(Path path, int chunkBits) {
        return open(path, chunkBits, false);
    }

    /**
     * Opens a dump; with {@code lenient}, a damaged gzip stream keeps what decompressed and
     * {@link #decompressionProblem()} says what was lost.
     */
    public static HprofFile open(Path path, int chunkBits, boolean lenient) {
        if (!Files.isRegularFile(path)) {
            throw new HprofFormatException(path, 0, "", Files.exists(path) ? "not a regular file" : "no such file");
        }
        Path temp = null;
        FileChannel channel = null;
        try {
            String problem = null;
            Path readable = path;
            if (isGzip(path)) {
                temp = Files.createTempFile("heaplens-", ".hprof");
                problem = gunzip(path, temp, lenient);
                readable = temp;
            }
            channel = FileChannel.open(readable, StandardOpenOption.READ);
            HprofBuffer buffer = HprofBuffer.map(channel, chunkBits);
            return new HprofFile(path, temp, channel, buffer, problem);
        } catch (IOException e) {
            closeQuietly(channel, temp);
            throw new HprofFormatException(path, 0, "", "cannot read: " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel, temp);
            throw e;
        }
    }

    /**
     * A dump already in memory (not gzip), e.g. one a test has just corrupted. {@code name} is used
     * in error messages only; the bytes are not copied and must not change while in use.
     */
    public static HprofFile wrap(Path name, byte[] bytes, int chunkBits) {
        return new HprofFile(name, null, null, HprofBuffer.wrap(bytes, chunkBits), null);
    }

    private static boolean isGzip(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** Decompresses into {@code target}; returns what was lost, or null when the stream was whole. */
    private static String gunzip(Path source, Path target, boolean lenient) throws IOException {
        long written = 0;
        InputStream file = Files.newInputStream(source);
        InputStream in;
        try {
            in = new GZIPInputStream(file, 1 << 16);
        } catch (IOException e) {
            file.close();
            // nothing decompressed: the dump cannot be read even leniently
            throw new HprofFormatException(source, 0, "gzip", "the gzip header is " + (e instanceof java.io.EOFException
                    ? "cut short" : "damaged (" + e.getMessage() + ")"), e);
        }
        try (in; OutputStream out = Files.newOutputStream(target)) {
            byte[] buf = new byte[1 << 16];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    written += n;
                }
            } catch (IOException e) {
                String problem = "gzip stream is damaged after " + written + " decompressed bytes ("
                        + (e instanceof java.io.EOFException || e.getMessage() == null ? "it ends early" : e.getMessage()) + ")";
                if (!lenient) {
                    throw new HprofFormatException(source, written, "gzip", problem, e);
                }
                return problem;
            }
        }
        return null;
    }

    private static void closeQuietly(FileChannel channel, Path temp) {
        try {
            if (channel != null) {
                channel.close();
            }
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        } catch (IOException ignored) {
            // best effort: the original failure is the one to report
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= 32 && c < 127 ? c : '?');
            if (b.length() > 40) {
                break;
            }
        }
        return b.toString();
    }

    /** The dump as the user named it. */
    public Path path() {
        return path;
    }

    /** Whether the dump was gzip-compressed. */
    public boolean compressed() {
        return decompressed != null;
    }

    /** What a lenient open of a damaged gzip dump lost, or {@code null}. */
    public String decompressionProblem() {
        return decompressionProblem;
    }

    /** The version in the header, e.g. {@code 1.0.2}. */
    public String version() {
        return version;
    }

    /** Identifier size in bytes: 4 or 8. */
    public int idSize() {
        return idSize;
    }

    /** When the dump was written, in milliseconds since the epoch. */
    public long timestampMillis() {
        return timestampMillis;
    }

    /** Offset of the first record, just after the header. */
    public long firstRecordOffset() {
        return firstRecordOffset;
    }

    /** Size of the (decompressed) dump in bytes. */
    public long size() {
        return size;
    }

    /**
     * Random read access to the (decompressed) bytes: the map until {@link #releasePages()}, then pages
     * read on demand into a bounded cache (see {@link HprofBuffer#paged}), so that scattered reads leave
     * no pages of the dump in the process's resident memory.
     */
    public HprofBuffer buffer() {
        HprofBuffer own = ownPages.get();
        if (own != null) {
            return own;
        }
        HprofBuffer b = buffer;
        return b != null ? b : paged();
    }

    private synchronized HprofBuffer paged() {
        if (buffer == null) {
            if (!channel.isOpen()) {
                throw new IllegalStateException(path + " is closed");
            }
            try {
                buffer = HprofBuffer.paged(channel, path, PAGE_BITS, MAX_PAGES);
            } catch (IOException e) {
                throw new HprofFormatException(path, 0, "", "cannot read: " + e, e);
            }
        }
        return buffer;
    }

    /**
     * A window of {@code capacity} bytes for reading records in file order without mapping them
     * (see {@link HprofWindow}); one per thread.
     */
    public HprofWindow window(int capacity) {
        return new HprofWindow(this, channel, capacity);
    }

    /**
     * Unmaps the dump now, so the pages read so far stop counting in this process's resident
     * memory (they stay in the operating system's page cache); reads through {@link #buffer()} go on
     * through pages read on demand, of which a few megabytes are kept (released again by the next
     * call). A graph keeps what it needs in its own arrays, so {@code Heap.open} releases the pages
     * once the graph is built.
     *
     * <p>No other thread may be reading through the mapped buffer obtained before the first call:
     * reading an unmapped buffer crashes the JVM (a paged one only reads its pages again). A dump
     * wrapped from memory has nothing to release.
     */
    public synchronized void releasePages() {
        HprofBuffer b = buffer;
        if (channel == null || b == null) {
            return;
        }
        buffer = null;
        b.unmap();
    }

    /**
     * Runs {@code work} with this thread's reads through {@link #buffer()} going to a mapping of the
     * dump of its own, unmapped when {@code work} returns: a pass that reads much of the dump once
     * (the waste analyses read every primitive array and string) then leaves none of those pages in
     * the process's resident memory, while other threads go on reading through the shared mapping.
     * Nothing {@code work} returns or leaves behind may keep a buffer it obtained. Nested calls share
     * the outer mapping; a dump wrapped from memory has no mapping, and {@code work} just runs.
     *
     * <pre>{@code
     * long sum = file.withOwnPages(() -> sumOfEveryByte(file.buffer()));   // Waste.of does this itself
     * }</pre>
     */
    public <T> T withOwnPages(Supplier<T> work) {
        if (channel == null || ownPages.get() != null) {
            return work.get();
        }
        HprofBuffer own;
        try {
            own = HprofBuffer.map(channel, chunkBits);
        } catch (IOException e) {
            throw new HprofFormatException(path, 0, "", "cannot map: " + e, e);
        }
        ownPages.set(own);
        try {
            return work.get();
        } finally {
            ownPages.remove();
            own.unmap();
        }
    }

    /**
     * Inside {@link #withOwnPages}, drops the pages this thread's own mapping has read so far from the
     * resident memory; reads go on through the same buffer (a pass that reads more than it can keep,
     * such as hashing every string, calls it now and then). Elsewhere it does nothing.
     */
    public void trimOwnPages() {
        HprofBuffer own = ownPages.get();
        if (own == null) {
            return;
        }
        try {
            own.remap(channel);
        } catch (IOException e) {
            throw new HprofFormatException(path, 0, "", "cannot map: " + e, e);
        }
    }

    @Override
    public void close() {
        closeQuietly(channel, decompressed);
    }
}

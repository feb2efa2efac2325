package dev.heaplens.hprof;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Random read access to a whole dump through read-only memory maps of fixed-size chunks, so files
 * far beyond 2 GB (and 4 GB) can be read with {@code long} positions.
 *
 * <p>Reads that fall inside one chunk take the fast path (one absolute get); a value that straddles
 * two chunks is assembled byte by byte. The chunk size is a power of two and can be made tiny in
 * tests, so every straddling case is exercised on small fixtures. Positions are not bounds-checked
 * beyond what the JDK does: callers validate lengths against {@link #size()} before reading.
 *
 * <p>A buffer can also be {@link #paged paged}: its chunks are small pages read from the file on
 * demand by positional reads into the Java heap, at most a fixed number of them kept. Scattered reads
 * (an object's fields for a report, a path's hops) then leave no pages of the dump in the process's
 * resident memory, which a map does: on a kernel with large folios, each fault of a map reads and maps
 * a whole folio, and a report's few hundred page reads left 42 MB of a 138 MB dump resident.
 */
public final class HprofBuffer {
    /** The default chunk: 1 GiB, well inside a {@link MappedByteBuffer}'s int index range. */
    public static final int DEFAULT_CHUNK_BITS = 30;

    private final ByteBuffer[] chunks;
    private final int chunkBits;
    private final long chunkMask;
    private final long size;
    /** Paged: where pages come from (else null: every chunk is there from the start); and which pages are in. */
    private final FileChannel pagesFrom;
    private final Path pagesPath;
    private final int[] pagesIn;
    private int pagesInNext;

    private HprofBuffer(ByteBuffer[] chunks, int chunkBits, long size) {
        this(chunks, chunkBits, size, null, null, 0);
    }

    private HprofBuffer(ByteBuffer[] chunks, int chunkBits, long size, FileChannel pagesFrom, Path pagesPath, int maxPages) {
        this.chunks = chunks;
        this.chunkBits = chunkBits;
        this.chunkMask = (1L << chunkBits) - 1;
        this.size = size;
        this.pagesFrom = pagesFrom;
        this.pagesPath = pagesPath;
        this.pagesIn = new int[maxPages];
        java.util.Arrays.fill(pagesIn, -1);
    }

    /**
     * A buffer over {@code channel} that reads pages of {@code 2^pageBits} bytes when first read and keeps
     * at most {@code maxPages} of them (the oldest read goes first), in the Java heap: memory the process
     * holds is bounded, and the dump's pages stay in the operating system's page cache only. Safe to read
     * from several threads; for scattered reads, not for passes over the whole file (use a window).
     */
    public static HprofBuffer paged(FileChannel channel, Path path, int pageBits, int maxPages) throws IOException {
        if (pageBits < 3 || pageBits > 30 || maxPages < 1) {
            throw new IllegalArgumentException("pageBits must be in [3, 30] and maxPages positive: " + pageBits + ", " + maxPages);
        }
        long size = channel.size();
        long count = (size + (1L << pageBits) - 1) >>> pageBits;
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(size + " bytes are too many pages of 2^" + pageBits);
        }
        return new HprofBuffer(new ByteBuffer[(int) Math.max(count, 1)], pageBits, size, channel, path, maxPages);
    }

    /** Chunk {@code i}: a mapped one, or a page read now if it is not in. */
    private ByteBuffer chunk(int i) {
        ByteBuffer c = chunks[i];
        return c != null ? c : pageIn(i);
    }

    /**
     * Reads page {@code i}, evicting the oldest page in. A thread that reads the slot while another
     * fills it sees either null (and reads the page itself) or a whole buffer: its fields are written
     * before the slot, and HotSpot orders a new object's stores before its publication.
     */
    private synchronized ByteBuffer pageIn(int i) {
        ByteBuffer c = chunks[i];
        if (c != null) {
            return c;
        }
        if (pagesFrom == null) {
            throw new IllegalStateException("chunk " + i + " of a mapped buffer is gone: read after unmap()");
        }
        long start = (long) i << chunkBits;
        int length = (int) Math.max(0, Math.min(1L << chunkBits, size - start));
        ByteBuffer page = ByteBuffer.allocate(length); // big-endian, as HPROF is
        try {
            while (page.hasRemaining()) {
                if (pagesFrom.read(page, start + page.position()) < 0) {
                    throw new HprofFormatException(pagesPath, start + page.position(), "",
                            "the file ends before its " + size + " bytes: it changed while open");
                }
            }
        } catch (IOException e) {
            throw new HprofFormatException(pagesPath, start, "", "cannot read: " + e, e);
        }
        int out = pagesIn[pagesInNext];
        if (out >= 0) {
            chunks[out] = null;
        }
        pagesIn[pagesInNext] = i;
        pagesInNext = (pagesInNext + 1) % pagesIn.length;
        chunks[i] = page;
        return page;
    }

    /** Maps {@code channel} read-only in chunks of {@code 2^chunkBits} bytes. */
    public static HprofBuffer map(FileChannel channel, int chunkBits) throws IOException {
        if (chunkBits < 3 || chunkBits > 30) {
            throw new IllegalArgumentException("chunkBits must be in [3, 30]: " + chunkBits);
        }
        long size = channel.size();
        long chunkSize = 1L << chunkBits;
        int count = (int) ((size + chunkSize - 1) >>> chunkBits);
        ByteBuffer[] chunks = new ByteBuffer[Math.max(count, 1)];
        if (count == 0) {
            chunks[0] = ByteBuffer.allocate(0);
        }
        for (int i = 0; i < count; i++) {
            long start = (long) i << chunkBits;
            chunks[i] = mapChunk(channel, start, Math.min(chunkSize, size - start));
        }
        return new HprofBuffer(chunks, chunkBits, size);
    }

    /** Wraps bytes already in memory (small dumps, tests) in chunks of {@code 2^chunkBits} bytes; not copied. */
    public static HprofBuffer wrap(byte[] bytes, int chunkBits) {
        if (chunkBits < 3 || chunkBits > 30) {
            throw new IllegalArgumentException("chunkBits must be in [3, 30]: " + chunkBits);
        }
        int chunkSize = 1 << chunkBits;
        int count = Math.max(1, (bytes.length + chunkSize - 1) >>> chunkBits);
        ByteBuffer[] chunks = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            int start = i * chunkSize;
            chunks[i] = ByteBuffer.wrap(bytes, start, Math.min(chunkSize, bytes.length - start)).slice();
        }
        return new HprofBuffer(chunks, chunkBits, bytes.length);
    }

    /** Total bytes. */
    public long size() {
        return size;
    }

    /** The chunk size as a power of two. */
    public int chunkBits() {
        return chunkBits;
    }

    /** Unsigned byte at {@code pos}. */
    public int u1(long pos) {
        return chunk((int) (pos >>> chunkBits)).get((int) (pos & chunkMask)) & 0xFF;
    }

    /** Signed byte at {@code pos}. */
    public byte i1(long pos) {
        return chunk((int) (pos >>> chunkBits)).get((int) (pos & chunkMask));
    }

    /** Big-endian unsigned 16-bit value at {@code pos}. */
    public int u2(long pos) {
        ByteBuffer chunk = chunk((int) (pos >>> chunkBits));
        int off = (int) (pos & chunkMask);
        if (off + 2 <= chunk.limit()) {
            return chunk.getShort(off) & 0xFFFF;
        }
        return (int) slow(pos, 2);
    }

    /** Big-endian signed 32-bit value at {@code pos}. */
    public int i4(long pos) {
        ByteBuffer chunk = chunk((int) (pos >>> chunkBits));
        int off = (int) (pos & chunkMask);
        if (off + 4 <= chunk.limit()) {
            return chunk.getInt(off);
        }
        return (int) slow(pos, 4);
    }

    /** Big-endian unsigned 32-bit value at {@code pos}. */
    public long u4(long pos) {
        return i4(pos) & 0xFFFF_FFFFL;
    }

    /** Big-endian 64-bit value at {@code pos}. */
    public long i8(long pos) {
        ByteBuffer chunk = chunk((int) (pos >>> chunkBits));
        int off = (int) (pos & chunkMask);
        if (off + 8 <= chunk.limit()) {
            return chunk.getLong(off);
        }
        return slow(pos, 8);
    }

    /** An identifier of {@code idSize} (4 or 8) bytes at {@code pos}; 4-byte ids are unsigned. */
    public long id(long pos, int idSize) {
        return idSize == 8 ? i8(pos) : u4(pos);
    }

    /** Copies {@code length} bytes starting at {@code pos} into {@code dst}. */
    public void get(long pos, byte[] dst, int dstOffset, int length) {
        int done = 0;
        while (done < length) {
            long p = pos + done;
            ByteBuffer chunk = chunk((int) (p >>> chunkBits));
            int off = (int) (p & chunkMask);
            int n = Math.min(length - done, chunk.limit() - off);
            chunk.get(off, dst, dstOffset + done, n);
            done += n;
        }
    }

    /** Bytes [pos, pos+length) as a new array. */
    public byte[] bytes(long pos, int length) {
        byte[] out = new byte[length];
        get(pos, out, 0, length);
        return out;
    }

    /**
     * Unmaps the chunks of a mapped buffer at once, so its pages stop counting in the process's
     * resident memory. The buffer must not be read afterwards (the JVM would crash): only
     * {@link HprofFile} calls this, on a buffer it no longer hands out.
     */
    void unmap() {
        if (pagesFrom != null) {
            dropPages();
            return;
        }
        for (ByteBuffer chunk : chunks) {
            Unmapper.unmap(chunk);
        }
    }

    /** A paged buffer's pages, all let go (reads go on, reading them again). */
    private synchronized void dropPages() {
        java.util.Arrays.fill(chunks, null);
        java.util.Arrays.fill(pagesIn, -1);
    }

    /**
     * Maps each chunk of a mapped buffer again and unmaps its old mapping, so the pages read so far
     * stop counting in the process's resident memory while reads go on through the same buffer.
     * Only for a buffer one thread reads ({@link HprofFile#trimOwnPages}), between its reads: a read
     * of the old mapping on another thread would crash the JVM.
     */
    void remap(FileChannel channel) throws IOException {
        if (pagesFrom != null) {
            dropPages();
            return;
        }
        for (int i = 0; i < chunks.length; i++) {
            ByteBuffer old = chunks[i];
            if (old.capacity() == 0) {
                continue;
            }
            chunks[i] = mapChunk(channel, (long) i << chunkBits, old.capacity());
            Unmapper.unmap(old);
        }
    }

    private static ByteBuffer mapChunk(FileChannel channel, long start, long length) throws IOException {
        MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, start, length);
        return mapped.order(ByteOrder.BIG_ENDIAN);
    }

    private long slow(long pos, int width) {
        long v = 0;
        for (int i = 0; i < width; i++) {
            v = (v << 8) | u1(pos + i);
        }
        return v;
    }
}

package dev.heaplens.hprof;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Reads of a dump through a small buffer that positional reads of the file refill, for a pass that
 * walks records in file order. Unlike {@link HprofBuffer}'s memory map, the pages it reads never
 * count in the process's resident memory: they are copied into the window and stay only in the
 * operating system's page cache.
 *
 * <p>Before reading a record, name its start with {@link #record(long)}: a read that misses the
 * window then refills it from the record's start when the record fits, so fields read in any order
 * cost one refill. Records larger than the window stream through it. A read far from the window (a
 * jump) refills a small block only, so dumps whose records come in several interleaved runs do not
 * pay a whole window per jump. One window per thread; it is not thread-safe.
 *
 * <p>The window is a {@code byte[]} read through byte-array views: under the C1 compiler that a
 * cold run uses, that is about 2.5 times as fast as a direct {@code ByteBuffer}'s {@code getLong}
 * and {@code getInt}, whose scoped-memory checks and byte swaps C1 does not fold away.
 *
 * <pre>{@code
 * HprofWindow window = file.window(HprofWindow.DEFAULT_CAPACITY);
 * window.record(offset);
 * int tag = window.u1(offset);
 * }</pre>
 */
public final class HprofWindow {
    /** The capacity the library's passes use: 1 MiB, about one of HotSpot's heap dump segments. */
    public static final int DEFAULT_CAPACITY = 1 << 20;
    private static final int JUMP_READ = 16 << 10;
    private static final VarHandle I4 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I8 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final HprofFile file;
    private final FileChannel channel;
    private final byte[] bytes;
    /** {@link #bytes}, for the channel's reads. */
    private final ByteBuffer window;
    private final long fileSize;
    private long base;
    private int limit;
    private long recordStart = -1;

    HprofWindow(HprofFile file, FileChannel channel, int capacity) {
        if (capacity < 64) {
            throw new IllegalArgumentException("window capacity must be at least 64 bytes: " + capacity);
        }
        this.file = file;
        this.channel = channel;
        this.bytes = new byte[capacity];
        this.window = ByteBuffer.wrap(bytes);
        this.fileSize = file.size();
    }

    /** Says that reads of the record starting at {@code pos} follow. */
    public void record(long pos) {
        recordStart = pos;
    }

    /** Unsigned byte at {@code pos}. */
    public int u1(long pos) {
        long off = pos - base;
        if (off < 0 || off >= limit) {
            off = fill(pos, 1);
        }
        return bytes[(int) off] & 0xFF;
    }

    /** Big-endian signed 32-bit value at {@code pos}. */
    public int i4(long pos) {
        long off = pos - base;
        if (off < 0 || off + 4 > limit) {
            off = fill(pos, 4);
        }
        return (int) I4.get(bytes, (int) off);
    }

    /** Big-endian unsigned 32-bit value at {@code pos}. */
    public long u4(long pos) {
        return i4(pos) & 0xFFFF_FFFFL;
    }

    /** Big-endian 64-bit value at {@code pos}. */
    public long i8(long pos) {
        long off = pos - base;
        if (off < 0 || off + 8 > limit) {
            off = fill(pos, 8);
        }
        return (long) I8.get(bytes, (int) off);
    }

    /** Copies {@code length} bytes starting at {@code pos} into {@code dst}, however many windows they span. */
    public void get(long pos, byte[] dst, int dstOffset, int length) {
        int done = 0;
        while (done < length) {
            long at = pos + done;
            long off = at - base;
            if (off < 0 || off >= limit) {
                off = fill(at, 1);
            }
            int n = (int) Math.min(length - done, limit - off);
            System.arraycopy(bytes, (int) off, dst, dstOffset + done, n);
            done += n;
        }
    }

    /** An identifier of {@code idSize} (4 or 8) bytes at {@code pos}; 4-byte ids are unsigned. */
    public long id(long pos, int idSize) {
        return idSize == 8 ? i8(pos) : u4(pos);
    }

    /** Refills the window so that it holds {@code [pos, pos + width)}; returns pos's offset in it. */
    private long fill(long pos, int width) {
        int capacity = bytes.length;
        if (pos < 0 || pos + width > fileSize) {
            throw new HprofFormatException(file.path(), pos, "", "read of " + width + " bytes past the end of the file ("
                    + fileSize + " bytes)");
        }
        // a read just past the window, or straddling its end, is the next stretch of a walk in file order
        boolean sequential = pos >= base && pos < base + limit + capacity;
        long start = pos;
        int want = sequential ? capacity : Math.min(capacity, JUMP_READ);
        if (recordStart >= 0 && recordStart <= pos && pos + width - recordStart <= capacity) {
            start = recordStart; // keep the whole record in view
            want = Math.max(want, (int) (pos + width - recordStart));
        }
        want = Math.max(want, width);
        int length = (int) Math.min(want, fileSize - start);
        read(start, length);
        base = start;
        limit = length;
        return pos - start;
    }

    private void read(long start, int length) {
        window.clear();
        window.limit(length);
        if (channel == null) {
            file.buffer().get(start, bytes, 0, length);
            return;
        }
        try {
            while (window.hasRemaining()) {
                int n = channel.read(window, start + window.position());
                if (n < 0) {
                    throw new HprofFormatException(file.path(), start + window.position(), "",
                            "the file ended while reading it (was it truncated while open?)");
                }
            }
        } catch (IOException e) {
            throw new HprofFormatException(file.path(), start, "", "cannot read: " + e, e);
        }
    }
}

package dev.heaplens.alloc;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over one chunk of a JFR recording, held in a {@code byte[]}: JFR's integers (LEB128-style
 * varints of up to nine bytes when the chunk says its integers are compressed, big-endian otherwise),
 * floats, and strings in their six encodings.
 *
 * <p>Reading past the chunk throws {@link ArrayIndexOutOfBoundsException}; the chunk reader turns it
 * into a {@link JfrFormatException} naming the record it was in, so no bounds check is paid per byte.
 */
final class JfrInput {
    /** String encodings: null, "", a key into the {@code java.lang.String} pool, UTF-8, chars, Latin-1. */
    static final int STRING_NULL = 0;
    static final int STRING_EMPTY = 1;
    static final int STRING_POOL = 2;
    static final int STRING_UTF8 = 3;
    static final int STRING_CHARS = 4;
    static final int STRING_LATIN1 = 5;

    final byte[] bytes;
    /** The file offset of {@code bytes[0]}, for error messages. */
    final long fileOffset;
    final boolean compressed;
    int pos;

    JfrInput(byte[] bytes, long fileOffset, boolean compressed) {
        this.bytes = bytes;
        this.fileOffset = fileOffset;
        this.compressed = compressed;
    }

    byte readByte() {
        return bytes[pos++];
    }

    boolean readBoolean() {
        return bytes[pos++] != 0;
    }

    /** A JFR {@code int} (also {@code short} and {@code char} when compressed). */
    int readInt() {
        return compressed ? (int) readVarLong() : readFixedInt();
    }

    long readLong() {
        return compressed ? readVarLong() : readFixedLong();
    }

    short readShort() {
        if (compressed) {
            return (short) readVarLong();
        }
        int v = ((bytes[pos] & 0xff) << 8) | (bytes[pos + 1] & 0xff);
        pos += 2;
        return (short) v;
    }

    char readChar() {
        return (char) readShort();
    }

    float readFloat() {
        return Float.intBitsToFloat(readFixedInt());
    }

    double readDouble() {
        return Double.longBitsToDouble(readFixedLong());
    }

    private long readVarLong() {
        byte[] b = bytes;
        int p = pos;
        long v = b[p++];
        if (v >= 0) {
            pos = p;
            return v;
        }
        v &= 0x7f;
        for (int shift = 7; shift < 56; shift += 7) {
            long next = b[p++];
            v |= (next & 0x7f) << shift;
            if (next >= 0) {
                pos = p;
                return v;
            }
        }
        v |= (b[p++] & 0xffL) << 56; // the ninth byte carries eight bits
        pos = p;
        return v;
    }

    int readFixedInt() {
        byte[] b = bytes;
        int p = pos;
        pos = p + 4;
        return ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
    }

    long readFixedLong() {
        long hi = readFixedInt() & 0xffffffffL;
        return (hi << 32) | (readFixedInt() & 0xffffffffL);
    }

    /** Skips a string, whatever its encoding. */
    void skipString() {
        int encoding = readByte();
        switch (encoding) {
            case STRING_NULL, STRING_EMPTY -> {
            }
            case STRING_POOL -> readLong();
            case STRING_UTF8, STRING_LATIN1 -> pos = checkedEnd(readInt(), 1);
            case STRING_CHARS -> {
                int n = readInt();
                checkedEnd(n, 1);
                for (int i = 0; i < n; i++) {
                    readChar();
                }
            }
            default -> throw damage("unknown string encoding " + encoding);
        }
    }

    /**
     * Reads a string written inline; a string that refers to the {@code java.lang.String} pool is
     * returned as {@code null} with its key in {@link #poolKey}.
     */
    String readString() {
        poolKey = -1;
        int encoding = readByte();
        switch (encoding) {
            case STRING_NULL:
                return null;
            case STRING_EMPTY:
                return "";
            case STRING_POOL:
                poolKey = readLong();
                return null;
            case STRING_UTF8: {
                int n = readInt();
                int start = pos;
                pos = checkedEnd(n, 1);
                return new String(bytes, start, n, StandardCharsets.UTF_8);
            }
            case STRING_LATIN1: {
                int n = readInt();
                int start = pos;
                pos = checkedEnd(n, 1);
                return new String(bytes, start, n, StandardCharsets.ISO_8859_1);
            }
            case STRING_CHARS: {
                int n = readInt();
                checkedEnd(n, 1);
                char[] chars = new char[n];
                for (int i = 0; i < n; i++) {
                    chars[i] = readChar();
                }
                return new String(chars);
            }
            default:
                throw damage("unknown string encoding " + encoding);
        }
    }

    /** The pool key of the last {@link #readString} that referred to the string pool, else -1. */
    long poolKey = -1;

    /** The position after {@code count} items of at least {@code minBytes} each, checked against the chunk. */
    int checkedEnd(long count, int minBytes) {
        long end = pos + count * minBytes;
        if (count < 0 || end > bytes.length) {
            throw damage("a length of " + count + " runs past the chunk");
        }
        return (int) end;
    }

    /** A count of items checked against what the rest of the chunk could hold. */
    int checkedCount(long count) {
        checkedEnd(count, 1);
        return (int) count;
    }

    JfrDamage damage(String what) {
        return new JfrDamage(what, fileOffset + pos);
    }

    /** A damaged chunk: what is wrong, and where in the file. */
    static final class JfrDamage extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long offset;

        JfrDamage(String what, long offset) {
            super(what, null, false, false);
            this.offset = offset;
        }
    }
}

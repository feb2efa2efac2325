package dev.heaplens.hprof;

/**
 * Decodes the VM's modified UTF-8 (as in UTF8 records): like UTF-8, but NUL is two bytes and
 * supplementary characters are two encoded surrogates. Malformed bytes become U+FFFD rather than
 * failing, because a name with a bad byte is still worth showing.
 */
public final class ModifiedUtf8 {
    private ModifiedUtf8() {
    }

    /** Decodes {@code length} bytes at {@code pos}. */
    public static String decode(HprofBuffer buf, long pos, int length) {
        char[] out = new char[length];
        int n = 0;
        long end = pos + length;
        long p = pos;
        while (p < end) {
            int b = buf.u1(p++);
            if (b < 0x80) {
                out[n++] = (char) b;
            } else if ((b & 0xE0) == 0xC0 && p < end && (buf.u1(p) & 0xC0) == 0x80) {
                out[n++] = (char) (((b & 0x1F) << 6) | (buf.u1(p++) & 0x3F));
            } else if ((b & 0xF0) == 0xE0 && p + 1 < end && (buf.u1(p) & 0xC0) == 0x80 && (buf.u1(p + 1) & 0xC0) == 0x80) {
                out[n++] = (char) (((b & 0x0F) << 12) | ((buf.u1(p) & 0x3F) << 6) | (buf.u1(p + 1) & 0x3F));
                p += 2;
            } else if ((b & 0xF8) == 0xF0 && p + 2 < end) {
                // standard 4-byte UTF-8, which some writers use instead of surrogate pairs
                int cp = ((b & 0x07) << 18) | ((buf.u1(p) & 0x3F) << 12) | ((buf.u1(p + 1) & 0x3F) << 6) | (buf.u1(p + 2) & 0x3F);
                p += 3;
                if (Character.isSupplementaryCodePoint(cp)) {
                    out[n++] = Character.highSurrogate(cp);
                    out[n++] = Character.lowSurrogate(cp);
                } else {
                    out[n++] = '\uFFFD';
                }
            } else {
                out[n++] = '\uFFFD';
            }
        }
        return new String(out, 0, n);
    }
}

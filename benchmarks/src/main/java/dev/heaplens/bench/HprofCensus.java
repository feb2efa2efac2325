package dev.heaplens.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * An independent count of what a dump holds: objects (class, instance, object-array and
 * primitive-array records) and non-null references (instance fields of type object, object-array
 * elements, static fields of type object).
 *
 * <p>Written apart from heaplens on purpose: it is the cross-check for the counts the benchmarks
 * report, and it describes a dump before heaplens can read one. It relies on HotSpot writing every
 * CLASS DUMP before the instances of that class, which HotSpot does (all classes come first).
 *
 * <pre>java -cp benchmarks.jar dev.heaplens.bench.HprofCensus DUMP...</pre>
 */
public record HprofCensus(long fileBytes, int idSize, long classes, long instances, long objectArrays,
                          long primitiveArrays, long references, long roots) {

    /** Every object: class mirrors in the dump, instances and arrays of both kinds. */
    public long objects() {
        return classes + instances + objectArrays + primitiveArrays;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "%,d bytes, %,d objects (%,d classes, %,d instances, %,d object arrays, %,d primitive arrays), "
                        + "%,d references, %,d roots",
                fileBytes, objects(), classes, instances, objectArrays, primitiveArrays, references, roots);
    }

    public static void main(String[] args) throws IOException {
        for (String arg : args) {
            System.out.println(arg + ": " + of(Path.of(arg)));
        }
    }

    /** Reads the whole dump once (gzip or plain). */
    public static HprofCensus of(Path dump) throws IOException {
        try (InputStream raw = Files.newInputStream(dump)) {
            BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
            buffered.mark(2);
            boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
            buffered.reset();
            InputStream in = gzip ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16) : buffered;
            return new Scanner(new DataInputStream(in), Files.size(dump)).scan();
        }
    }

    private static final class Scanner {
        private final DataInputStream in;
        private final long fileBytes;
        private final Map<Long, ClassShape> shapes = new HashMap<>(); // a few thousand classes
        private int idSize;
        private long classes;
        private long instances;
        private long objectArrays;
        private long primitiveArrays;
        private long references;
        private long roots;

        Scanner(DataInputStream in, long fileBytes) {
            this.in = in;
            this.fileBytes = fileBytes;
        }

        HprofCensus scan() throws IOException {
            while (in.readByte() != 0) {
                // "JAVA PROFILE 1.0.2\0"
            }
            idSize = in.readInt();
            in.readLong(); // timestamp
            while (true) {
                int tag;
                try {
                    tag = in.readUnsignedByte();
                } catch (EOFException end) {
                    break;
                }
                in.readInt(); // time delta
                long length = Integer.toUnsignedLong(in.readInt());
                if (tag == 0x0C || tag == 0x1C) {
                    segment(length);
                } else {
                    skip(length);
                }
            }
            return new HprofCensus(fileBytes, idSize, classes, instances, objectArrays, primitiveArrays,
                    references, roots);
        }

        private void segment(long length) throws IOException {
            long remaining = length;
            while (remaining > 0) {
                remaining -= 1 + subRecord(in.readUnsignedByte());
            }
        }

        /** Reads one heap-dump sub-record after its tag; returns the bytes read. */
        private long subRecord(int tag) throws IOException {
            switch (tag) {
                case 0xFF: roots++; skip(idSize); return idSize;                                  // unknown
                case 0x01: roots++; skip(2L * idSize); return 2L * idSize;                        // JNI global
                case 0x02: case 0x03: roots++; skip(idSize + 8); return idSize + 8;               // JNI local, java frame
                case 0x04: case 0x06: roots++; skip(idSize + 4); return idSize + 4;               // native stack, thread block
                case 0x05: case 0x07: roots++; skip(idSize); return idSize;                       // sticky class, monitor used
                case 0x08: roots++; skip(idSize + 8); return idSize + 8;                          // thread object
                case 0x20: return classDump();
                case 0x21: return instanceDump();
                case 0x22: return objectArrayDump();
                case 0x23: return primitiveArrayDump();
                default: throw new IOException("unknown heap dump sub-record tag 0x" + Integer.toHexString(tag));
            }
        }

        private long classDump() throws IOException {
            classes++;
            long read = 0;
            long classId = id();
            skip(4);
            long superId = id();
            long loaderId = id();
            read += 3L * idSize + 4;
            if (superId != 0) {
                references++;
            }
            if (loaderId != 0) {
                references++;
            }
            skip(4L * idSize + 4); // signers, protection domain, 2 reserved, instance size
            read += 4L * idSize + 4;
            int constants = in.readUnsignedShort();
            read += 2;
            for (int i = 0; i < constants; i++) {
                skip(2);
                int type = in.readUnsignedByte();
                read += 3 + value(type);
            }
            int statics = in.readUnsignedShort();
            read += 2;
            for (int i = 0; i < statics; i++) {
                skip(idSize);
                int type = in.readUnsignedByte();
                read += idSize + 1 + value(type);
            }
            int fields = in.readUnsignedShort();
            read += 2;
            byte[] types = new byte[fields];
            for (int i = 0; i < fields; i++) {
                skip(idSize);
                types[i] = in.readByte();
                read += idSize + 1;
            }
            shapes.put(classId, new ClassShape(superId, types));
            return read;
        }

        private long instanceDump() throws IOException {
            instances++;
            skip(idSize + 4);
            long classId = id();
            long length = Integer.toUnsignedLong(in.readInt());
            long consumed = 0;
            for (ClassShape shape = shapes.get(classId); shape != null; shape = shapes.get(shape.superId)) {
                for (byte type : shape.fieldTypes) {
                    consumed += value(type);
                }
            }
            if (consumed > length) {
                throw new IOException("instance fields overrun their record");
            }
            skip(length - consumed);
            return 2L * idSize + 8 + length;
        }

        private long objectArrayDump() throws IOException {
            objectArrays++;
            skip(idSize + 4);
            int count = in.readInt();
            skip(idSize);
            for (int i = 0; i < count; i++) {
                if (id() != 0) {
                    references++;
                }
            }
            return 2L * idSize + 8 + (long) count * idSize;
        }

        private long primitiveArrayDump() throws IOException {
            primitiveArrays++;
            skip(idSize + 4);
            int count = in.readInt();
            int type = in.readUnsignedByte();
            long bytes = (long) count * width(type);
            skip(bytes);
            return idSize + 9 + bytes;
        }

        /** Reads a value of the given basic type, counting it if it is a non-null reference. */
        private int value(int type) throws IOException {
            if (type == 2) {
                if (id() != 0) {
                    references++;
                }
                return idSize;
            }
            int width = width(type);
            skip(width);
            return width;
        }

        private int width(int type) throws IOException {
            switch (type) {
                case 2: return idSize;
                case 4: case 8: return 1;
                case 5: case 9: return 2;
                case 6: case 10: return 4;
                case 7: case 11: return 8;
                default: throw new IOException("unknown basic type " + type);
            }
        }

        private long id() throws IOException {
            return idSize == 8 ? in.readLong() : Integer.toUnsignedLong(in.readInt());
        }

        private void skip(long n) throws IOException {
            long left = n;
            while (left > 0) {
                int skipped = in.skipBytes((int) Math.min(left, Integer.MAX_VALUE));
                if (skipped <= 0) {
                    throw new EOFException();
                }
                left -= skipped;
            }
        }
    }

    private record ClassShape(long superId, byte[] fieldTypes) {
    }
}

package dev.heaplens.graph;

import dev.heaplens.capture.CaptureException;
import dev.heaplens.capture.JvmConnection;
import dev.heaplens.capture.JvmInfo;
import dev.heaplens.hprof.BasicType;


/**
 * The HotSpot flags that decide how many bytes an object occupies: header width, reference width,
 * object alignment, and the JDK feature release (some rules changed between releases).
 *
 * <p>An HPROF dump records none of this, so a dump's shallow sizes are only as right as the
 * {@code VmLayout} they are computed with. Use {@link #ofCurrentJvm()} for a dump of the running JVM,
 * the factories for the common configurations, and {@link #withJavaFeature(int)} /
 * {@link #withObjectAlignment(int)} to refine them.
 *
 * <p>Sizes follow HotSpot on 64-bit platforms:
 * <ul>
 *   <li>instance header: 8 bytes with compact object headers (JDK 24+), 12 with compressed class
 *       pointers, 16 without;</li>
 *   <li>references: 4 bytes with compressed oops, 8 without;</li>
 *   <li>arrays: the {@code int} length follows the header (at 8, 12 or 16); the first element follows
 *       the length, aligned to 8 for {@code long}/{@code double} (and for references when oops are not
 *       compressed). Before JDK 22 HotSpot aligned every array's first element to 8 bytes instead
 *       (JDK-8139457 changed that), which only makes a difference without compressed class pointers;</li>
 *   <li>every object's size is rounded up to {@link #objectAlignment()}.</li>
 * </ul>
 *
 * @param compressedOops           {@code -XX:+UseCompressedOops}: references are 4 bytes
 * @param compressedClassPointers  {@code -XX:+UseCompressedClassPointers}: the class word is 4 bytes
 * @param compactObjectHeaders     {@code -XX:+UseCompactObjectHeaders} (JDK 24+): the class pointer lives in
 *                                 the 8-byte mark word; implies compressed class pointers. (Named after the
 *                                 flag so that the accessor does not clash with the {@link #compactHeaders()} factory.)
 * @param objectAlignment          {@code -XX:ObjectAlignmentInBytes}, a power of two from 8 to 256
 * @param javaFeature              the JDK feature release ({@code 17}, {@code 25}, ...), or {@code 0} when
 *                                 unknown, which selects the newest rules consistent with the flags
 *                                 (unaligned array bases, the newest JDK's injected and
 *                                 {@code @Contended} fields; see {@link FieldLayoutModel})
 */
public record VmLayout(boolean compressedOops, boolean compressedClassPointers, boolean compactObjectHeaders,
                       int objectAlignment, int javaFeature) {

    /** The JDK release that stopped aligning array bases to 8 bytes (JDK-8139457). */
    private static final int UNALIGNED_ARRAY_BASE_SINCE = 22;
    /** The first JDK release with {@code -XX:+UseCompactObjectHeaders} (JEP 450). */
    private static final int COMPACT_HEADERS_SINCE = 24;

    /** Validates the combination: HotSpot refuses the ones rejected here. */
    public VmLayout {
        if (objectAlignment < 8 || objectAlignment > 256 || Integer.bitCount(objectAlignment) != 1) {
            throw new IllegalArgumentException("objectAlignment must be a power of two in [8, 256]: " + objectAlignment);
        }
        if (javaFeature < 0) {
            throw new IllegalArgumentException("javaFeature must be 0 (unknown) or a JDK feature release: " + javaFeature);
        }
        if (compactObjectHeaders && !compressedClassPointers) {
            throw new IllegalArgumentException("compact object headers require compressed class pointers");
        }
        if (compactObjectHeaders && javaFeature != 0 && javaFeature < COMPACT_HEADERS_SINCE) {
            throw new IllegalArgumentException("compact object headers need JDK " + COMPACT_HEADERS_SINCE + "+, not " + javaFeature);
        }
    }

    /** The JVM's defaults for heaps below 32 GB: compressed oops and class pointers, 12-byte headers. */
    public static VmLayout compressed() {
        return new VmLayout(true, true, false, 8, 0);
    }

    /**
     * {@code -XX:-UseCompressedOops}, the default for heaps of 32 GB and more: 8-byte references.
     * Compressed class pointers stay on (JDK 15+ decoupled them from compressed oops), so headers
     * remain 12 bytes.
     */
    public static VmLayout uncompressedOops() {
        return new VmLayout(false, true, false, 8, 0);
    }

    /** {@code -XX:+UseCompactObjectHeaders} (JDK 24+) with compressed oops: 8-byte headers. */
    public static VmLayout compactHeaders() {
        return new VmLayout(true, true, true, 8, 0);
    }

    /**
     * The layout of the running JVM, read through {@code HotSpotDiagnosticMXBean}. Flags the JVM does
     * not have (e.g. {@code UseCompactObjectHeaders} before JDK 24) count as off; on a JVM without
     * that bean (not HotSpot) the result is {@link #compressed()} for this JDK release.
     */
    public static VmLayout ofCurrentJvm() {
        try {
            return of(JvmConnection.self().info());
        } catch (CaptureException | LinkageError e) {
            return compressed().withJavaFeature(Runtime.version().feature()); // jdk.management missing, or not HotSpot
        }
    }

    /**
     * The layout of the JVM a capture describes (its {@code UseCompressedOops},
     * {@code UseCompressedClassPointers}, {@code UseCompactObjectHeaders}, {@code ObjectAlignmentInBytes}
     * and release), as {@code Heap.open} takes it from a snapshot's sidecar.
     */
    public static VmLayout of(JvmInfo jvm) {
        return new VmLayout(jvm.compressedOops(), jvm.compressedClassPointers() || jvm.compactHeadersOn(),
                jvm.compactHeadersOn(), jvm.objectAlignmentInBytes(), jvm.javaFeature());
    }

    /** This layout for another JDK feature release ({@code 0} = unknown, newest rules). */
    public VmLayout withJavaFeature(int feature) {
        return new VmLayout(compressedOops, compressedClassPointers, compactObjectHeaders, objectAlignment, feature);
    }

    /** This layout with another {@code -XX:ObjectAlignmentInBytes}. */
    public VmLayout withObjectAlignment(int alignment) {
        return new VmLayout(compressedOops, compressedClassPointers, compactObjectHeaders, alignment, javaFeature);
    }

    /** Whether the JDK release is known to be at least {@code feature}; an unknown release counts as newest. */
    boolean atLeast(int feature) {
        return javaFeature == 0 || javaFeature >= feature;
    }

    /** Bytes before the first instance field: mark word plus class word. */
    public int instanceHeaderBytes() {
        return compactObjectHeaders ? 8 : compressedClassPointers ? 12 : 16;
    }

    /** Width of a reference field or array element. */
    public int referenceBytes() {
        return compressedOops ? 4 : 8;
    }

    /** Width in the VM of a field or element of the given type. */
    public int valueBytes(BasicType type) {
        return type == BasicType.OBJECT ? referenceBytes() : type.primitiveSize();
    }

    /**
     * Offset of an array's {@code int} length: right after the mark word with compact headers, in
     * the second half of the class word with compressed class pointers, after a full class word
     * otherwise.
     */
    public int arrayLengthOffset() {
        return compactObjectHeaders ? 8 : compressedClassPointers ? 12 : 16;
    }

    /** Offset of the first element of an array of {@code element}s. */
    public int arrayBaseOffset(BasicType element) {
        int header = arrayLengthOffset() + 4;
        if (!atLeast(UNALIGNED_ARRAY_BASE_SINCE)) {
            return (int) alignUp(header, 8); // JDK <= 21: the header is a whole number of heap words
        }
        boolean eightByteElements = element == BasicType.LONG || element == BasicType.DOUBLE
                || (element == BasicType.OBJECT && !compressedOops);
        return eightByteElements ? (int) alignUp(header, 8) : header;
    }

    /** Size in the heap of an array of {@code length} {@code element}s, aligned. */
    public long arraySize(BasicType element, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative array length: " + length);
        }
        return align(arrayBaseOffset(element) + length * valueBytes(element));
    }

    /** Rounds {@code bytes} up to the object alignment. */
    public long align(long bytes) {
        return alignUp(bytes, objectAlignment);
    }

    static long alignUp(long value, int alignment) {
        return (value + alignment - 1) & -(long) alignment;
    }
}

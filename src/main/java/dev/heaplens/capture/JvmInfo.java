package dev.heaplens.capture;

import dev.heaplens.text.TextTable;

/**
 * Which JVM a capture came from, and the VM options that decide object sizes in its heap.
 *
 * <pre>{@code
 * JvmInfo jvm = Heap.capture().jvm();
 * jvm.compressedOops();       // false for -XX:-UseCompressedOops or heaps of 32 GB and more
 * }</pre>
 *
 * @param pid                     the process id
 * @param vmName                  {@code java.vm.name}, e.g. {@code OpenJDK 64-Bit Server VM}
 * @param vmVendor                {@code java.vm.vendor}
 * @param vmVersion               {@code java.vm.version}, e.g. {@code 17.0.15+6-Debian-1deb12u1}
 * @param javaVersion             {@code java.version}, e.g. {@code 17.0.15}
 * @param compressedOops          {@code -XX:+UseCompressedOops}
 * @param compressedClassPointers {@code -XX:+UseCompressedClassPointers}
 * @param objectAlignmentInBytes  {@code -XX:ObjectAlignmentInBytes}
 * @param compactObjectHeaders    {@code -XX:+UseCompactObjectHeaders}, or {@code null} on a JVM without
 *                                that flag (before JDK 24)
 * @param nativeMemoryTracking    {@code -XX:NativeMemoryTracking}: {@code off}, {@code summary} or {@code detail}
 */
public record JvmInfo(long pid, String vmName, String vmVendor, String vmVersion, String javaVersion,
                      boolean compressedOops, boolean compressedClassPointers, int objectAlignmentInBytes,
                      Boolean compactObjectHeaders, String nativeMemoryTracking) {

    /** The JDK feature release ({@code 17}, {@code 25}), or {@code 0} if {@link #javaVersion()} does not say. */
    public int javaFeature() {
        try {
            return Runtime.Version.parse(javaVersion).feature();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Whether compact object headers are on (false where the JVM has no such flag). */
    public boolean compactHeadersOn() {
        return Boolean.TRUE.equals(compactObjectHeaders);
    }

    /** A two-column table: the JVM and its size-relevant options. */
    @Override
    public String toString() {
        TextTable t = new TextTable("JVM", "");
        t.row("pid", pid);
        t.row("vm", vmName + " " + vmVersion + " (" + vmVendor + ")");
        t.row("java.version", javaVersion);
        t.row("UseCompressedOops", compressedOops);
        t.row("UseCompressedClassPointers", compressedClassPointers);
        t.row("ObjectAlignmentInBytes", objectAlignmentInBytes);
        t.row("UseCompactObjectHeaders", compactObjectHeaders == null ? "(no such flag)" : compactObjectHeaders);
        t.row("NativeMemoryTracking", nativeMemoryTracking);
        return t.toString();
    }
}

package dev.heaplens.graph;

import dev.heaplens.hprof.BasicType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Header and array arithmetic per flag set. The expected numbers are HotSpot's, as
 * {@code FieldLayoutModelTest} confirms against live JVMs' class histograms; here they pin the
 * arithmetic down for flag sets no JVM on the build machine runs with.
 */
class VmLayoutTest {

    @Test
    void compressedDefaults() {
        VmLayout vm = VmLayout.compressed();
        assertEquals(12, vm.instanceHeaderBytes());
        assertEquals(4, vm.referenceBytes());
        assertEquals(12, vm.arrayLengthOffset());
        for (BasicType t : BasicType.values()) {
            assertEquals(16, vm.arrayBaseOffset(t), t.name());
        }
        assertEquals(16, vm.arraySize(BasicType.BYTE, 0));
        assertEquals(24, vm.arraySize(BasicType.BYTE, 8));
        assertEquals(24, vm.arraySize(BasicType.INT, 2));
        assertEquals(32, vm.arraySize(BasicType.INT, 3));
        assertEquals(24, vm.arraySize(BasicType.OBJECT, 1));
        assertEquals(16 + 8L * 1_000_000, vm.arraySize(BasicType.LONG, 1_000_000));
    }

    @Test
    void uncompressedOopsKeepCompressedClassPointers() {
        VmLayout vm = VmLayout.uncompressedOops();
        assertTrue(vm.compressedClassPointers());
        assertEquals(12, vm.instanceHeaderBytes());
        assertEquals(8, vm.referenceBytes());
        assertEquals(16, vm.arrayBaseOffset(BasicType.OBJECT));
        assertEquals(24, vm.arraySize(BasicType.OBJECT, 1));
    }

    @Test
    void noCompressedClassPointersArraysDependOnTheRelease() {
        VmLayout newest = new VmLayout(false, false, false, 8, 0);
        assertEquals(16, newest.instanceHeaderBytes());
        assertEquals(16, newest.arrayLengthOffset());
        // JDK 22+: the base follows the length, aligned only as the elements need.
        assertEquals(20, newest.arrayBaseOffset(BasicType.BYTE));
        assertEquals(20, newest.arrayBaseOffset(BasicType.INT));
        assertEquals(24, newest.arrayBaseOffset(BasicType.LONG));
        assertEquals(24, newest.arrayBaseOffset(BasicType.OBJECT)); // 8-byte oops
        assertEquals(24, newest.arraySize(BasicType.INT, 1));
        // JDK 17: the header is three heap words whatever the element.
        VmLayout jdk17 = newest.withJavaFeature(17);
        assertEquals(24, jdk17.arrayBaseOffset(BasicType.BYTE));
        assertEquals(32, jdk17.arraySize(BasicType.INT, 1));
        // With compressed oops but not class pointers, JDK 22+ puts 4-byte oops at 20.
        assertEquals(20, new VmLayout(true, false, false, 8, 25).arrayBaseOffset(BasicType.OBJECT));
    }

    @Test
    void compactHeaders() {
        VmLayout vm = VmLayout.compactHeaders();
        assertTrue(vm.compactObjectHeaders());
        assertEquals(8, vm.instanceHeaderBytes());
        assertEquals(8, vm.arrayLengthOffset());
        assertEquals(12, vm.arrayBaseOffset(BasicType.BYTE));
        assertEquals(12, vm.arrayBaseOffset(BasicType.CHAR));
        assertEquals(12, vm.arrayBaseOffset(BasicType.INT));
        assertEquals(12, vm.arrayBaseOffset(BasicType.OBJECT));
        assertEquals(16, vm.arrayBaseOffset(BasicType.LONG));
        assertEquals(16, vm.arrayBaseOffset(BasicType.DOUBLE));
        assertEquals(16, vm.arraySize(BasicType.BYTE, 4));
        assertEquals(24, vm.arraySize(BasicType.BYTE, 5));
        assertEquals(16, vm.arraySize(BasicType.OBJECT, 1));
        assertEquals(16, vm.arraySize(BasicType.INT, 0));
        assertEquals(16, vm.arraySize(BasicType.LONG, 0));
        assertEquals(24, vm.arraySize(BasicType.LONG, 1));
    }

    @Test
    void objectAlignment() {
        VmLayout vm = VmLayout.compressed().withObjectAlignment(16);
        assertEquals(16, vm.align(1));
        assertEquals(32, vm.align(17));
        assertEquals(32, vm.arraySize(BasicType.INT, 3));
        assertEquals(0, vm.align(0));
    }

    @Test
    void rejectsWhatHotSpotRejects() {
        assertThrows(IllegalArgumentException.class, () -> new VmLayout(true, true, false, 12, 0));
        assertThrows(IllegalArgumentException.class, () -> new VmLayout(true, true, false, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> new VmLayout(true, true, false, 512, 0));
        assertThrows(IllegalArgumentException.class, () -> new VmLayout(true, false, true, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> new VmLayout(true, true, true, 8, 17));
        assertThrows(IllegalArgumentException.class, () -> new VmLayout(true, true, false, 8, -1));
        assertThrows(IllegalArgumentException.class, () -> VmLayout.compressed().arraySize(BasicType.INT, -1));
    }

    @Test
    void ofCurrentJvmReadsTheFlags() {
        VmLayout vm = VmLayout.ofCurrentJvm();
        assertEquals(Runtime.version().feature(), vm.javaFeature());
        // The test JVM runs with default flags and a 2 GB heap (see the surefire configuration).
        assertTrue(vm.compressedOops());
        assertTrue(vm.compressedClassPointers());
        assertEquals(8, vm.objectAlignment());
        if (Runtime.version().feature() < 24) {
            assertFalse(vm.compactObjectHeaders());
        }
    }
}

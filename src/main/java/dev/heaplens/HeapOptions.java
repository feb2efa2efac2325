package dev.heaplens;

import dev.heaplens.graph.VmLayout;
import dev.heaplens.hprof.HprofBuffer;

/**
 * How {@link Heap#open(java.nio.file.Path, HeapOptions)} reads a dump.
 *
 * <pre>{@code
 * Heap.open(path, HeapOptions.defaults().lenient(true).layout(VmLayout.uncompressedOops()));
 * }</pre>
 *
 * @param lenient   keep what is complete in a truncated or damaged dump, and say what was lost,
 *                  instead of failing
 * @param layout    the VM flags shallow sizes follow; {@code null} infers them from the dump
 * @param chunkBits map the file in chunks of {@code 2^chunkBits} bytes (tests use tiny chunks)
 * @param threads   threads for the graph build
 */
public record HeapOptions(boolean lenient, VmLayout layout, int chunkBits, int threads) {

    /** Strict, inferred layout, 1 GiB chunks, up to 4 threads. */
    public static HeapOptions defaults() {
        return new HeapOptions(false, null, HprofBuffer.DEFAULT_CHUNK_BITS,
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    }

    /** These options with lenient reading on or off. */
    public HeapOptions lenient(boolean lenient) {
        return new HeapOptions(lenient, layout, chunkBits, threads);
    }

    /** These options with the given VM layout ({@code null} to infer). */
    public HeapOptions layout(VmLayout layout) {
        return new HeapOptions(lenient, layout, chunkBits, threads);
    }

    /** These options with another map chunk size. */
    public HeapOptions chunkBits(int chunkBits) {
        return new HeapOptions(lenient, layout, chunkBits, threads);
    }

    /** These options with another thread count. */
    public HeapOptions threads(int threads) {
        return new HeapOptions(lenient, layout, chunkBits, threads);
    }
}

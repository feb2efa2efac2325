package dev.heaplens.hprof;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * Unmaps a memory-mapped buffer now rather than when the garbage collector finds it, through
 * {@code sun.misc.Unsafe.invokeCleaner} (module {@code jdk.unsupported}, no {@code --add-exports}
 * needed). Where that is unavailable, unmapping is left to the collector.
 *
 * <p>Reading an unmapped buffer crashes the JVM, so callers unmap only buffers no thread can reach.
 */
final class Unmapper {
    private static final MethodHandle INVOKE_CLEANER = find();

    private Unmapper() {
    }

    private static MethodHandle find() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field field = unsafeClass.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            Object unsafe = field.get(null);
            return MethodHandles.lookup()
                    .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                    .bindTo(unsafe);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Unmaps {@code buffer} if it is a mapped (direct, non-slice) buffer; returns whether it did. */
    static boolean unmap(ByteBuffer buffer) {
        if (INVOKE_CLEANER == null || !buffer.isDirect()) {
            return false;
        }
        try {
            INVOKE_CLEANER.invokeExact(buffer);
            return true;
        } catch (Throwable e) {
            return false;
        }
    }
}

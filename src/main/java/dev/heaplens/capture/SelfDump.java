package dev.heaplens.capture;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Dumps the heap of the running JVM through {@code HotSpotDiagnosticMXBean}.
 *
 * <pre>{@code
 * Path dump = SelfDump.liveObjects(Files.createTempDirectory("heap").resolve("self.hprof"));
 * }</pre>
 */
public final class SelfDump {
    private SelfDump() {
    }

    /**
     * Writes the live objects (after a full GC) of this JVM to {@code target}, which must not exist
     * (HotSpot refuses to overwrite, and so do we).
     */
    public static Path liveObjects(Path target) {
        if (Files.exists(target)) {
            throw new IllegalArgumentException("will not overwrite " + target);
        }
        try {
            HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            bean.dumpHeap(target.toAbsolutePath().toString(), true);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("heap dump to " + target + " failed: " + e.getMessage(), e);
        }
    }
}

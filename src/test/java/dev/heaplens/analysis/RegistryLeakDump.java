package dev.heaplens.analysis;

import dev.heaplens.fixtures.RegistryLeakWorkload;
import dev.heaplens.testing.ChildJvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** One dump of {@link RegistryLeakWorkload} per test run, shared by the path tests and deleted when the JVM exits. */
final class RegistryLeakDump {
    /** How many objects the workload leaks. */
    static final int LEAKED = 1000;

    private static Path dump;

    private RegistryLeakDump() {
    }

    static synchronized Path get() {
        if (dump != null) {
            return dump;
        }
        try {
            Path dir = Files.createTempDirectory("heaplens-paths");
            Path target = dir.resolve("registry-leak.hprof").toAbsolutePath();
            try (ChildJvm child = ChildJvm.start(ChildJvm.currentJavaHome(), RegistryLeakWorkload.class,
                    List.of("-Xmx64m"), Integer.toString(LEAKED))) {
                child.heapDump(target, false);
            }
            target.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            dump = target;
            return dump;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

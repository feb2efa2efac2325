package dev.heaplens.analysis;

import dev.heaplens.fixtures.RegistryLeakWorkload;
import dev.heaplens.testing.RealDumps;

import java.nio.file.Path;
import java.util.List;

/** One dump of {@link RegistryLeakWorkload} per build, shared by the path tests. */
final class RegistryLeakDump {
    /** How many objects the workload leaks. */
    static final int LEAKED = 1000;

    private RegistryLeakDump() {
    }

    static Path get() {
        return RealDumps.of("registry-leak-" + LEAKED + ".hprof", RegistryLeakWorkload.class, List.of("-Xmx64m"), false,
                Integer.toString(LEAKED));
    }
}

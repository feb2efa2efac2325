package dev.heaplens.leaks;

import dev.heaplens.Snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The dumps leak checks left in a directory: each perhaps with its snapshot sidecar beside it, and nothing else. */
public final class KeptDumps {
    private KeptDumps() {
    }

    /** The {@code .hprof} files of {@code dir}, after checking that every other file is one's sidecar, and that every sidecar has its dump. */
    public static List<Path> in(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            List<Path> dumps = all.stream().filter(p -> p.getFileName().toString().endsWith(".hprof")).sorted().toList();
            Set<Path> allowed = dumps.stream().flatMap(p -> Stream.of(p, Snapshot.sidecarOf(p))).collect(Collectors.toSet());
            assertEquals(List.of(), all.stream().filter(p -> !allowed.contains(p)).toList(),
                    "dumps of failed checks (and their sidecars), nothing else");
            return dumps;
        }
    }
}

package dev.heaplens;

import dev.heaplens.capture.CaptureOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots of a scenario in one directory, numbered, listed in order, resumable. */
class SnapshotSeriesTest {
    @TempDir
    Path temp;

    @Test
    void numberedInOrderAndResumable() throws Exception {
        Path dir = temp.resolve("scenario");
        SnapshotSeries series = SnapshotSeries.in(dir);
        assertTrue(Files.isDirectory(dir));
        List<Object> grown = new ArrayList<>();
        Snapshot first = series.take("baseline");
        for (int i = 0; i < 5000; i++) {
            grown.add(new int[] {i});
        }
        Snapshot second = series.take();
        assertEquals(dir.resolve("snapshot-001.hprof"), first.dump());
        assertEquals(dir.resolve("snapshot-002.hprof"), second.dump());
        assertEquals("baseline", first.label());
        Files.writeString(dir.resolve("notes.txt"), "not a snapshot");
        Files.writeString(dir.resolve("snapshot-007.hprof.json"), "{}"); // a sidecar whose dump was deleted

        SnapshotSeries resumed = SnapshotSeries.in(dir).options(CaptureOptions.defaults().gzip(true));
        Snapshot third = resumed.take("after growth");
        assertEquals(dir.resolve("snapshot-008.hprof.gz"), third.dump(), "numbers continue after the highest, gaps stay");
        assertEquals(List.of(first.dump(), second.dump(), third.dump()), resumed.dumps());
        List<Snapshot> snapshots = resumed.snapshots();
        assertEquals(List.of(first, second, third), snapshots);
        assertEquals("after growth", snapshots.get(2).label());
        assertTrue(snapshots.get(1).time().compareTo(snapshots.get(0).time()) >= 0);
        String table = resumed.toString();
        assertTrue(table.contains("snapshot-008.hprof.gz") && table.contains("baseline") && table.contains("3 snapshots in " + dir), table);
        assertEquals(5000, grown.size());
    }

    @Test
    void aDumpWithoutSidecarIsListedButCannotBeASnapshot() throws Exception {
        SnapshotSeries series = SnapshotSeries.in(temp);
        Files.writeString(temp.resolve("snapshot-003.hprof"), "copied in by hand");
        assertEquals(List.of(temp.resolve("snapshot-003.hprof")), series.dumps());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, series::snapshots);
        assertTrue(e.getMessage().contains("snapshot-003.hprof has no snapshot metadata"), e.getMessage());
    }
}

package dev.heaplens.diff;

import dev.heaplens.Heap;
import dev.heaplens.hprof.HprofWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Class histogram diffs on exact fixtures: deltas, new and vanished classes, loaders matched by ordinal, sorting. */
class HistogramDiffTest {
    private static final String LOADER = "com.acme.PluginLoader";
    @TempDir
    Path temp;

    /**
     * Instances of each class, all held by JNI globals; two plugin loaders, each defining one plugin
     * class; {@code Old} and {@code New} are loaded only when they have instances.
     */
    private Path dump(String name, long loaderOfA, long loaderOfB, int old, int kept, int newer, int pluginsA, int pluginsB)
            throws IOException {
        HprofWriter w = HprofWriter.create(8)
                .classDump(LOADER)
                .classDump("com.acme.Kept")
                .classDump("com.acme.a.Plugin")
                .classDump("com.acme.b.Plugin")
                .classLoader("com.acme.a.Plugin", loaderOfA)
                .classLoader("com.acme.b.Plugin", loaderOfB)
                .instance(loaderOfA, LOADER)
                .instance(loaderOfB, LOADER)
                .jniGlobalRoot(loaderOfA)
                .jniGlobalRoot(loaderOfB);
        if (old > 0) {
            w.classDump("com.acme.Old");
        }
        if (newer > 0) {
            w.classDump("com.acme.New");
        }
        long id = 0x1000;
        for (String[] c : new String[][] {{"com.acme.Old", "" + old}, {"com.acme.Kept", "" + kept}, {"com.acme.New", "" + newer},
                {"com.acme.a.Plugin", "" + pluginsA}, {"com.acme.b.Plugin", "" + pluginsB}}) {
            for (int i = 0; i < Integer.parseInt(c[1]); i++) {
                w.instance(id, c[0]).jniGlobalRoot(id);
                id += 0x10;
            }
        }
        Path dir = Files.createDirectories(temp.resolve(name));
        return w.write(dir);
    }

    @Test
    void deltasNewAndVanishedClassesAndLoadersMatchedByOrdinalNotId() throws IOException {
        // the loaders swap ids and order between the dumps; a.Plugin's loader is #0 in both (it defines the smaller name)
        Path before = dump("a", 0x500, 0x400, 1, 2, 0, 2, 1);
        Path after = dump("b", 0x600, 0x700, 0, 5, 1, 2, 3);
        HistogramDiff classes;
        try (Heap a = Heap.open(before); Heap b = Heap.open(after)) {
            HeapDiff diff = HeapDiff.of(a, b);
            classes = diff.classes();
            assertEquals(16, a.findClass("com.acme.Kept").instanceSize());
        }
        ClassKey pluginA = new ClassKey("com.acme.a.Plugin", LOADER, 0);
        ClassKey pluginB = new ClassKey("com.acme.b.Plugin", LOADER, 1);
        assertNull(classes.row(pluginA), "unchanged: not a row\n" + classes);
        ClassDelta b = classes.row(pluginB);
        // a lone instance also retains its class object (MAT: an instance references its class), 48 bytes here
        assertEquals(List.of(1L, 3L, 16L, 48L, 16L + 48L, 48L), List.of(b.countBefore(), b.countAfter(), b.shallowBefore(), b.shallowAfter(),
                b.retainedBefore(), b.retainedAfter()), classes.toString());
        ClassDelta kept = classes.row("com.acme.Kept");
        assertEquals(List.of(3L, 48L, 48L), List.of(kept.deltaCount(), kept.deltaShallow(), kept.deltaRetained()));
        ClassDelta newer = classes.row("com.acme.New");
        assertTrue(newer.isNew() && !newer.isVanished() && newer.deltaCount() == 1);
        ClassDelta old = classes.row("com.acme.Old");
        assertTrue(old.isVanished() && old.deltaCount() == -1 && old.countAfter() == 0);
        assertEquals(List.of(newer), classes.newClasses());
        assertEquals(List.of(old), classes.vanishedClasses());

        assertEquals(List.of("com.acme.Kept", "com.acme.b.Plugin", "com.acme.New", "com.acme.Old"),
                classes.sortedBy(HistogramDiff.Column.DELTA_COUNT).rows().stream().filter(d -> d.className().startsWith("com.acme"))
                        .map(ClassDelta::className).toList());
        assertEquals("com.acme.Old", classes.sortedBy(HistogramDiff.Column.DELTA_COUNT).reversed().rows().get(0).className());
        List<String> byName = classes.sortedBy(HistogramDiff.Column.CLASS).rows().stream().map(ClassDelta::className).toList();
        assertEquals(byName.stream().sorted().toList(), byName);
        assertEquals(1, classes.top(1).rows().size());
        String table = classes.toString();
        assertTrue(table.contains("com.acme.New (new)") && table.contains("com.acme.Old (vanished)"), table);
    }
}

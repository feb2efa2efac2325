package dev.heaplens.analysis;

import dev.heaplens.Heap;
import dev.heaplens.HeapOptions;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.graph.VmLayout;
import dev.heaplens.hprof.HprofWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static dev.heaplens.hprof.BasicType.INT;
import static dev.heaplens.hprof.BasicType.OBJECT;
import static dev.heaplens.hprof.HprofWriter.fields;
import static dev.heaplens.hprof.HprofWriter.ref;
import static dev.heaplens.hprof.HprofWriter.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Navigation of the dominator tree and references: children, group by class, retained sets, inbound and outbound. */
class NavigationTest {
    @TempDir
    Path temp;

    /**
     * Root holder(1) → list(2) → nodes 3, 4, 5 (each → its payload int[] 13, 14, 15); node 5 is
     * also referenced from a second root holder(6), so only 3 and 4 are dominated by the list. The
     * classes are system classes, or an array class reachable only through its instance (the
     * instance→class edge) would be dominated by that instance.
     */
    private Heap open() throws IOException {
        Path dump = HprofWriter.create(8)
                .classDump("Holder", fields("list", OBJECT))
                .classDump("Node", fields("payload", OBJECT, "n", INT))
                .instance(1, "Holder", ref(2))
                .objectArray(2, "Node[]", ref(3), ref(4), ref(5))
                .instance(3, "Node", ref(13), value(3))
                .instance(4, "Node", ref(14), value(4))
                .instance(5, "Node", ref(15), value(5))
                .primitiveArray(13, INT, new int[10])
                .primitiveArray(14, INT, new int[10])
                .primitiveArray(15, INT, new int[10])
                .instance(6, "Holder", ref(5))
                .unknownRoot(1)
                .unknownRoot(6)
                .stickyClassRoot("Holder")
                .stickyClassRoot("Node")
                .stickyClassRoot("Node[]")
                .stickyClassRoot("int[]")
                .write(temp);
        return Heap.open(dump, HeapOptions.defaults().layout(VmLayout.compressed()));
    }

    @Test
    void childrenRetainedSetsAndGroups() throws IOException {
        try (Heap heap = open()) {
            ObjectGraph g = heap.graph();
            DominatorTree tree = heap.dominators();
            int list = g.indexOf(2);
            assertEquals(List.of(g.indexOf(3), g.indexOf(4)).stream().sorted().toList(),
                    tree.childIndices(list).intStream().sorted().boxed().toList());
            assertEquals(g.indexOf(1), tree.immediateDominator(list));
            assertEquals(DominatorTree.ROOT, tree.immediateDominator(g.indexOf(5)), "held by two roots' holders");
            // Node: 12 + ref 4 + int 4 = 24 (here 20 → 24); int[10]: 16 + 40 = 56
            long nodeAndPayload = 24 + 56;
            assertEquals(g.shallowSize(list) + 2 * nodeAndPayload, tree.retainedSize(list));
            assertEquals(5, tree.retainedSet(list).getCardinality());
            DominatorGroups groups = heap.dominatorsByClass(heap.object(2));
            assertEquals(1, groups.groups().size());
            assertEquals("Node", groups.groups().get(0).className());
            assertEquals(2, groups.groups().get(0).count());
            assertEquals(2 * nodeAndPayload, groups.groups().get(0).retainedBytes());
            assertTrue(heap.dominatorsByClass().toString().contains("Holder"));
            // classes: Node instances 3 and 4 are under the list, 5 is top-level: all three count once
            assertEquals(3 * nodeAndPayload, tree.classRetainedSize(g.classes().find("Node")));
        }
    }

    @Test
    void outboundAndInboundReferencesWithTheirFields() throws IOException {
        try (Heap heap = open()) {
            ObjectGraph g = heap.graph();
            References out = heap.outbound(heap.object(2));
            assertEquals(List.of("[0]", "[1]", "[2]", "<class>"), out.list().stream().map(References.Reference::via).toList());
            assertEquals(g.indexOf(5), out.list().get(2).object());
            References in = heap.inbound(heap.object(5));
            assertEquals(2, in.size());
            assertEquals(List.of("[2]", ".list").stream().sorted().toList(),
                    in.list().stream().map(References.Reference::via).sorted().toList());
            assertEquals(2, g.inbound().inDegree(g.indexOf(5)));
            assertEquals("Node", out.byClass().get(0).className());
            assertEquals(3, out.byClass().get(0).count());
            assertTrue(in.toString().contains("Holder@0x6"), in.toString());
        }
    }
}

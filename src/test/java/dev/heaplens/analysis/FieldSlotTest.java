package dev.heaplens.analysis;

import dev.heaplens.Heap;
import dev.heaplens.graph.ClassKind;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.testing.RealDumps;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A reference field's target taken from the out-edges equals the one its id in the file resolves to. */
class FieldSlotTest {

    @Test
    void everyReferenceFieldOfARealDumpResolvesAsItsIdDoes() {
        try (Heap heap = Heap.open(RealDumps.workload())) {
            ObjectGraph graph = heap.graph();
            FieldSlot[][] slots = new FieldSlot[graph.classes().size()][];
            long checked = 0;
            long fromEdges = 0;
            for (int obj = 0; obj < graph.objectCount(); obj++) {
                int c = graph.classOf(obj);
                if (graph.isClassObject(obj) || graph.classes().kind(c) != ClassKind.INSTANCE) {
                    continue;
                }
                if (slots[c] == null) {
                    slots[c] = FieldSlot.references(graph, c);
                }
                for (FieldSlot slot : slots[c]) {
                    long id = slot.raw(obj);
                    int expected = id == 0 ? -1 : graph.indexOf(id);
                    assertEquals(expected, slot.target(obj), "field " + slot.name() + " of object " + obj);
                    checked++;
                }
                if (slots[c].length > 0 && graph.outDegree(obj) == slots[c].length) {
                    fromEdges++;
                }
            }
            assertTrue(checked > 20_000 && fromEdges > 10_000, checked + " fields, " + fromEdges + " objects read from the edges");
        }
    }
}

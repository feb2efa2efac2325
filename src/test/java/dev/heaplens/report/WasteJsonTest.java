package dev.heaplens.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heaplens.Heap;
import dev.heaplens.HeapOptions;
import dev.heaplens.analysis.CollectionFill;
import dev.heaplens.analysis.DuplicateStrings;
import dev.heaplens.analysis.Waste;
import dev.heaplens.analysis.ZeroArrays;
import dev.heaplens.graph.VmLayout;
import dev.heaplens.hprof.HprofWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.heaplens.hprof.BasicType.BYTE;
import static dev.heaplens.hprof.BasicType.INT;
import static dev.heaplens.hprof.BasicType.OBJECT;
import static dev.heaplens.hprof.HprofWriter.fields;
import static dev.heaplens.hprof.HprofWriter.ref;
import static dev.heaplens.hprof.HprofWriter.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link WasteJson} parsed back with Jackson: every figure as the result has it. */
class WasteJsonTest {
    @TempDir
    Path temp;

    @Test
    void everyFigureRoundTrips() throws Exception {
        HprofWriter w = HprofWriter.create(8)
                .classDump("com.acme.Customer", fields("city", OBJECT))
                .classDump("java.util.ArrayList", fields("elementData", OBJECT, "size", INT))
                .classDump("java.lang.Integer", fields("value", INT))
                .string(1, "a \"quoted\"\nvalue").string(2, "a \"quoted\"\nvalue")
                .instance(3, "com.acme.Customer", ref(1))
                .instance(4, "com.acme.Customer", ref(2))
                .instance(5, "java.util.ArrayList", ref(6), value(0))
                .objectArray(6, "java.lang.Object[]", ref(0), ref(0), ref(0))
                .instance(7, "java.lang.Integer", value(1000)).instance(8, "java.lang.Integer", value(1000))
                .primitiveArray(9, BYTE, new byte[64]);
        try (Heap heap = Heap.open(w.write(temp), HeapOptions.defaults().layout(VmLayout.compressed()))) {
            Waste waste = heap.waste();
            JsonNode json = new ObjectMapper().readTree(WasteJson.render(waste));
            assertEquals(waste.heapBytes(), json.get("heapBytes").asLong());
            assertEquals(waste.totalSavableBytes(), json.get("totalSavableBytes").asLong());

            JsonNode strings = json.get("duplicateStrings");
            DuplicateStrings.Group g = waste.duplicateStrings().groups().get(0);
            assertEquals(1, strings.get("values").asLong());
            assertEquals(waste.duplicateStrings().wastedBytes(), strings.get("wastedBytes").asLong());
            JsonNode group = strings.get("groups").get(0);
            assertEquals("a \\\"quoted\\\"\\nvalue", group.get("value").asText(), "the escaped preview");
            assertEquals(2, group.get("count").asLong());
            assertEquals(g.wastedBytes(), group.get("wastedBytes").asLong());
            assertEquals("0x" + Long.toHexString(g.exampleId()), group.get("example").asText());
            assertEquals("com.acme.Customer.city", group.get("holders").get(0).get("holder").asText());
            assertEquals("com.acme.Customer", group.get("holders").get(0).get("class").asText());
            assertEquals(2, group.get("holders").get(0).get("references").asLong());

            CollectionFill.Row list = waste.collections().row("java.util.ArrayList");
            JsonNode row = json.get("collections").get("rows").get(0);
            assertEquals("java.util.ArrayList", row.get("class").asText());
            assertEquals(1, row.get("empty").asLong());
            assertEquals(list.wastedBytes(), row.get("wastedBytes").asLong());
            assertEquals(0.0, row.get("averageFill").asDouble());
            assertTrue(list.wastedBytes() > 0);

            JsonNode box = json.get("boxedPrimitives").get("rows").get(0);
            assertEquals("java.lang.Integer", box.get("class").asText());
            assertEquals(1, box.get("duplicates").asLong());
            assertEquals(waste.boxedPrimitives().wastedBytes(), json.get("boxedPrimitives").get("wastedBytes").asLong());

            ZeroArrays.Row zero = waste.zeroArrays().row("byte[]");
            JsonNode zeros = json.get("zeroArrays");
            assertEquals(waste.zeroArrays().allZero(), zeros.get("allZero").asLong());
            JsonNode zeroRow = zeros.get("rows").get(0);
            assertEquals("byte[]", zeroRow.get("type").asText());
            assertEquals(zero.savedBytes(), zeroRow.get("savedBytes").asLong());
        }
    }
}

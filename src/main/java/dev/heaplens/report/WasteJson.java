package dev.heaplens.report;

import dev.heaplens.analysis.BoxedPrimitives;
import dev.heaplens.analysis.CollectionFill;
import dev.heaplens.analysis.DuplicateStrings;
import dev.heaplens.analysis.Waste;
import dev.heaplens.analysis.ZeroArrays;

/**
 * Renders {@link Waste} as one JSON object:
 *
 * <pre>
 * {"heapBytes", "totalSavableBytes",
 *  "duplicateStrings": {"strings", "duplicates", "values", "wastedBytes",
 *      "groups": [{"value", "length", "count", "distinctArrays", "wastedBytes", "example",
 *                  "holders": [{"holder", "class", "references"}]}]},
 *  "collections": {"instances", "empty", "sparse", "wastedBytes",
 *      "rows": [{"class", "instances", "empty", "sparse", "averageFill", "arrayBytes", "wastedBytes"}]},
 *  "boxedPrimitives": {"count", "duplicates", "wastedBytes",
 *      "rows": [{"class", "count", "shallowBytes", "distinct", "duplicates", "wastedBytes"}]},
 *  "zeroArrays": {"allZero", "mostlyZero", "savedBytes",
 *      "rows": [{"type", "arrays", "shallowBytes", "allZero", "allZeroBytes", "mostlyZero", "mostlyZeroBytes", "savedBytes"}]}}
 * </pre>
 *
 * Rows and groups are in the results' order (most bytes first). A group's {@code value} is the
 * escaped, cut preview ({@link DuplicateStrings.Group#preview()}), its {@code example} the id of one
 * of the strings as a hexadecimal string; {@code averageFill} is a fraction (0.25, not 25).
 *
 * <pre>{@code
 * String json = WasteJson.render(heap.waste());
 * }</pre>
 */
public final class WasteJson {
    private WasteJson() {
    }

    /** The waste findings as one JSON object. */
    public static String render(Waste waste) {
        return write(new JsonWriter(), waste).toString();
    }

    /** Writes the findings as one JSON object value into {@code w}. */
    public static JsonWriter write(JsonWriter w, Waste waste) {
        w.beginObject()
                .name("heapBytes").value(waste.heapBytes())
                .name("totalSavableBytes").value(waste.totalSavableBytes())
                .name("duplicateStrings");
        writeStrings(w, waste.duplicateStrings());
        w.name("collections");
        writeCollections(w, waste.collections());
        w.name("boxedPrimitives");
        writeBoxes(w, waste.boxedPrimitives());
        w.name("zeroArrays");
        writeZeroArrays(w, waste.zeroArrays());
        return w.endObject();
    }

    private static void writeStrings(JsonWriter w, DuplicateStrings d) {
        w.beginObject()
                .name("strings").value(d.strings())
                .name("duplicates").value(d.duplicates())
                .name("values").value(d.values())
                .name("wastedBytes").value(d.wastedBytes())
                .name("groups").beginArray();
        for (DuplicateStrings.Group g : d.groups()) {
            w.beginObject()
                    .name("value").value(g.preview())
                    .name("length").value(g.length())
                    .name("count").value(g.count())
                    .name("distinctArrays").value(g.distinctArrays())
                    .name("wastedBytes").value(g.wastedBytes())
                    .name("example").value(DominatorJson.hex(g.exampleId()))
                    .name("holders").beginArray();
            for (DuplicateStrings.Holder h : g.holders()) {
                w.beginObject()
                        .name("holder").value(h.label())
                        .name("class").value(h.className())
                        .name("references").value(h.references())
                        .endObject();
            }
            w.endArray().endObject();
        }
        w.endArray().endObject();
    }

    private static void writeCollections(JsonWriter w, CollectionFill c) {
        w.beginObject()
                .name("instances").value(c.instances())
                .name("empty").value(c.empty())
                .name("sparse").value(c.sparse())
                .name("wastedBytes").value(c.wastedBytes())
                .name("rows").beginArray();
        for (CollectionFill.Row r : c.rows()) {
            w.beginObject()
                    .name("class").value(r.className())
                    .name("instances").value(r.instances())
                    .name("empty").value(r.empty())
                    .name("sparse").value(r.sparse())
                    .name("averageFill").value(r.averageFill())
                    .name("arrayBytes").value(r.arrayBytes())
                    .name("wastedBytes").value(r.wastedBytes())
                    .endObject();
        }
        w.endArray().endObject();
    }

    private static void writeBoxes(JsonWriter w, BoxedPrimitives b) {
        w.beginObject()
                .name("count").value(b.count())
                .name("duplicates").value(b.duplicates())
                .name("wastedBytes").value(b.wastedBytes())
                .name("rows").beginArray();
        for (BoxedPrimitives.Row r : b.rows()) {
            w.beginObject()
                    .name("class").value(r.className())
                    .name("count").value(r.count())
                    .name("shallowBytes").value(r.shallowBytes())
                    .name("distinct").value(r.distinct())
                    .name("duplicates").value(r.duplicates())
                    .name("wastedBytes").value(r.wastedBytes())
                    .endObject();
        }
        w.endArray().endObject();
    }

    private static void writeZeroArrays(JsonWriter w, ZeroArrays z) {
        w.beginObject()
                .name("allZero").value(z.allZero())
                .name("mostlyZero").value(z.mostlyZero())
                .name("savedBytes").value(z.savedBytes())
                .name("rows").beginArray();
        for (ZeroArrays.Row r : z.rows()) {
            w.beginObject()
                    .name("type").value(r.arrayType())
                    .name("arrays").value(r.arrays())
                    .name("shallowBytes").value(r.shallowBytes())
                    .name("allZero").value(r.allZero())
                    .name("allZeroBytes").value(r.allZeroBytes())
                    .name("mostlyZero").value(r.mostlyZero())
                    .name("mostlyZeroBytes").value(r.mostlyZeroBytes())
                    .name("savedBytes").value(r.savedBytes())
                    .endObject();
        }
        w.endArray().endObject();
    }
}

package dev.heaplens.report;

import dev.heaplens.analysis.DominatorEntry;
import dev.heaplens.analysis.DominatorTree;

import java.util.List;

/**
 * Renders dominator-tree entries as JSON: {@code {"reachableBytes", "reachableObjects",
 * "dominators": [{"index", "id", "class", "shallowBytes", "retainedBytes", "percentOfHeap", "heldBy",
 * "referrer"}]}}, largest retained first. Ids are hexadecimal strings ({@code "0x7f0011a8"}), as the
 * command line accepts them. {@code heldBy} is how the entry's immediate dominator holds it
 * ({@code "static LeakApp.CACHE"}, {@code "HashMap.table"}, {@code "Object[][182]"},
 * {@code "GC root: JNI global"}), or {@code null} when it holds it only through other objects;
 * {@code referrer} is the id of the object holding it so, or {@code null} (a GC root, or no direct
 * reference).
 *
 * <pre>{@code
 * String json = DominatorJson.render(tree, tree.top(20));
 * }</pre>
 */
public final class DominatorJson {
    private DominatorJson() {
    }

    /** The entries with the tree's totals, as one JSON object. */
    public static String render(DominatorTree tree, List<DominatorEntry> entries) {
        JsonWriter w = new JsonWriter().beginObject()
                .name("reachableBytes").value(tree.reachableBytes())
                .name("reachableObjects").value(tree.reachableCount())
                .name("dominators");
        return writeEntries(w, entries).endObject().toString();
    }

    /** Writes the entries as one JSON array value. */
    public static JsonWriter writeEntries(JsonWriter w, List<DominatorEntry> entries) {
        w.beginArray();
        for (DominatorEntry e : entries) {
            writeEntry(w, e);
        }
        return w.endArray();
    }

    /** Writes one entry as a JSON object value, or {@code null}. */
    public static JsonWriter writeEntry(JsonWriter w, DominatorEntry e) {
        if (e == null) {
            return w.value((String) null);
        }
        return w.beginObject()
                .name("index").value(e.object())
                .name("id").value(hex(e.id()))
                .name("class").value(e.className())
                .name("shallowBytes").value(e.shallowSize())
                .name("retainedBytes").value(e.retainedSize())
                .name("percentOfHeap").value(e.percentOfHeap())
                .name("heldBy").value(e.heldBy())
                .name("referrer").value(e.referrerId() == 0 ? null : hex(e.referrerId()))
                .endObject();
    }

    static String hex(long id) {
        return "0x" + Long.toHexString(id);
    }
}

package dev.heaplens.analysis;

import dev.heaplens.text.TextTable;

import java.util.AbstractList;
import java.util.List;
import java.util.Locale;

/**
 * A list of dominator-tree entries that prints as a table (largest retained first), each with the
 * reference through which its immediate dominator holds it ({@code held by}).
 */
public final class DominatorList extends AbstractList<DominatorEntry> {
    private final List<DominatorEntry> entries;
    private final String title;

    DominatorList(String title, List<DominatorEntry> entries) {
        this.title = title;
        this.entries = List.copyOf(entries);
    }

    @Override
    public DominatorEntry get(int index) {
        return entries.get(index);
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public String toString() {
        TextTable t = new TextTable("#", "retained bytes", "%", "shallow", "object", "held by").alignRight(0, 1, 2, 3);
        int i = 1;
        for (DominatorEntry e : entries) {
            t.row(i++, TextTable.bytes(e.retainedSize()), String.format(Locale.ROOT, "%.1f", e.percentOfHeap()),
                    TextTable.bytes(e.shallowSize()), e.className() + "@0x" + Long.toHexString(e.id()),
                    e.heldBy() == null ? "" : e.heldBy());
        }
        return (title == null ? "" : title + "\n") + t;
    }
}

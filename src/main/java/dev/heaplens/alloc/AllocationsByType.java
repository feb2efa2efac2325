package dev.heaplens.alloc;

import dev.heaplens.text.TextTable;

import java.util.AbstractList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Allocations per class, most bytes first: a table from {@code toString()}.
 *
 * <pre>{@code
 * profile.byType().top(10)
 * profile.byType().of("com.acme.Session").map(TypeAllocation::estimatedBytes)
 * }</pre>
 */
public final class AllocationsByType extends AbstractList<TypeAllocation> {
    private static final int SHOWN = 20;
    private final List<TypeAllocation> rows;
    private final boolean estimated;
    private final boolean sampled;
    private final long totalBytes;

    AllocationsByType(List<TypeAllocation> rows, boolean estimated, boolean sampled, long totalBytes) {
        this.rows = List.copyOf(rows);
        this.estimated = estimated;
        this.sampled = sampled;
        this.totalBytes = totalBytes;
    }

    @Override
    public TypeAllocation get(int index) {
        return rows.get(index);
    }

    @Override
    public int size() {
        return rows.size();
    }

    /** The row of one class, if it was allocated. */
    public Optional<TypeAllocation> of(String className) {
        return rows.stream().filter(r -> r.className().equals(className)).findFirst();
    }

    /** The first {@code n} rows. */
    public AllocationsByType top(int n) {
        return new AllocationsByType(rows.subList(0, Math.min(n, rows.size())), estimated, sampled, totalBytes);
    }

    /** Whether the figures are estimates (from samples or new-TLAB events). */
    public boolean estimated() {
        return estimated;
    }

    /** Whether the figures come from sampled events. */
    public boolean sampled() {
        return sampled;
    }

    @Override
    public String toString() {
        TextTable t = new TextTable("#", "events", estimated ? "~bytes" : "bytes", "%", estimated ? "~objects" : "objects", "class")
                .alignRight(0, 1, 2, 3, 4);
        int i = 0;
        for (TypeAllocation r : rows) {
            if (i == SHOWN) {
                break;
            }
            t.row(++i, TextTable.number(r.events()), TextTable.bytes(r.estimatedBytes()), String.format(Locale.ROOT, "%.1f", r.percent()),
                    r.estimatedObjects() < 0 ? "-" : TextTable.number(r.estimatedObjects()), r.className());
        }
        String more = rows.size() > SHOWN ? "… " + TextTable.number(rows.size() - SHOWN) + " more classes; " : "";
        t.footer(more + "total: " + TextTable.bytes(totalBytes) + " bytes (" + TextTable.humanBytes(totalBytes) + ")"
                + (sampled ? ", estimated from sampled events (jdk.ObjectAllocationSample weights)"
                : estimated ? ", estimated from TLAB events (each new TLAB stands for its bytes)" : ""));
        return "Allocations by type\n" + t;
    }
}

package dev.heaplens.alloc;

import dev.heaplens.text.TextTable;

import java.util.AbstractList;
import java.util.List;
import java.util.Locale;

/**
 * Hot allocation sites in the user's own code ("just my code"): for each stack, its first frame in
 * one of the given packages, from the allocating end; most bytes first.
 *
 * <pre>{@code
 * profile.hotSites("com.acme.")
 * }</pre>
 */
public final class AllocationSites extends AbstractList<AllocationSite> {
    private static final int SHOWN = 20;
    private final List<AllocationSite> sites;
    private final List<String> packages;
    private final long outsideBytes;

    AllocationSites(List<AllocationSite> sites, List<String> packages, long outsideBytes) {
        this.sites = List.copyOf(sites);
        this.packages = List.copyOf(packages);
        this.outsideBytes = outsideBytes;
    }

    @Override
    public AllocationSite get(int index) {
        return sites.get(index);
    }

    @Override
    public int size() {
        return sites.size();
    }

    /** The package prefixes that count as the user's own code. */
    public List<String> packages() {
        return packages;
    }

    /** Bytes whose stacks have no frame in the packages (JDK threads, libraries on their own threads). */
    public long outsideBytes() {
        return outsideBytes;
    }

    @Override
    public String toString() {
        TextTable t = new TextTable("#", "~bytes", "%", "events", "site", "allocates most").alignRight(0, 1, 2, 3);
        int i = 0;
        for (AllocationSite s : sites) {
            if (i == SHOWN) {
                break;
            }
            t.row(++i, TextTable.bytes(s.estimatedBytes()), String.format(Locale.ROOT, "%.1f", s.percent()),
                    TextTable.number(s.events()), s.location(), s.topClass());
        }
        t.footer((sites.size() > SHOWN ? "… " + TextTable.number(sites.size() - SHOWN) + " more sites; " : "")
                + TextTable.humanBytes(outsideBytes) + " allocated with no frame in " + String.join(", ", packages));
        return "Hot allocation sites in " + String.join(", ", packages) + "\n" + t;
    }
}

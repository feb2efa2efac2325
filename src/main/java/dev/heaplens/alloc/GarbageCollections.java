package dev.heaplens.alloc;

import dev.heaplens.text.TextTable;

import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The collections of a recording, in order, with a summary per collector: what the garbage
 * collector did about the allocations.
 *
 * <pre>{@code
 * profile.collections().summary()      // per collector: count, total and longest pause, freed bytes
 * }</pre>
 */
public final class GarbageCollections extends AbstractList<GcEvent> {
    private static final int SHOWN = 20;

    /**
     * One collector's collections together.
     *
     * @param collector    {@code G1New}, {@code G1Old}, ...
     * @param count        collections
     * @param totalPauses  the sum of their pauses
     * @param longestPause the longest single pause
     * @param freedBytes   heap freed, summed over the collections that recorded it
     */
    public record CollectorSummary(String collector, int count, Duration totalPauses, Duration longestPause, long freedBytes) {
        /** The average pause of a collection. */
        public Duration averagePause() {
            return count == 0 ? Duration.ZERO : totalPauses.dividedBy(count);
        }
    }

    private final List<GcEvent> events;

    GarbageCollections(List<GcEvent> events) {
        this.events = List.copyOf(events);
    }

    @Override
    public GcEvent get(int index) {
        return events.get(index);
    }

    @Override
    public int size() {
        return events.size();
    }

    /** Per collector, in order of first appearance. */
    public List<CollectorSummary> summary() {
        Map<String, List<GcEvent>> by = new LinkedHashMap<>();
        for (GcEvent e : events) {
            by.computeIfAbsent(e.collector(), k -> new ArrayList<>()).add(e);
        }
        List<CollectorSummary> out = new ArrayList<>();
        by.forEach((collector, list) -> {
            Duration total = Duration.ZERO;
            Duration longest = Duration.ZERO;
            long freed = 0;
            for (GcEvent e : list) {
                total = total.plus(e.pauses());
                longest = e.longestPause().compareTo(longest) > 0 ? e.longestPause() : longest;
                freed += Math.max(0, e.freed());
            }
            out.add(new CollectorSummary(collector, list.size(), total, longest, freed));
        });
        return out;
    }

    /** The summary per collector, then the last collections. */
    @Override
    public String toString() {
        TextTable s = new TextTable("collector", "collections", "total pause", "avg pause", "longest", "freed").alignRight(1, 2, 3, 4, 5);
        for (CollectorSummary c : summary()) {
            s.row(c.collector(), TextTable.number(c.count()), ms(c.totalPauses()), ms(c.averagePause()), ms(c.longestPause()),
                    TextTable.humanBytes(c.freedBytes()));
        }
        if (events.isEmpty()) {
            return "Garbage collections: none recorded\n";
        }
        TextTable t = new TextTable("gc", "collector", "cause", "pause", "heap before", "heap after").alignRight(0, 3, 4, 5);
        for (GcEvent e : events.subList(Math.max(0, events.size() - SHOWN), events.size())) {
            t.row(e.gcId(), e.collector(), e.cause(), ms(e.pauses()), e.heapBefore() < 0 ? "-" : TextTable.humanBytes(e.heapBefore()),
                    e.heapAfter() < 0 ? "-" : TextTable.humanBytes(e.heapAfter()));
        }
        if (events.size() > SHOWN) {
            t.footer("the last " + SHOWN + " of " + TextTable.number(events.size()) + " collections");
        }
        return "Garbage collections\n" + s + "\n" + t;
    }

    static String ms(Duration d) {
        return String.format(Locale.ROOT, "%.2f ms", d.toNanos() / 1e6);
    }
}

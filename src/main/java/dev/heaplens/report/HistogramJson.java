package dev.heaplens.report;

import dev.heaplens.analysis.Histogram;
import dev.heaplens.analysis.HistogramRow;

/**
 * Renders a {@link Histogram} as a JSON array of {@code {"class", "count", "shallowBytes"}} objects,
 * in the histogram's order (shallow bytes, largest first).
 */
public final class HistogramJson {
    private HistogramJson() {
    }

    /** The histogram's rows as a JSON array. */
    public static String render(Histogram histogram) {
        JsonWriter w = new JsonWriter().beginArray();
        for (HistogramRow r : histogram.rows()) {
            w.beginObject()
                    .name("class").value(r.className())
                    .name("count").value(r.count())
                    .name("shallowBytes").value(r.shallowBytes())
                    .endObject();
        }
        return w.endArray().toString();
    }
}

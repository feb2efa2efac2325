package dev.heaplens.report;

import dev.heaplens.analysis.Histogram;
import dev.heaplens.analysis.HistogramRow;

/**
 * Renders a {@link Histogram} as a JSON array of {@code {"class", "count", "shallowBytes",
 * "retainedBytes"}} objects, in the histogram's order (shallow bytes, largest first, unless sorted
 * by retained). {@code retainedBytes} is {@code null} when the histogram has no retained sizes.
 *
 * <pre>{@code
 * String json = HistogramJson.render(heap.histogramWithRetained().top(20));
 * }</pre>
 */
public final class HistogramJson {
    private HistogramJson() {
    }

    /** The histogram's rows as a JSON array. */
    public static String render(Histogram histogram) {
        return write(new JsonWriter(), histogram).toString();
    }

    /** Writes the rows as one JSON array value into {@code w}. */
    public static JsonWriter write(JsonWriter w, Histogram histogram) {
        w.beginArray();
        for (HistogramRow r : histogram.rows()) {
            w.beginObject()
                    .name("class").value(r.className())
                    .name("count").value(r.count())
                    .name("shallowBytes").value(r.shallowBytes())
                    .name("retainedBytes");
            if (r.hasRetained()) {
                w.value(r.retainedBytes());
            } else {
                w.value((String) null);
            }
            w.endObject();
        }
        return w.endArray();
    }
}

package dev.heaplens.report;

import dev.heaplens.capture.BufferPool;
import dev.heaplens.capture.MemoryPool;
import dev.heaplens.capture.NativeCategory;
import dev.heaplens.capture.NativeMemory;
import dev.heaplens.capture.ProcessMemory;
import dev.heaplens.capture.ResidentMemory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ProcessMemory} as JSON, and back (snapshot sidecars keep it):
 *
 * <pre>{@code
 * {"pid": 4242, "time": "2025-06-01T10:00:00Z",
 *  "resident": {"bytes": 123456789, "peakBytes": 150000000},          // null where the OS does not say
 *  "pools": [{"name": "G1 Old Gen", "kind": "heap", "used": 1, "committed": 2, "max": 3}],  // max -1: no limit
 *  "bufferPools": [{"name": "direct", "count": 3, "used": 3145728, "capacity": 3145728}],  // null: not known
 *  "source": "DIAGNOSTIC_COMMANDS",                                    // or "JMX"
 *  "notes": ["NIO buffer pools: not available without JMX ..."],       // what could not be read
 *  "nativeMemory": {"tracking": "SUMMARY", "totalReserved": 1, "totalCommitted": 2,
 *                   "categories": [{"name": "Java Heap", "reserved": 1, "committed": 2}],
 *                   "hint": null, "problem": null}}
 * }</pre>
 *
 * With NMT off, {@code tracking} is {@code "OFF"}, the totals are {@code null}, the categories empty
 * and {@code hint} says how to turn it on. All sizes are bytes.
 */
public final class ProcessMemoryJson {
    private ProcessMemoryJson() {
    }

    /** The reading as one JSON object. */
    public static String render(ProcessMemory memory) {
        return write(new JsonWriter(), memory).toString();
    }

    /** Writes the reading as one JSON object value into {@code w}. */
    public static JsonWriter write(JsonWriter w, ProcessMemory memory) {
        w.beginObject().name("pid").value(memory.pid()).name("time").value(memory.time().toString()).name("resident");
        ResidentMemory rss = memory.resident();
        if (rss.available()) {
            w.beginObject().name("bytes").value(rss.residentBytes()).name("peakBytes").value(rss.peakResidentBytes()).endObject();
        } else {
            w.value((String) null);
        }
        w.name("pools").beginArray();
        for (MemoryPool p : memory.pools()) {
            w.beginObject().name("name").value(p.name()).name("kind").value(p.heap() ? "heap" : "non-heap")
                    .name("used").value(p.used()).name("committed").value(p.committed()).name("max").value(p.max()).endObject();
        }
        w.endArray().name("bufferPools");
        if (memory.bufferPoolsKnown()) {
            w.beginArray();
            for (BufferPool p : memory.bufferPools()) {
                w.beginObject().name("name").value(p.name()).name("count").value(p.count()).name("used").value(p.used())
                        .name("capacity").value(p.capacity()).endObject();
            }
            w.endArray();
        } else {
            w.value((String) null);
        }
        w.name("source").value(memory.source().name()).name("notes").beginArray();
        for (String note : memory.notes()) {
            w.value(note);
        }
        w.endArray().name("nativeMemory");
        NativeMemory nmt = memory.nativeMemory();
        w.beginObject().name("tracking").value(nmt.tracking().name());
        w.name("totalReserved");
        nullableCount(w, nmt.tracked(), nmt.totalReserved());
        w.name("totalCommitted");
        nullableCount(w, nmt.tracked(), nmt.totalCommitted());
        w.name("categories").beginArray();
        for (NativeCategory c : nmt.categories()) {
            w.beginObject().name("name").value(c.name()).name("reserved").value(c.reserved())
                    .name("committed").value(c.committed()).endObject();
        }
        w.endArray();
        w.name("hint").value(nmt.tracking() == NativeMemory.Tracking.OFF ? NativeMemory.OFF_HINT : null);
        w.name("problem").value(nmt.problem());
        return w.endObject().endObject();
    }

    private static void nullableCount(JsonWriter w, boolean present, long value) {
        if (present) {
            w.value(value);
        } else {
            w.value((String) null);
        }
    }

    /** Reads back what {@link #write} wrote. */
    public static ProcessMemory read(JsonReader.Obj o) {
        ResidentMemory rss = ResidentMemory.UNAVAILABLE;
        if (o.has("resident") && o.members().get("resident") != null) {
            JsonReader.Obj r = o.obj("resident");
            rss = new ResidentMemory(r.longValue("bytes"), r.longValue("peakBytes"));
        }
        List<MemoryPool> pools = new ArrayList<>();
        for (JsonReader.Obj p : o.objects("pools")) {
            pools.add(new MemoryPool(p.string("name"), "heap".equals(p.string("kind")), p.longValue("used"),
                    p.longValue("committed"), p.longValue("max")));
        }
        List<BufferPool> buffers = new ArrayList<>();
        if (o.members().get("bufferPools") != null) {
            for (JsonReader.Obj p : o.objects("bufferPools")) {
                buffers.add(new BufferPool(p.string("name"), p.longValue("count"), p.longValue("used"), p.longValue("capacity")));
            }
        }
        // sidecars written before heaplens read other JVMs through diagnostic commands were all JMX readings
        ProcessMemory.Source source = o.has("source") ? ProcessMemory.Source.valueOf(o.string("source")) : ProcessMemory.Source.JMX;
        List<String> notes = o.has("notes") ? o.strings("notes") : List.of();
        JsonReader.Obj n = o.obj("nativeMemory");
        List<NativeCategory> categories = new ArrayList<>();
        for (JsonReader.Obj c : n.objects("categories")) {
            categories.add(new NativeCategory(c.string("name"), c.longValue("reserved"), c.longValue("committed")));
        }
        NativeMemory nmt = new NativeMemory(NativeMemory.Tracking.valueOf(n.string("tracking")), categories,
                n.longValue("totalReserved", -1), n.longValue("totalCommitted", -1), n.string("problem"));
        return new ProcessMemory(o.longValue("pid"), Instant.parse(o.string("time")), pools, buffers, nmt, rss, source, notes);
    }
}

package dev.heaplens.report;

import dev.heaplens.analysis.BoxedPrimitives;
import dev.heaplens.analysis.CollectionFill;
import dev.heaplens.analysis.DominatorEntry;
import dev.heaplens.analysis.DuplicateStrings;
import dev.heaplens.analysis.HistogramRow;
import dev.heaplens.analysis.LeakSuspect;
import dev.heaplens.analysis.LeakSuspects;
import dev.heaplens.analysis.Waste;
import dev.heaplens.analysis.ZeroArrays;
import dev.heaplens.text.TextTable;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link HeapReport} as one self-contained HTML page: the summary, the leak suspects
 * with their paths, the treemap of the dominator tree (drawn by the page's inline script from the
 * report's cells), the classes and objects that retain the most as sortable tables, the process
 * memory, and the reader's warnings. Every number is the model's; this class only lays them out.
 */
final class HtmlReport {
    /** Table rows shown before "show all". */
    static final int INITIAL_ROWS = 25;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private HtmlReport() {
    }

    static String render(HeapReport report) {
        StringBuilder b = new StringBuilder(256 * 1024);
        String name = Html.fileName(report.file());
        Html.begin(b, "heaplens: " + name);
        Html.header(b, "heaplens report", report.file().toString(), report.heading() + " · made " + TIME.format(report.created()));
        if (report.memory().isPresent() || report.jvm().isPresent()) {
            Html.nav(b, "summary", "Summary", "suspects", "Leak suspects", "treemap", "Dominator tree", "classes", "Classes",
                    "dominators", "Objects", "waste", "Waste", "memory", "Process memory");
        } else {
            Html.nav(b, "summary", "Summary", "suspects", "Leak suspects", "treemap", "Dominator tree", "classes", "Classes",
                    "dominators", "Objects", "waste", "Waste");
        }
        summary(b, report);
        suspects(b, report.suspects());
        treemap(b, report);
        classes(b, report);
        dominators(b, report);
        waste(b, report.waste());
        memory(b, report);
        warnings(b, report);
        Html.footer(b, name);
        Html.end(b);
        return b.toString();
    }

    private static void summary(StringBuilder b, HeapReport report) {
        HeapReport.Totals t = report.totals();
        b.append("<section id=\"summary\"><h2>Summary</h2>\n");
        if (!report.complete()) {
            b.append("<p class=\"incomplete\">The dump is incomplete: what follows covers only what could be read (see the warnings at the end).</p>\n");
        }
        b.append("<div class=\"cards\">\n");
        Html.card(b, "objects", TextTable.number(t.objects()), TextTable.humanBytes(t.shallowBytes()) + " shallow");
        Html.card(b, "reachable", TextTable.humanBytes(t.reachableBytes()), TextTable.number(t.reachableObjects()) + " objects");
        Html.card(b, "unreachable", TextTable.humanBytes(t.unreachableBytes()), TextTable.number(t.unreachableObjects()) + " objects");
        Html.card(b, "classes", TextTable.number(t.classes()), TextTable.number(t.classesWithInstances()) + " with instances");
        Html.card(b, "GC roots", TextTable.number(t.gcRoots()), "");
        Html.card(b, "leak suspects", TextTable.number(report.suspects().size()),
                String.format(Locale.ROOT, "above %.1f%% of the heap", report.suspects().thresholdPercent()));
        b.append("</div></section>\n");
    }

    private static void suspects(StringBuilder b, LeakSuspects suspects) {
        b.append("<section id=\"suspects\"><h2>Leak suspects</h2>\n");
        if (suspects.isEmpty()) {
            b.append("<p class=\"none\">").append(Html.escape(suspects.toString().trim())).append("</p>\n");
        }
        for (LeakSuspect s : suspects) {
            String what = s.kind() == LeakSuspect.Kind.CLASS
                    ? TextTable.number(s.instanceCount()) + " instances of " + s.className()
                    : s.className() + "@0x" + Long.toHexString(s.object().id());
            b.append("<article class=\"suspect\" id=\"suspect-").append(s.rank()).append("\"><h3>Suspect ").append(s.rank()).append(": ")
                    .append(Html.escape(what)).append(String.format(Locale.ROOT, " (%.1f%%, %s)", s.percentOfHeap(),
                            TextTable.humanBytes(s.retainedBytes()))).append("</h3>\n");
            b.append("<p class=\"description\">").append(Html.escape(s.description())).append("</p>\n");
            String id = "suspect-" + s.rank();
            if (!s.holdings().isEmpty()) {
                HtmlTable t = new HtmlTable(id + "-holdings", 0).text("held by").number("retained bytes").number("% of heap")
                        .text("object").text("size").text("accumulates in");
                for (LeakSuspect.Holding h : s.holdings()) {
                    DominatorEntry o = h.object();
                    t.row(HtmlTable.code(h.via()), HtmlTable.bytes(o.retainedSize()), HtmlTable.percent(o.percentOfHeap()),
                            HtmlTable.code(o.className() + "@0x" + Long.toHexString(o.id())),
                            HtmlTable.plain(h.size() == null ? "" : h.size().toString()),
                            HtmlTable.code(h.accumulation().size() > 1 ? entryName(h.accumulationPoint()) : ""));
                }
                b.append("<h4>Held through</h4>\n");
                t.appendTo(b);
            }
            if (!s.shared().isEmpty()) {
                HtmlTable t = new HtmlTable(id + "-shared", 0).number("instances").number("retained bytes").number("% of heap")
                        .text("class").text("held by all of");
                for (LeakSuspect.Shared g : s.shared()) {
                    t.row(HtmlTable.count(g.instances()), HtmlTable.bytes(g.retainedBytes()), HtmlTable.percent(g.percentOfHeap()),
                            HtmlTable.code(g.className()), HtmlTable.code(String.join(", ", g.via())));
                }
                b.append("<h4>Held through several of them at once</h4>\n");
                t.appendTo(b);
            }
            if (s.accumulation().size() > 1) {
                b.append("<h4>Accumulation point, down the dominator tree</h4>\n");
                entries(s.accumulation(), id + "-accumulation", 0).appendTo(b);
            }
            if (!s.largestInstances().isEmpty()) {
                b.append("<h4>Largest instances</h4>\n");
                entries(s.largestInstances(), id + "-instances", 0).appendTo(b);
            }
            if (!s.contents().isEmpty()) {
                HtmlTable t = new HtmlTable(id + "-contents", 0).number("instances").number("retained bytes").number("% of heap").text("class");
                for (LeakSuspect.ClassShare c : s.contents()) {
                    t.row(HtmlTable.count(c.instances()), HtmlTable.bytes(c.retainedBytes()), HtmlTable.percent(c.percentOfHeap()),
                            HtmlTable.code(c.className()));
                }
                b.append("<h4>Inside it</h4>\n");
                t.appendTo(b);
            }
            b.append("<h4>Shortest path from a GC root</h4>\n");
            if (s.path() != null) {
                b.append("<pre class=\"path\">").append(Html.escape(s.path().toString())).append("</pre>\n");
            } else {
                b.append("<p class=\"none\">No strong path from a GC root: only weak, soft, phantom or final references reach it.</p>\n");
            }
            b.append("</article>\n");
        }
        b.append("</section>\n");
    }

    private static void treemap(StringBuilder b, HeapReport report) {
        TreemapNode map = report.treemap();
        b.append("<section id=\"treemap\"><h2>Dominator tree</h2>\n<div id=\"treemap-crumbs\"></div>\n<div id=\"treemap-canvas\"></div>\n")
                .append("<p class=\"hint\">Each cell is an object, its area the bytes it keeps alive. Click a cell to see what it holds; ")
                .append("the path above leads back. ").append(TextTable.number(map.cellCount() - 1))
                .append(String.format(Locale.ROOT, " objects are drawn, each at least %.2f%% of the heap; ", TreemapNode.DEFAULT_MIN_PERCENT))
                .append("the hatched cells sum the smaller ones.</p>\n");
        b.append("<script type=\"application/json\" id=\"treemap-data\">")
                .append(Html.scriptJson(AnalysisJson.writeTreemap(new JsonWriter(), map).toString())).append("</script>\n</section>\n");
    }

    private static void classes(StringBuilder b, HeapReport report) {
        List<HistogramRow> rows = report.classesByRetained().rows();
        b.append("<section id=\"classes\"><h2>Classes by retained size</h2>\n<p class=\"hint\">The ").append(TextTable.number(rows.size()))
                .append(" of ").append(TextTable.number(report.totals().classesWithInstances()))
                .append(" classes with instances that retain the most. Click a header to sort.</p>\n");
        HtmlTable t = new HtmlTable("classes-table", INITIAL_ROWS).text("class").number("objects").number("shallow bytes")
                .number("retained bytes").number("% of heap");
        long heap = report.totals().reachableBytes();
        for (HistogramRow r : rows) {
            t.row(HtmlTable.code(r.className()), HtmlTable.count(r.count()), HtmlTable.bytes(r.shallowBytes()),
                    HtmlTable.bytes(r.retainedBytes()), HtmlTable.percent(heap == 0 ? 0 : 100.0 * r.retainedBytes() / heap));
        }
        t.appendTo(b);
        b.append("</section>\n");
    }

    private static void dominators(StringBuilder b, HeapReport report) {
        b.append("<section id=\"dominators\"><h2>Objects by retained size</h2>\n<p class=\"hint\">The ")
                .append(TextTable.number(report.dominators().size()))
                .append(" objects that keep the most alive, with how their immediate dominator holds them.</p>\n");
        entries(report.dominators(), "dominators-table", INITIAL_ROWS).appendTo(b);
        b.append("</section>\n");
    }

    private static void waste(StringBuilder b, Waste waste) {
        b.append("<section id=\"waste\"><h2>Waste</h2>\n<p class=\"hint\">Memory a fix would save, in the histogram's sizes: ")
                .append(Html.escape(TextTable.humanBytes(waste.totalSavableBytes()))).append(" in all.</p>\n");
        DuplicateStrings strings = waste.duplicateStrings();
        b.append("<h3>Duplicate strings</h3>\n<p>").append(Html.escape(strings.summary())).append("</p>\n");
        HtmlTable s = new HtmlTable("waste-strings", 10).text("value").number("length").number("copies").number("arrays")
                .number("wasted bytes").text("held by");
        for (DuplicateStrings.Group g : strings.groups()) {
            StringBuilder holders = new StringBuilder();
            for (DuplicateStrings.Holder h : g.holders()) {
                holders.append(holders.length() == 0 ? "" : ", ").append(h.label()).append(" ×").append(TextTable.number(h.references()));
            }
            s.row(HtmlTable.code(g.preview()), HtmlTable.count(g.length()), HtmlTable.count(g.count()), HtmlTable.count(g.distinctArrays()),
                    HtmlTable.bytes(g.wastedBytes()), HtmlTable.code(holders.toString()));
        }
        s.appendTo(b);
        CollectionFill collections = waste.collections();
        b.append("<h3>Empty and sparse collections</h3>\n<p>").append(Html.escape(collections.summary())).append("</p>\n");
        HtmlTable c = new HtmlTable("waste-collections", 10).text("class").number("instances").number("empty").number("sparse")
                .number("average fill").number("wasted bytes");
        for (CollectionFill.Row r : collections.rows()) {
            c.row(HtmlTable.code(r.className()), HtmlTable.count(r.instances()), HtmlTable.count(r.empty()), HtmlTable.count(r.sparse()),
                    HtmlTable.percent(100 * r.averageFill()), HtmlTable.bytes(r.wastedBytes()));
        }
        c.appendTo(b);
        BoxedPrimitives boxes = waste.boxedPrimitives();
        b.append("<h3>Boxed primitives</h3>\n<p>").append(Html.escape(boxes.summary())).append("</p>\n");
        HtmlTable x = new HtmlTable("waste-boxes", 0).text("class").number("instances").number("shallow bytes").number("distinct values")
                .number("duplicates").number("wasted bytes");
        for (BoxedPrimitives.Row r : boxes.rows()) {
            x.row(HtmlTable.code(r.className()), HtmlTable.count(r.count()), HtmlTable.bytes(r.shallowBytes()), HtmlTable.count(r.distinct()),
                    HtmlTable.count(r.duplicates()), HtmlTable.bytes(r.wastedBytes()));
        }
        x.appendTo(b);
        ZeroArrays zeros = waste.zeroArrays();
        b.append("<h3>Arrays of zeros</h3>\n<p>").append(Html.escape(zeros.summary())).append("</p>\n");
        HtmlTable z = new HtmlTable("waste-zeros", 0).text("array").number("arrays").number("bytes").number("all zero")
                .number(String.format(Locale.ROOT, "≥ %d%% zero", ZeroArrays.MOSTLY_ZERO_PERCENT)).number("saved bytes");
        for (ZeroArrays.Row r : zeros.rows()) {
            z.row(HtmlTable.code(r.arrayType()), HtmlTable.count(r.arrays()), HtmlTable.bytes(r.shallowBytes()), HtmlTable.count(r.allZero()),
                    HtmlTable.count(r.mostlyZero()), HtmlTable.bytes(r.savedBytes()));
        }
        z.appendTo(b);
        b.append("</section>\n");
    }

    private static HtmlTable entries(List<DominatorEntry> entries, String id, int initialRows) {
        HtmlTable t = new HtmlTable(id, initialRows).text("object").text("held by").number("shallow bytes").number("retained bytes")
                .number("% of heap");
        for (DominatorEntry e : entries) {
            t.row(HtmlTable.code(entryName(e)), HtmlTable.code(e.heldBy() == null ? "" : e.heldBy()), HtmlTable.bytes(e.shallowSize()),
                    HtmlTable.bytes(e.retainedSize()), HtmlTable.percent(e.percentOfHeap()));
        }
        return t;
    }

    private static String entryName(DominatorEntry e) {
        return e.className() + "@0x" + Long.toHexString(e.id());
    }

    private static void memory(StringBuilder b, HeapReport report) {
        if (report.memory().isEmpty() && report.jvm().isEmpty()) {
            return;
        }
        b.append("<section id=\"memory\"><h2>Process memory</h2>\n");
        report.jvm().ifPresent(jvm -> b.append("<pre class=\"jvm\">").append(Html.escape(jvm.toString())).append("</pre>\n"));
        report.memory().ifPresent(m -> b.append("<pre class=\"process-memory\">").append(Html.escape(m.toString())).append("</pre>\n"));
        b.append("</section>\n");
    }

    private static void warnings(StringBuilder b, HeapReport report) {
        if (report.warnings().isEmpty()) {
            return;
        }
        b.append("<section id=\"warnings\"><h2>Warnings</h2>\n<ul>\n");
        for (String w : report.warnings()) {
            b.append("<li>").append(Html.escape(w)).append("</li>\n");
        }
        b.append("</ul></section>\n");
    }
}

package dev.heaplens.report;

import dev.heaplens.capture.ProcessMemoryDiff;
import dev.heaplens.diff.ClassDelta;
import dev.heaplens.diff.HeapDiff;
import dev.heaplens.diff.HeapGrowth;
import dev.heaplens.diff.HeapSummary;
import dev.heaplens.diff.HistogramDiff;
import dev.heaplens.diff.PathDelta;
import dev.heaplens.diff.PathGrowth;
import dev.heaplens.diff.ClassGrowth;
import dev.heaplens.text.TextTable;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A {@link HeapDiff} or a {@link HeapGrowth} as one self-contained HTML page: the dumps compared,
 * then sortable tables of the retention paths and classes that changed (and the process memory,
 * item by item, when both are snapshots heaplens captured).
 *
 * <pre>{@code
 * Files.writeString(Path.of("diff.html"), DiffHtml.render(HeapDiff.of(before, after), 50));
 * Files.writeString(Path.of("growth.html"), DiffHtml.render(HeapGrowth.inDirectory(dir), 50));
 * }</pre>
 */
public final class DiffHtml {
    private DiffHtml() {
    }

    /** The diff, with at most {@code top} rows per table. */
    public static String render(HeapDiff diff, int top) {
        StringBuilder b = new StringBuilder(64 * 1024);
        String before = Html.fileName(diff.before().source());
        String after = Html.fileName(diff.after().source());
        Html.begin(b, "heaplens diff: " + before + " → " + after);
        Html.header(b, "heaplens diff", before + " → " + after, "what changed between the two dumps, by retention path and by class");
        if (diff.processMemory().isPresent()) {
            Html.nav(b, "summary", "Summary", "grown", "Grown paths", "shrunk", "Shrunk paths", "classes", "Classes", "memory", "Process memory");
        } else {
            Html.nav(b, "summary", "Summary", "grown", "Grown paths", "shrunk", "Shrunk paths", "classes", "Classes");
        }
        b.append("<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">\n");
        card(b, "before", diff.before());
        card(b, "after", diff.after());
        Html.card(b, "reachable change", signedHuman(diff.after().reachableBytes() - diff.before().reachableBytes()),
                TextTable.number(diff.after().reachableCount() - (long) diff.before().reachableCount()) + " objects");
        Html.card(b, "paths changed", TextTable.number(diff.paths().changedCount()), "of " + TextTable.number(diff.paths().pathCount()));
        Html.card(b, "classes changed", TextTable.number(diff.classes().rows().size()),
                TextTable.number(diff.classes().unchangedCount()) + " unchanged");
        b.append("</div></section>\n");
        b.append("<section id=\"grown\"><h2>Retention paths that grew</h2>\n");
        paths(diff.paths().grown(), "grown-table", top).appendTo(b);
        b.append("</section>\n<section id=\"shrunk\"><h2>Retention paths that shrank</h2>\n");
        paths(diff.paths().shrunk(), "shrunk-table", top).appendTo(b);
        b.append("</section>\n<section id=\"classes\"><h2>Classes that changed</h2>\n");
        classes(diff.classes().top(top), "classes-table").appendTo(b);
        b.append("</section>\n");
        if (diff.processMemory().isPresent()) {
            b.append("<section id=\"memory\"><h2>Process memory</h2>\n");
            HtmlTable t = new HtmlTable("memory-table", 0).text("item").text("unit").number("before").number("after").number("change");
            for (ProcessMemoryDiff.Change c : diff.processMemory().get().changes()) {
                t.row(HtmlTable.code(c.item()), HtmlTable.plain(c.unit()), HtmlTable.count(c.before()), HtmlTable.count(c.after()),
                        HtmlTable.signedCount(c.delta()));
            }
            t.appendTo(b);
            b.append("</section>\n");
        }
        Html.footer(b, before + " and " + after);
        Html.end(b);
        return b.toString();
    }

    /** The growth across a series, with at most {@code top} rows per table. */
    public static String render(HeapGrowth growth, int top) {
        StringBuilder b = new StringBuilder(64 * 1024);
        List<Path> dumps = growth.sources();
        String series = dumps.size() + " dumps: " + dumps.stream().map(Html::fileName).collect(Collectors.joining(", "));
        Html.begin(b, "heaplens growth: " + Html.fileName(dumps.get(0)) + " … " + Html.fileName(dumps.get(dumps.size() - 1)));
        Html.header(b, "heaplens growth", series, "what gained objects in every step of the series");
        Html.nav(b, "paths", "Growing paths", "classes", "Growing classes");
        b.append("<section id=\"paths\"><h2>Retention paths that grew in every step</h2>\n");
        HtmlTable p = new HtmlTable("paths-table", 0).text("path").number("gained objects").number("per step").number("objects at the end")
                .number("retained at the end").text("objects in each dump");
        for (PathGrowth g : growth.paths().subList(0, Math.min(top, growth.paths().size()))) {
            p.row(HtmlTable.code(g.path().toString()), HtmlTable.signedCount(g.totalCount()),
                    HtmlTable.signedCount(g.totalCount() / Math.max(1, g.countDeltas().size())),
                    HtmlTable.count(g.counts().get(g.counts().size() - 1)), HtmlTable.bytes(g.retained().get(g.retained().size() - 1)),
                    HtmlTable.plain(numbers(g.counts())));
        }
        p.appendTo(b);
        b.append("</section>\n<section id=\"classes\"><h2>Classes that grew in every step</h2>\n");
        HtmlTable c = new HtmlTable("classes-table", 0).text("class").text("loader").number("gained objects").number("gained bytes")
                .text("objects in each dump");
        for (ClassGrowth g : growth.classes().subList(0, Math.min(top, growth.classes().size()))) {
            c.row(HtmlTable.code(g.key().className()), HtmlTable.plain(g.key().loader()), HtmlTable.signedCount(g.totalCount()),
                    HtmlTable.signedBytes(g.totalShallow()), HtmlTable.plain(numbers(g.counts())));
        }
        c.appendTo(b);
        b.append("</section>\n");
        Html.footer(b, series);
        Html.end(b);
        return b.toString();
    }

    private static HtmlTable paths(List<PathDelta> rows, String id, int top) {
        HtmlTable t = new HtmlTable(id, 0).text("path").number("Δ objects").number("before").number("after").number("Δ retained")
                .number("retained after");
        for (PathDelta d : rows.subList(0, Math.min(top, rows.size()))) {
            t.row(HtmlTable.code(d.path().toString()), HtmlTable.signedCount(d.deltaCount()), HtmlTable.count(d.countBefore()),
                    HtmlTable.count(d.countAfter()), HtmlTable.signedBytes(d.deltaRetained()), HtmlTable.bytes(d.retainedAfter()));
        }
        return t;
    }

    private static HtmlTable classes(HistogramDiff classes, String id) {
        HtmlTable t = new HtmlTable(id, 0).text("class").text("status").number("Δ objects").number("before").number("after")
                .number("Δ shallow").number("Δ retained");
        for (ClassDelta d : classes.rows()) {
            t.row(HtmlTable.code(d.className()), HtmlTable.plain(d.isNew() ? "new" : d.isVanished() ? "vanished" : "changed"),
                    HtmlTable.signedCount(d.deltaCount()), HtmlTable.count(d.countBefore()), HtmlTable.count(d.countAfter()),
                    HtmlTable.signedBytes(d.deltaShallow()), HtmlTable.signedBytes(d.deltaRetained()));
        }
        return t;
    }

    private static void card(StringBuilder b, String key, HeapSummary s) {
        Html.card(b, key, TextTable.humanBytes(s.reachableBytes()), TextTable.number(s.objectCount()) + " objects, " + Html.fileName(s.source()));
    }

    private static String numbers(List<Long> values) {
        return values.stream().map(TextTable::number).collect(Collectors.joining(" → "));
    }

    private static String signedHuman(long n) {
        return (n > 0 ? "+" : n < 0 ? "-" : "") + TextTable.humanBytes(Math.abs(n));
    }

}

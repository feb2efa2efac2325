package dev.heaplens.report;

import dev.heaplens.alloc.AllocationProfile;
import dev.heaplens.alloc.AllocationSite;
import dev.heaplens.alloc.AllocationSites;
import dev.heaplens.alloc.CallTree;
import dev.heaplens.alloc.GarbageCollections;
import dev.heaplens.alloc.GcEvent;
import dev.heaplens.alloc.TypeAllocation;
import dev.heaplens.text.TextTable;

import java.util.Locale;

/**
 * An {@link AllocationProfile} as one self-contained HTML page: allocations by type, the hot sites
 * in the user's packages, the top-down call tree and the bottom-up backtraces of one type (as
 * nested, foldable lists, the first levels open), and the garbage collections.
 *
 * <pre>{@code
 * AllocationProfile p = AllocationProfile.read(Path.of("app.jfr"));
 * Files.writeString(Path.of("alloc.html"), AllocationHtml.render(p, "com.acme.Session", p.hotSites("com.acme."), 20));
 * }</pre>
 */
public final class AllocationHtml {
    /** Tree nodes drawn before the rest of a tree is left out. */
    public static final int MAX_NODES = 2000;
    /** Tree levels open when the page loads. */
    static final int OPEN_LEVELS = 4;
    /** Deepest level drawn: a recursion thousands of frames deep stops here (and the page stays small). */
    static final int MAX_DEPTH = 200;

    private AllocationHtml() {
    }

    /** The profile, with the backtraces of {@code backtraceClass} (none for {@code null}) and the hot sites (none for {@code null}). */
    public static String render(AllocationProfile p, String backtraceClass, AllocationSites sites, int top) {
        StringBuilder b = new StringBuilder(64 * 1024);
        String name = Html.fileName(p.recording());
        Html.begin(b, "heaplens allocations: " + name);
        String detail = String.format(Locale.ROOT, "%s%,d allocation events over %.1f s%s",
                p.pid().isPresent() ? "process " + p.pid().getAsLong() + ", " : "", p.allocationEvents(), p.span().toMillis() / 1000.0,
                p.sampled() ? "; sampled, so bytes and objects are estimates" : "");
        Html.header(b, "heaplens allocation profile", p.recording().toString(), detail);
        Html.nav(b, "types", "By type", "sites", "Hot sites", "tree", "Call tree", "backtraces", "Backtraces", "gc", "Collections");

        b.append("<section id=\"types\"><h2>Allocations by type</h2>\n");
        HtmlTable t = new HtmlTable("types-table", 0).text("class").number(p.estimated() ? "~bytes" : "bytes").number("% of all")
                .number(p.estimated() ? "~objects" : "objects").number("events");
        for (TypeAllocation a : p.byType().top(top)) {
            t.row(HtmlTable.code(a.className()), HtmlTable.bytes(a.estimatedBytes()), HtmlTable.percent(a.percent()),
                    a.estimatedObjects() < 0 ? HtmlTable.plain("?") : HtmlTable.count(a.estimatedObjects()), HtmlTable.count(a.events()));
        }
        t.appendTo(b);
        b.append("</section>\n<section id=\"sites\"><h2>Hot allocation sites in your code</h2>\n");
        if (sites == null) {
            b.append("<p class=\"none\">No packages named (with <code>--package com.acme.</code>): no sites to show.</p>\n");
        } else {
            b.append("<p class=\"hint\">The first frame of each allocation in ").append(Html.escape(String.join(", ", sites.packages())))
                    .append("; ").append(Html.escape(TextTable.humanBytes(sites.outsideBytes()))).append(" were allocated with none of them on the stack.</p>\n");
            HtmlTable s = new HtmlTable("sites-table", 0).text("method").text("top class").number("bytes").number("% of all").number("events");
            for (AllocationSite site : sites) {
                s.row(HtmlTable.code(site.location()), HtmlTable.code(site.topClass()), HtmlTable.bytes(site.estimatedBytes()),
                        HtmlTable.percent(site.percent()), HtmlTable.count(site.events()));
            }
            s.appendTo(b);
        }
        b.append("</section>\n<section id=\"tree\"><h2>Call tree (top-down)</h2>\n");
        tree(b, p.callTree());
        b.append("</section>\n<section id=\"backtraces\"><h2>Backtraces").append(backtraceClass == null ? "" : " of " + Html.escape(backtraceClass))
                .append(" (bottom-up)</h2>\n");
        if (backtraceClass == null) {
            b.append("<p class=\"none\">No allocations recorded.</p>\n");
        } else {
            tree(b, p.backtraces(backtraceClass));
        }
        b.append("</section>\n<section id=\"gc\"><h2>Garbage collections</h2>\n");
        GarbageCollections gcs = p.collections();
        HtmlTable sum = new HtmlTable("gc-summary", 0).text("collector").number("collections").number("total pause ms")
                .number("longest pause ms").number("freed bytes");
        for (GarbageCollections.CollectorSummary c : gcs.summary()) {
            sum.row(HtmlTable.code(c.collector()), HtmlTable.count(c.count()), millis(c.totalPauses().toNanos()),
                    millis(c.longestPause().toNanos()), HtmlTable.bytes(c.freedBytes()));
        }
        sum.appendTo(b);
        HtmlTable events = new HtmlTable("gc-table", 25).number("id").text("collector").text("cause").text("start").number("pause ms")
                .number("heap before").number("heap after");
        for (GcEvent e : gcs) {
            events.row(HtmlTable.count(e.gcId()), HtmlTable.code(e.collector()), HtmlTable.plain(e.cause()), HtmlTable.plain(e.start().toString()),
                    millis(e.pauses().toNanos()), HtmlTable.bytes(e.heapBefore()), HtmlTable.bytes(e.heapAfter()));
        }
        b.append("<h4>Each collection</h4>\n");
        events.appendTo(b);
        b.append("</section>\n");
        Html.footer(b, name);
        Html.end(b);
        return b.toString();
    }

    /** A tree as nested foldable lists, largest first, cut at {@value #MAX_NODES} nodes. */
    private static void tree(StringBuilder b, CallTree tree) {
        CallTree.Node root = tree.root();
        if (root.children().isEmpty()) {
            b.append("<p class=\"none\">No stack traces recorded.</p>\n");
            return;
        }
        int[] budget = {MAX_NODES};
        b.append("<ul class=\"tree\">\n");
        for (CallTree.Node child : root.children()) {
            node(b, child, root.totalBytes(), 0, budget);
        }
        b.append("</ul>\n");
        if (budget[0] <= 0) {
            b.append("<p class=\"hint\">The tree is cut at ").append(TextTable.number(MAX_NODES)).append(" frames.</p>\n");
        }
    }

    private static void node(StringBuilder b, CallTree.Node n, long all, int depth, int[] budget) {
        if (budget[0]-- <= 0) {
            return;
        }
        String line = String.format(Locale.ROOT, "%s  %s (%.1f%%)%s", n.method(), TextTable.humanBytes(n.totalBytes()),
                all == 0 ? 0 : 100.0 * n.totalBytes() / all, n.selfBytes() > 0 ? ", self " + TextTable.humanBytes(n.selfBytes()) : "");
        if (n.children().isEmpty()) {
            b.append("<li class=\"leaf\">").append(Html.escape(line)).append("</li>\n");
            return;
        }
        if (depth >= MAX_DEPTH) {
            b.append("<li class=\"leaf\">").append(Html.escape(line)).append(" … deeper frames left out</li>\n");
            return;
        }
        b.append("<li><details").append(depth < OPEN_LEVELS ? " open" : "").append("><summary>").append(Html.escape(line))
                .append("</summary><ul>\n");
        for (CallTree.Node child : n.children()) {
            node(b, child, all, depth + 1, budget);
        }
        b.append("</ul></details></li>\n");
    }

    private static HtmlTable.Cell millis(long nanos) {
        double ms = nanos / 1e6;
        return new HtmlTable.Cell(String.format(Locale.ROOT, "%.2f", ms), "n", ms);
    }
}

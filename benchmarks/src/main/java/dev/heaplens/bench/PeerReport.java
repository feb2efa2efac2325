package dev.heaplens.bench;

import dev.heaplens.bench.PeerComparison.Run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The tables of {@link PeerComparison}: medians per dump and tool with ratios against heaplens, the
 * cross-check of what each tool found, and heaplens' cost per object and per reference. Markdown, for
 * {@code benchmarks/README.md} between {@link #BEGIN} and {@link #END}.
 */
final class PeerReport {

    static final String BEGIN = "<!-- peers:begin (written by PeerComparison; edits between the markers are replaced) -->";
    static final String END = "<!-- peers:end -->";

    private PeerReport() {
    }

    /** Medians of the successful runs of one tool on one dump, and what went wrong in the others. */
    record Summary(String tool, int total, int ok, String failures, double wallMedian, double wallMin, double wallMax,
                   double rssMedianMb, double failedRssMb, String result) {

        static Summary of(String tool, List<Run> runs) {
            List<Run> ok = runs.stream().filter(Run::ok).toList();
            List<Double> walls = ok.stream().map(Run::wallSeconds).toList();
            List<Double> rss = ok.stream().map(r -> r.rssKb() * 1024 / 1e6).toList(); // MB = 10^6 bytes, as the dump sizes
            String failures = runs.stream().filter(r -> !r.ok())
                    .collect(Collectors.groupingBy(Run::status, TreeMap::new, Collectors.counting()))
                    .entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
            // a failed run's time and memory are still what it cost until it failed: kept for the failure column
            double failedWall = runs.stream().filter(r -> !r.ok()).mapToDouble(Run::wallSeconds).max().orElse(Double.NaN);
            return new Summary(tool, runs.size(), ok.size(), failures,
                    ok.isEmpty() ? failedWall : PeerComparison.median(walls),
                    walls.stream().mapToDouble(d -> d).min().orElse(Double.NaN),
                    walls.stream().mapToDouble(d -> d).max().orElse(Double.NaN),
                    ok.isEmpty() ? Double.NaN : PeerComparison.median(rss),
                    runs.stream().filter(r -> !r.ok()).mapToDouble(r -> r.rssKb() * 1024 / 1e6).max().orElse(Double.NaN),
                    ok.isEmpty() ? runs.get(0).result() : ok.get(0).result());
        }

        boolean measured() {
            return ok > 0;
        }
    }

    static String markdown(List<Run> runs, long baselineKb, String machine, PeerComparison.Options options) {
        Map<String, Map<String, List<Run>>> grouped = PeerComparison.byDumpAndTool(runs);
        StringBuilder md = new StringBuilder();
        String first = runs.stream().map(Run::started).min(String::compareTo).orElse("?");
        String last = runs.stream().map(Run::started).max(String::compareTo).orElse("?");
        int rounds = runs.stream().mapToInt(Run::round).max().orElse(0);
        String xmx = runs.isEmpty() ? options.xmx() : runs.get(0).xmx();
        md.append(BEGIN).append("\n\n");
        md.append(String.format(Locale.ROOT, "Measured %s to %s: up to %d interleaved round%s per dump (see *runs*), every "
                        + "tool at `-Xmx%s` (JDK default collector, G1), cold processes, dumps in the page cache. Machine: %s.%s%n%n",
                first, last, rounds, rounds == 1 ? "" : "s", xmx, machine.replace("\n", " "),
                options.note().isEmpty() ? "" : " " + options.note()));

        md.append("| dump | size | objects | references | tool | runs | wall median | wall min–max | peak RSS median "
                + "| heaplens faster by | heaplens memory, of the peer's |\n");
        md.append("|---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Map<String, List<Run>>> d : grouped.entrySet()) {
            Run any = d.getValue().values().iterator().next().get(0);
            Summary heaplens = d.getValue().containsKey("heaplens") ? Summary.of("heaplens", d.getValue().get("heaplens")) : null;
            boolean firstRow = true;
            for (Map.Entry<String, List<Run>> t : d.getValue().entrySet()) {
                Summary s = Summary.of(t.getKey(), t.getValue());
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                        firstRow ? "`" + d.getKey() + "`" : "",
                        firstRow ? String.format(Locale.ROOT, "%,.0f MB", any.dumpBytes() / 1e6) : "",
                        firstRow ? String.format(Locale.ROOT, "%,d", any.objects()) : "",
                        firstRow ? String.format(Locale.ROOT, "%,d", any.references()) : "",
                        s.tool().equals("heaplens") ? "**heaplens**" : s.tool(),
                        s.ok() + "/" + s.total() + (s.failures().isEmpty() ? "" : " (" + s.failures() + ")"),
                        s.measured() ? String.format(Locale.ROOT, "%.2f s", s.wallMedian())
                                : s.failures().contains("timeout") ? String.format(Locale.ROOT, "> %.0f s", s.wallMedian())
                                : String.format(Locale.ROOT, "failed after %.0f s", s.wallMedian()),
                        s.measured() ? String.format(Locale.ROOT, "%.2f–%.2f s", s.wallMin(), s.wallMax()) : "—",
                        s.measured() ? String.format(Locale.ROOT, "%,.0f MB", s.rssMedianMb())
                                : s.failedRssMb() > 0 ? String.format(Locale.ROOT, "≥ %,.0f MB", s.failedRssMb()) : "—",
                        ratioTime(heaplens, s), ratioMemory(heaplens, s)));
                firstRow = false;
            }
        }
        md.append("\nSize is the HPROF file (MB = 10^6 bytes); objects and references are counted by `HprofCensus`, "
                + "independently of every tool; RSS in MB = 10^6 bytes too. *heaplens faster by* = the peer's median wall time ÷ heaplens' median; "
                + "*heaplens memory, of the peer's* = heaplens' median peak RSS ÷ the peer's. A peer that failed every round "
                + "(over the time limit, `--timeout`, or out of memory at `-Xmx" + xmx + "`) has a lower bound "
                + "for its time (\"> N×\") and for its memory (what it held when it was stopped, \"≥\"); it is not run again "
                + "on that dump.\n\n");

        md.append("**What each tool found** (first successful run; each in its own size model, see *What each tool does* above):\n\n");
        md.append("| dump | tool | objects | classes with instances | total shallow | largest retained (class) |\n");
        md.append("|---|---|---:|---:|---:|---|\n");
        for (Map.Entry<String, Map<String, List<Run>>> d : grouped.entrySet()) {
            for (Map.Entry<String, List<Run>> t : d.getValue().entrySet()) {
                Summary s = Summary.of(t.getKey(), t.getValue());
                Map<String, String> f = fields(s.result());
                if (!s.measured()) {
                    md.append(String.format(Locale.ROOT, "| `%s` | %s | — | — | — | %s |%n", d.getKey(), s.tool(),
                            s.result().isEmpty() ? s.failures() : "`" + shorten(s.result()) + "`"));
                    continue;
                }
                md.append(String.format(Locale.ROOT, "| `%s` | %s | %s | %s | %s | %s (`%s`) |%n", d.getKey(), s.tool(),
                        number(f.get("objects")), number(f.get("classesWithInstances")), number(f.get("shallow")),
                        number(f.get("largestRetained")), f.getOrDefault("largestClass", "?")));
            }
        }

        md.append("\n**heaplens' cost per object and per reference** (median cold run; RSS above a JVM with the same `-Xmx` "
                + "that loads the CLI and prints its help, " + String.format(Locale.ROOT, "%,.0f MB", baselineKb * 1024 / 1e6)
                + "; the issue's memory budget is 60 B/object + 4 B/reference above that baseline):\n\n");
        md.append("| dump | objects | references | wall | ns/object | ns/reference | RSS above baseline | B/object (all charged to objects) "
                + "| of the budget 60 B/obj + 4 B/ref |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Map<String, List<Run>>> d : grouped.entrySet()) {
            List<Run> h = d.getValue().get("heaplens");
            if (h == null) {
                continue;
            }
            Summary s = Summary.of("heaplens", h);
            if (!s.measured()) {
                continue;
            }
            Run any = h.get(0);
            double above = s.rssMedianMb() * 1e6 - baselineKb * 1024.0;
            double budget = 60.0 * any.objects() + 4.0 * any.references();
            md.append(String.format(Locale.ROOT, "| `%s` | %,d | %,d | %.2f s | %,.0f | %,.0f | %,.0f MB | %.0f | %.0f %% |%n",
                    d.getKey(), any.objects(), any.references(), s.wallMedian(), s.wallMedian() * 1e9 / any.objects(),
                    s.wallMedian() * 1e9 / any.references(), above / 1e6, above / any.objects(), 100 * above / budget));
        }
        long largest = runs.stream().filter(r -> r.tool().equals("heaplens") && r.ok()).mapToLong(Run::dumpBytes).max().orElse(0);
        runs.stream().filter(r -> r.tool().equals("heaplens") && r.ok() && r.dumpBytes() == largest).findFirst()
                .ifPresent(r -> md.append(String.format(Locale.ROOT, "%nLargest dump analysed by heaplens here: `%s`, %,d bytes, "
                        + "%,d objects, at `-Xmx%s`.%n", r.dump(), r.dumpBytes(), r.objects(), r.xmx())));
        md.append("\n![wall time and peak RSS against dump size, per tool](peers.png)\n\n");
        md.append(END).append("\n");
        return md.toString();
    }

    private static String ratioTime(Summary heaplens, Summary peer) {
        if (heaplens == null || peer.tool().equals("heaplens") || !heaplens.measured()) {
            return "";
        }
        double r = peer.wallMedian() / heaplens.wallMedian();
        return peer.measured() ? String.format(Locale.ROOT, "**%.1f×**", r) : String.format(Locale.ROOT, "> %.0f×", r);
    }

    private static String ratioMemory(Summary heaplens, Summary peer) {
        if (heaplens == null || peer.tool().equals("heaplens") || !heaplens.measured()) {
            return "";
        }
        if (!peer.measured()) {
            return peer.failedRssMb() > 0
                    ? String.format(Locale.ROOT, "< %.0f %%", 100 * heaplens.rssMedianMb() / peer.failedRssMb()) : "";
        }
        return String.format(Locale.ROOT, "**%.0f %%**", 100 * heaplens.rssMedianMb() / peer.rssMedianMb());
    }

    static Map<String, String> fields(String result) {
        Map<String, String> f = new TreeMap<>();
        for (String token : result.split(" ")) {
            if (token.equals("|")) {
                break;
            }
            int eq = token.indexOf('=');
            if (eq > 0) {
                f.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return f;
    }

    private static String number(String s) {
        if (s == null) {
            return "?";
        }
        try {
            return String.format(Locale.ROOT, "%,d", Long.parseLong(s));
        } catch (NumberFormatException e) {
            return s;
        }
    }

    private static String shorten(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }

    /** Replaces the block between the markers in {@code readme}, or appends it under a heading. */
    static void replaceInReadme(Path readme, String block) throws IOException {
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        String updated;
        if (begin >= 0 && end > begin) {
            updated = text.substring(0, begin) + block + text.substring(end + END.length()).replaceFirst("^\n", "");
        } else {
            updated = text.stripTrailing() + "\n\n## Head-to-head with the peers (issue 15)\n\n" + block;
        }
        Files.writeString(readme, updated, StandardCharsets.UTF_8);
    }
}

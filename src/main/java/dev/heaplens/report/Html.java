package dev.heaplens.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The pieces every heaplens HTML page shares: escaping, the inline style sheet and script, and
 * the page around the sections. A page needs nothing from the network: no external
 * {@code src} or {@code href}, so it opens offline, from a bug tracker's attachment or a CI
 * artifact.
 */
final class Html {
    private Html() {
    }

    /** A file's name for a title: its last element, or the whole path when it has none. */
    static String fileName(Path p) {
        return p == null ? "(unnamed)" : p.getFileName() == null ? p.toString() : p.getFileName().toString();
    }

    /** Text made safe inside an element or a quoted attribute. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }

    /** JSON made safe inside a {@code <script type="application/json">}: no {@code </script>} can end it early. */
    static String scriptJson(String json) {
        return json.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

    /** The page's head: title, inline style sheet; then the body starts. */
    static void begin(StringBuilder b, String title) {
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(title)).append("</title>\n<style>\n").append(resource("report.css"))
                .append("</style>\n</head>\n<body>\n");
    }

    /** The page's header: what it is, the file it is about, and one line of detail. */
    static void header(StringBuilder b, String title, String subject, String detail) {
        b.append("<header><h1>").append(escape(title)).append("</h1><p class=\"file\">").append(escape(subject))
                .append("</p><p class=\"sub\">").append(escape(detail)).append("</p></header>\n");
    }

    /** The navigation bar: pairs of section id and label. */
    static void nav(StringBuilder b, String... idsAndLabels) {
        b.append("<nav>");
        for (int i = 0; i + 1 < idsAndLabels.length; i += 2) {
            b.append("<a href=\"#").append(escape(idsAndLabels[i])).append("\">").append(escape(idsAndLabels[i + 1])).append("</a>");
        }
        b.append("</nav>\n<main>\n");
    }

    /** The end of the page's main part and its footer. */
    static void footer(StringBuilder b, String madeFrom) {
        b.append("</main>\n<footer>Made by heaplens from ").append(escape(madeFrom))
                .append(". This page needs no network: everything it shows is inside it.</footer>\n");
    }

    /** A summary card: a key, a value, a detail. */
    static void card(StringBuilder b, String key, String value, String detail) {
        b.append("<div class=\"card\"><div class=\"k\">").append(escape(key)).append("</div><div class=\"v\">")
                .append(escape(value)).append("</div><div class=\"d\">").append(escape(detail)).append("</div></div>\n");
    }

    /** Text as a preformatted block (a result's own table or tree, as it prints). */
    static void pre(StringBuilder b, String css, String text) {
        b.append("<pre class=\"").append(escape(css)).append("\">").append(escape(text)).append("</pre>\n");
    }

    /** The inline script, then the end of the page. */
    static void end(StringBuilder b) {
        b.append("<script>\n").append(resource("report.js")).append("</script>\n</body>\n</html>\n");
    }

    private static String resource(String name) {
        try (InputStream in = Html.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("heaplens is missing its resource dev/heaplens/report/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

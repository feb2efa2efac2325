package dev.heaplens.report;

import dev.heaplens.text.TextTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A table of an HTML page: escaped cells, numbers right-aligned with their exact value kept for
 * sorting ({@code data-v}), sortable by a click on a header, and only the first rows shown until
 * "show all" is clicked. Builds markup only; the numbers come from the model.
 */
final class HtmlTable {
    /** One cell: its text, how it is shown, and the number it sorts by ({@code NaN}: none). */
    record Cell(String text, String css, double sortValue) {
    }

    private final String id;
    private final int initialRows;
    private final List<String> headers = new ArrayList<>();
    private final List<Boolean> numeric = new ArrayList<>();
    private final List<Cell[]> rows = new ArrayList<>();

    /** A table with this element id, showing {@code initialRows} rows until expanded (0: all). */
    HtmlTable(String id, int initialRows) {
        this.id = id;
        this.initialRows = initialRows;
    }

    HtmlTable text(String header) {
        headers.add(header);
        numeric.add(false);
        return this;
    }

    HtmlTable number(String header) {
        headers.add(header);
        numeric.add(true);
        return this;
    }

    HtmlTable row(Cell... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        rows.add(cells);
        return this;
    }

    int rowCount() {
        return rows.size();
    }

    static Cell plain(String s) {
        return new Cell(s == null ? "" : s, null, Double.NaN);
    }

    /** Code-like text (a class name, a field): monospaced. */
    static Cell code(String s) {
        return new Cell(s == null ? "" : s, "c", Double.NaN);
    }

    static Cell count(long n) {
        return new Cell(TextTable.number(n), "n", n);
    }

    static Cell bytes(long n) {
        return new Cell(TextTable.bytes(n), "n", n);
    }

    /** A change: {@code +1,234} or {@code -56}. */
    static Cell signedCount(long n) {
        return new Cell(TextTable.signed(n), "n", n);
    }

    /** A change in bytes: {@code +1,234,567} or {@code -4,096}. */
    static Cell signedBytes(long n) {
        return new Cell(TextTable.signed(n), "n", n);
    }

    static Cell percent(double p) {
        return new Cell(String.format(Locale.ROOT, "%.1f%%", p), "n", p);
    }

    /** The table, and a "show all" button when it has more rows than it shows at first. */
    void appendTo(StringBuilder b) {
        b.append("<table class=\"sortable\" id=\"").append(Html.escape(id)).append("\" data-initial=\"").append(initialRows)
                .append("\"><thead><tr>");
        for (int i = 0; i < headers.size(); i++) {
            b.append(numeric.get(i) ? "<th class=\"n\">" : "<th>").append(Html.escape(headers.get(i))).append("</th>");
        }
        b.append("</tr></thead><tbody>\n");
        for (int r = 0; r < rows.size(); r++) {
            b.append(initialRows > 0 && r >= initialRows ? "<tr class=\"hidden\">" : "<tr>");
            for (Cell c : rows.get(r)) {
                b.append("<td");
                if (c.css() != null) {
                    b.append(" class=\"").append(c.css()).append('"');
                }
                if (!Double.isNaN(c.sortValue())) {
                    b.append(" data-v=\"").append(sortText(c.sortValue())).append('"');
                }
                b.append('>').append(Html.escape(c.text())).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody></table>\n");
        if (initialRows > 0 && rows.size() > initialRows) {
            String more = "Show all " + TextTable.number(rows.size()) + " rows";
            b.append("<button class=\"more\" type=\"button\" data-table=\"").append(Html.escape(id)).append("\" data-more=\"")
                    .append(Html.escape(more)).append("\">").append(Html.escape(more)).append("</button>\n");
        }
    }

    private static String sortText(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}

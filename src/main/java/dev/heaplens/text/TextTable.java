package dev.heaplens.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one renderer behind every result's {@code toString()}: a plain-text table with a header,
 * right-aligned numbers and left-aligned text, readable in a terminal, a log or JShell.
 *
 * <p>It lives in its own leaf package so that results anywhere in the pipeline can print themselves
 * without depending on the report renderers to their right.
 *
 * <pre>{@code
 * TextTable t = new TextTable("class", "count", "bytes").alignRight(1, 2);
 * t.row("java.lang.String", TextTable.number(12), TextTable.bytes(288));
 * System.out.println(t);
 * }</pre>
 */
public final class TextTable {
    private final String[] headers;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();
    private String footer;

    /** A table with these column headers. */
    public TextTable(String... headers) {
        this.headers = headers.clone();
        this.right = new boolean[headers.length];
    }

    /** Right-aligns the given columns (numbers). */
    public TextTable alignRight(int... columns) {
        for (int c : columns) {
            right[c] = true;
        }
        return this;
    }

    /** Adds a row; missing cells are blank. */
    public TextTable row(Object... cells) {
        String[] r = new String[headers.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = i < cells.length && cells[i] != null ? cells[i].toString() : "";
        }
        rows.add(r);
        return this;
    }

    /** A line printed under the table, such as a total or "… 120 more". */
    public TextTable footer(String footer) {
        this.footer = footer;
        return this;
    }

    /** A count with thousands separators: {@code 1,234,567}. */
    public static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A change with its sign and thousands separators: {@code +1,234}, {@code -56}, {@code 0}. */
    public static String signed(long n) {
        return n > 0 ? "+" + number(n) : number(n);
    }

    /** A byte count with thousands separators. */
    public static String bytes(long n) {
        return number(n);
    }

    /** A byte count in the largest fitting unit: {@code 1.5 MB} (binary units). */
    public static String humanBytes(long n) {
        if (Math.abs(n) < 1024) {
            return n + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (Math.abs(v) >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    @Override
    public String toString() {
        int[] width = new int[headers.length];
        for (int c = 0; c < headers.length; c++) {
            width[c] = headers[c].length();
        }
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, headers, width);
        for (int c = 0; c < headers.length; c++) {
            b.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
        }
        b.append('\n');
        for (String[] r : rows) {
            line(b, r, width);
        }
        if (footer != null) {
            b.append(footer).append('\n');
        }
        return b.toString();
    }

    private void line(StringBuilder b, String[] cells, int[] width) {
        int start = b.length();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                b.append("  ");
            }
            // pad in place, and never the last left-aligned cell: a cell of a million characters (a damaged
            // dump's class name) would otherwise cost a million blanks in every other row
            int pad = width[c] - cells[c].length();
            boolean last = c == cells.length - 1;
            if (right[c]) {
                blanks(b, pad);
            }
            b.append(cells[c]);
            if (!right[c] && !last) {
                blanks(b, pad);
            }
        }
        // no trailing blanks
        int end = b.length();
        while (end > start && b.charAt(end - 1) == ' ') {
            end--;
        }
        b.setLength(end);
        b.append('\n');
    }

    private static void blanks(StringBuilder b, int n) {
        for (int i = 0; i < n; i++) {
            b.append(' ');
        }
    }
}

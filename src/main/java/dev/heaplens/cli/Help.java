package dev.heaplens.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The help of the command line, in 79 columns: a synopsis, the description, then each parameter
 * and option with what it does, as {@code --help} prints it.
 *
 * <pre>
 * Usage: heaplens dominators [-hV] [--lenient] [--format=FORMAT] [--top=N] DUMP
 * Print the objects with the largest retained sizes (what the GC would free with each).
 *       DUMP              An HPROF heap dump, plain or gzip-compressed.
 *       --format=FORMAT   text or json (default: text).
 *   -h, --help            Show this help message and exit.
 * </pre>
 */
final class Help {
    /** The last column text may take: picocli's, which leaves the 80th free. */
    private static final int WIDTH = 79;
    private static final String HELP = "Show this help message and exit.";
    private static final String VERSION = "Print version information and exit.";

    private Help() {
    }

    /** The help of one command. */
    static String of(Options o) {
        StringBuilder b = new StringBuilder();
        String head = "Usage: heaplens " + o.command() + " ";
        List<String> synopsis = new ArrayList<>();
        synopsis.add("[-hV]");
        List<Options.Option> sorted = new ArrayList<>(o.options());
        sorted.sort(Comparator.comparing(Help::sortKey));
        for (Options.Option option : sorted) {
            if (option.flag()) {
                synopsis.add("[" + option.shown(option.names().get(0)) + "]");
            }
        }
        for (Options.Option option : sorted) {
            if (!option.flag() && !option.repeatable()) {
                String shown = option.shown(option.names().get(0));
                synopsis.add(option.required() ? shown : "[" + shown + "]");
            }
        }
        for (Options.Option option : sorted) {
            if (option.repeatable()) {
                synopsis.add("[" + option.shown(option.names().get(0)) + "]...");
            }
        }
        for (Options.Positional p : o.positionals()) {
            synopsis.add(shown(p));
        }
        b.append(fill(head, synopsis, head.length()));
        b.append(wrap(o.description(), 0, 0));
        List<String[]> rows = new ArrayList<>();
        for (Options.Positional p : o.positionals()) {
            rows.add(new String[] {"      " + shown(p), p.description()});
        }
        List<Options.Option> withBuiltIns = new ArrayList<>(sorted);
        withBuiltIns.add(new Options.Option(List.of("-h", "--help"), null, HELP, false, false, v -> { }));
        withBuiltIns.add(new Options.Option(List.of("-V", "--version"), null, VERSION, false, false, v -> { }));
        withBuiltIns.sort(Comparator.comparing(Help::sortKey));
        for (Options.Option option : withBuiltIns) {
            rows.add(new String[] {names(option), option.description()});
        }
        b.append(table(rows, 3));
        return b.toString();
    }

    /** The help of the command line itself: the commands and what each does. */
    static String ofMain(String description, Map<String, String> commands) {
        StringBuilder b = new StringBuilder("Usage: heaplens [-hV] [COMMAND]\n");
        b.append(wrap(description, 0, 0));
        List<String[]> options = new ArrayList<>();
        options.add(new String[] {"  -h, --help", HELP});
        options.add(new String[] {"  -V, --version", VERSION});
        b.append(table(options, 3));
        b.append("Commands:\n");
        List<String[]> rows = new ArrayList<>();
        commands.forEach((name, what) -> rows.add(new String[] {"  " + name, what}));
        b.append(table(rows, 2));
        return b.toString();
    }

    /** picocli's order: by the short name if there is one, else the long one, without dashes, ignoring case. */
    private static String sortKey(Options.Option option) {
        return option.names().get(0).replaceFirst("^-+", "").toLowerCase(Locale.ROOT);
    }

    private static String shown(Options.Positional p) {
        String label = p.max() == p.min() && p.max() > 1 ? String.join(" ", java.util.Collections.nCopies(p.max(), p.label()))
                : p.max() != 1 ? p.label() + "..." : p.label();
        return p.min() == 0 ? "[" + label + "]" : label;
    }

    private static String names(Options.Option option) {
        List<String> names = option.names();
        String first = names.get(0);
        boolean hasShort = !first.startsWith("--");
        String text = hasShort ? "  " + first + (names.size() > 1 ? ", " + names.get(1) : "") : "      " + first;
        return option.flag() ? text : text + "=" + option.label();
    }

    /** Rows of name and description, the descriptions in one column {@code gap} spaces after the widest name, wrapped. */
    private static String table(List<String[]> rows, int gap) {
        int column = 0;
        for (String[] row : rows) {
            column = Math.max(column, row[0].length() + gap);
        }
        StringBuilder b = new StringBuilder();
        for (String[] row : rows) {
            b.append(row[0]).append(" ".repeat(column - row[0].length()));
            b.append(wrap(row[1], column, column + 2).substring(column));
        }
        return b.toString();
    }

    /** The words after {@code head}, wrapped at column {@value #WIDTH}, continuation lines indented by {@code indent}. */
    private static String fill(String head, List<String> words, int indent) {
        StringBuilder b = new StringBuilder(head);
        int col = head.length();
        boolean first = true;
        for (String word : words) {
            if (!first && col + 1 + word.length() > WIDTH) {
                b.append('\n').append(" ".repeat(indent));
                col = indent;
            } else if (!first) {
                b.append(' ');
                col++;
            }
            b.append(word);
            col += word.length();
            first = false;
        }
        return b.append('\n').toString();
    }

    /** {@code text} wrapped: the first line starts at column {@code first}, the others at {@code rest}. */
    private static String wrap(String text, int first, int rest) {
        return fill(" ".repeat(first), List.of(text.split(" ")), rest);
    }
}

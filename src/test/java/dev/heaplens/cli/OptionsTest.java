package dev.heaplens.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's parser and help, on a command of every kind of option and parameter. */
class OptionsTest {
    /** What a parse set. */
    private static final class Parsed {
        boolean keep;
        int top = 20;
        String format = "text";
        String output;
        final List<String> packages = new ArrayList<>();
        final List<String> dumps = new ArrayList<>();
        String to;
    }

    private static Options options(Parsed p, int minDumps, int maxDumps) {
        return new Options("demo", "A command with a description long enough to wrap at the seventy-ninth column of the terminal, "
                + "as the real ones do.")
                .flag("--keep", "Keep it.", () -> p.keep = true)
                .value("--top", "N", "Rows (default: 20).", v -> p.top = Options.toInt(v))
                .value("--format", "FORMAT", "text or json (default: text).", v -> p.format = Options.toEnum(OutputFormat.class, v).name())
                .value(List.of("-o", "--output"), "FILE", "Write to FILE.", false, v -> p.output = v)
                .repeatable("--package", "PREFIX", "Your code (repeatable).", p.packages::add)
                .required("--to", "ID", "What to find.", v -> p.to = v)
                .positional("DUMP", minDumps, maxDumps, "The dumps.", p.dumps::add);
    }

    private static Parsed parse(int min, int max, String... args) {
        Parsed p = new Parsed();
        assertEquals(Options.Request.RUN, options(p, min, max).parse(args));
        return p;
    }

    private static String error(int min, int max, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> options(new Parsed(), min, max).parse(args));
        assertEquals("Try 'heaplens demo --help'.", e.tryHelp());
        return e.getMessage();
    }

    @Test
    void optionsTakeTheirValuesEitherWayAndParametersTheRest() {
        Parsed p = parse(1, 2, "a.hprof", "--top", "5", "--keep", "--format=json", "-o", "out.txt", "--to=0x10",
                "--package", "com.acme.", "--package=org.example.", "b.hprof");
        assertTrue(p.keep);
        assertEquals(5, p.top);
        assertEquals("json", p.format);
        assertEquals("out.txt", p.output);
        assertEquals("0x10", p.to);
        assertEquals(List.of("com.acme.", "org.example."), p.packages);
        assertEquals(List.of("a.hprof", "b.hprof"), p.dumps);
        Parsed defaults = parse(0, 1, "--to", "x");
        assertEquals(20, defaults.top);
        assertEquals(List.of(), defaults.dumps);
        assertEquals(List.of("-dash.hprof", "--keep"), parse(0, -1, "--to", "x", "--", "-dash.hprof", "--keep").dumps,
                "after --, everything is a parameter");
        assertEquals(Options.Request.HELP, options(new Parsed(), 1, 1).parse(new String[] {"--top", "5", "--help"}),
                "help, whatever else is missing");
        assertEquals(Options.Request.VERSION, options(new Parsed(), 1, 1).parse(new String[] {"-V"}));
    }

    @Test
    void everyMistakeNamesTheArgument() {
        assertEquals("Unknown option: '--formt'", error(1, 1, "--to", "x", "--formt", "json", "a"));
        assertEquals("Invalid value for option '--top': 'x' is not an int", error(1, 1, "--to", "x", "--top", "x", "a"));
        assertEquals("Invalid value for option '--format': expected one of [text, json] (case-sensitive) but was 'xml'",
                error(1, 1, "--to", "x", "--format", "xml", "a"));
        assertEquals("Missing required parameter for option '--top' (N)", error(1, 1, "--to", "x", "a", "--top"));
        assertEquals("Missing required option: '--to=ID'", error(1, 1, "a"));
        assertEquals("Missing required parameter: 'DUMP'", error(1, 1, "--to", "x"));
        assertEquals("DUMP needs 2 values, but 1 was given: [a]", error(2, 2, "--to", "x", "a"));
        assertEquals("DUMP needs at least 3 values, but 2 were given: [a, b]", error(3, -1, "--to", "x", "a", "b"));
        assertEquals("Unmatched arguments: 'b' 'c'", error(1, 1, "--to", "x", "a", "b", "c"));
        assertEquals("option '--keep' takes no value, but was given 'yes'", error(1, 1, "--to", "x", "--keep=yes", "a"));
    }

    @Test
    void theHelpListsEveryOptionInSeventyNineColumns() {
        String help = Help.of(options(new Parsed(), 1, 1));
        assertTrue(help.startsWith("Usage: heaplens demo [-hV] [--keep] [--format=FORMAT] [-o=FILE] --to=ID\n"
                + "                     [--top=N] [--package=PREFIX]... DUMP\n"
                + "A command with a description long enough to wrap at the seventy-ninth column of\n"
                + "the terminal, as the real ones do.\n"), help);
        for (String line : help.split("\n")) {
            assertTrue(line.length() <= 79, "too wide: " + line);
        }
        assertTrue(help.contains("\n  -o, --output=FILE      Write to FILE.\n"), help);
        assertTrue(help.contains("\n  -h, --help             Show this help message and exit.\n"), help);
        assertTrue(help.contains("\n      DUMP               The dumps.\n"), help);
        for (String option : List.of("--keep", "--top=N", "--format=FORMAT", "--package=PREFIX", "--to=ID", "--version")) {
            assertTrue(help.contains(option), option + " in " + help);
        }
    }
}

package dev.heaplens.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The options and parameters of one command, and the parser of its arguments: what a command
 * {@linkplain CliCommand#declare declares}, each bound to a field of the command through a setter.
 * Options take their value as {@code --top 5} or {@code --top=5}; {@code --} ends the options.
 * Every mistake is a {@link UsageException} that names the argument.
 *
 * <p>Hand-written rather than picocli: picocli reflects over its annotations and registers its
 * converters before a command starts, about 120 ms of a cold run that reads a 189 MB dump in under
 * two seconds.
 *
 * <pre>{@code
 * o.flag("--keep", "Keep the dump.", () -> keep = true)
 *  .value("--top", "N", "Rows to list (default: 20).", v -> top = Options.toInt(v))
 *  .positional("DUMP", 1, 1, "An HPROF heap dump.", v -> dump = Options.toPath(v));
 * }</pre>
 */
final class Options {
    /** One option: its names ({@code -o}, {@code --output}), the label of its value (none for a flag). */
    record Option(List<String> names, String label, String description, boolean required, boolean repeatable, Consumer<String> set) {
        boolean flag() {
            return label == null;
        }

        /** The name that sorts it and names it in messages: the long one. */
        String longName() {
            return names.get(names.size() - 1);
        }

        /** How the synopsis and messages show it: {@code --top=N}, {@code -o=FILE}, {@code --keep}. */
        String shown(String name) {
            return flag() ? name : name + "=" + label;
        }
    }

    /** The positional parameters of one label, {@code min} to {@code max} of them ({@code max} -1 for any number). */
    record Positional(String label, int min, int max, String description, Consumer<String> set) {
    }

    private final String command;
    private final String description;
    private final List<Option> options = new ArrayList<>();
    private final List<Positional> positionals = new ArrayList<>();

    /** The options of {@code command} ({@code "analyze"}); it also takes {@code -h, --help} and {@code -V, --version}. */
    Options(String command, String description) {
        this.command = command;
        this.description = description;
    }

    /** The command's name. */
    String command() {
        return command;
    }

    /** What the command does, for its help. */
    String description() {
        return description;
    }

    List<Option> options() {
        return options;
    }

    List<Positional> positionals() {
        return positionals;
    }

    /** An option without a value. */
    Options flag(String name, String description, Runnable set) {
        options.add(new Option(List.of(name), null, description, false, false, v -> set.run()));
        return this;
    }

    /** An option with a value; given more than once, the last value counts. */
    Options value(String name, String label, String description, Consumer<String> set) {
        return value(List.of(name), label, description, false, set);
    }

    /** An option that may be given several times, {@code set} seeing each value in turn. */
    Options repeatable(String name, String label, String description, Consumer<String> set) {
        options.add(new Option(List.of(name), label, description, false, true, set));
        return this;
    }

    /** An option with a value that must be given. */
    Options required(String name, String label, String description, Consumer<String> set) {
        return value(List.of(name), label, description, true, set);
    }

    /** An option with a value and several spellings, short first. */
    Options value(List<String> names, String label, String description, boolean required, Consumer<String> set) {
        options.add(new Option(List.copyOf(names), label, description, required, false, set));
        return this;
    }

    /** Positional parameters: {@code min} to {@code max} of them ({@code max} -1 for any number), each given to {@code set}. */
    Options positional(String label, int min, int max, String description, Consumer<String> set) {
        positionals.add(new Positional(label, min, max, description, set));
        return this;
    }

    /** What the arguments asked for besides running the command. */
    enum Request {
        RUN, HELP, VERSION
    }

    /**
     * Parses {@code args} (the command's, after its name), calling each option's and parameter's
     * setter; a setter's {@link IllegalArgumentException} becomes a usage error naming the argument.
     */
    Request parse(String[] args) {
        List<String> values = new ArrayList<>();
        Set<Option> given = new HashSet<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                values.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (arg.equals("-h") || arg.equals("--help")) {
                return Request.HELP;
            }
            if (arg.equals("-V") || arg.equals("--version")) {
                return Request.VERSION;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            Option option = find(name);
            if (option == null) {
                throw new UsageException(command, "Unknown option: '" + arg + "'");
            }
            given.add(option);
            if (option.flag()) {
                if (eq >= 0) {
                    throw new UsageException(command, "option '" + name + "' takes no value, but was given '" + arg.substring(eq + 1) + "'");
                }
                option.set().accept(null);
                continue;
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException(command, "Missing required parameter for option '" + name + "' (" + option.label() + ")");
            }
            set(option.set(), value, "option '" + name + "'");
        }
        for (Option option : options) {
            if (option.required() && !given.contains(option)) {
                throw new UsageException(command, "Missing required option: '" + option.shown(option.longName()) + "'");
            }
        }
        assign(values);
        return Request.RUN;
    }

    private Option find(String name) {
        for (Option option : options) {
            if (option.names().contains(name)) {
                return option;
            }
        }
        return null;
    }

    /** Hands the positional values to their parameters in order, each taking as many as it may. */
    private void assign(List<String> values) {
        int at = 0;
        for (int p = 0; p < positionals.size(); p++) {
            Positional positional = positionals.get(p);
            int laterMinimum = 0;
            for (int q = p + 1; q < positionals.size(); q++) {
                laterMinimum += positionals.get(q).min();
            }
            int available = values.size() - at - laterMinimum;
            int take = positional.max() < 0 ? Math.max(0, available) : Math.max(0, Math.min(positional.max(), available));
            if (take < positional.min()) {
                throw new UsageException(command, positional.min() == 1 && positional.max() == 1
                        ? "Missing required parameter: '" + positional.label() + "'"
                        : positional.label() + " needs " + (positional.max() == positional.min() ? "" : "at least ") + positional.min()
                        + " values, but " + take + (take == 1 ? " was" : " were") + " given" + (take == 0 ? "" : ": " + values.subList(at, at + take)));
            }
            for (int k = 0; k < take; k++) {
                set(positional.set(), values.get(at + k), "parameter " + positional.label());
            }
            at += take;
        }
        if (at < values.size()) {
            throw new UsageException(command, "Unmatched argument" + (values.size() - at > 1 ? "s" : "") + ": "
                    + String.join(" ", values.subList(at, values.size()).stream().map(v -> "'" + v + "'").toList()));
        }
    }

    private void set(Consumer<String> setter, String value, String what) {
        try {
            setter.accept(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(command, "Invalid value for " + what + ": " + e.getMessage());
        }
    }

    /** {@code value} as an {@code int}, or a message that names it. */
    static int toInt(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not an int");
        }
    }

    /** {@code value} as a {@code long}, or a message that names it. */
    static long toLong(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a long");
        }
    }

    /** {@code value} as a {@code double}, or a message that names it. */
    static double toDouble(String value) {
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a number");
        }
    }

    /** {@code value} as a path, or a message that names it. */
    static Path toPath(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + value + "' is not a path: " + e.getReason());
        }
    }

    /** The constant of {@code type} named {@code value}, or a message listing them. */
    static <E extends Enum<E>> E toEnum(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("expected one of " + Arrays.toString(type.getEnumConstants()) + " (case-sensitive) but was '"
                + value + "'");
    }
}

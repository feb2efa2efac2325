package dev.heaplens.cli;

/** How an analysing command reads and prints: {@code [--format text|json] [--lenient]}. */
class ReadOptions extends ReadMode {
    OutputFormat format = OutputFormat.text;

    /** Adds {@code --format} and {@code --lenient}. */
    @Override
    void declare(Options o) {
        super.declare(o);
        o.value("--format", "FORMAT", "text or json (default: text).", v -> format = Options.toEnum(OutputFormat.class, v));
    }

    /** Whether JSON was asked for. */
    boolean json() {
        return format == OutputFormat.json;
    }
}

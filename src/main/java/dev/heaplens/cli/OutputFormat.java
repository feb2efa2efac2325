package dev.heaplens.cli;

/** How a command prints its result. */
enum OutputFormat {
    text, json
}

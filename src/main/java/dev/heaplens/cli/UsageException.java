package dev.heaplens.cli;

/**
 * A mistake in the command line: printed as one line with a pointer to the command's help, exit
 * status 2.
 */
final class UsageException extends RuntimeException {
    private final String command;

    /** A mistake in the arguments of {@code command} ({@code null} for heaplens itself). */
    UsageException(String command, String message) {
        super(message);
        this.command = command;
    }

    /** Where to look: {@code heaplens analyze --help}, or {@code heaplens --help}. */
    String tryHelp() {
        return "Try 'heaplens " + (command == null ? "" : command + " ") + "--help'.";
    }
}

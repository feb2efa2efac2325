package dev.heaplens.cli;

/** How a command that makes a report prints it: as text, JSON, or one self-contained HTML page. */
enum ReportFormat {
    text, json, html
}

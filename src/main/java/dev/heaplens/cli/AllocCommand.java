package dev.heaplens.cli;

import dev.heaplens.alloc.AllocationProfile;
import dev.heaplens.alloc.AllocationRecorder;
import dev.heaplens.alloc.AllocationSites;
import dev.heaplens.report.AllocationHtml;
import dev.heaplens.report.AllocationJson;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code heaplens alloc --pid PID --duration 30s | FILE.jfr [--type CLASS] [--package PREFIX]... [--tlab]
 * [--top N] [--format text|json|html] [-o FILE]}: what a JVM allocates, by type, call tree, backtraces, collections and
 * hot sites in the user's packages.
 */
final class AllocCommand implements CliCommand {
    private static final String NAME = "alloc";

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    Path file;
    Long pid;
    String duration = "30s";
    boolean tlab;
    String type;
    final List<String> packages = new ArrayList<>();
    int top = 15;
    final ReportOutput report = new ReportOutput();

    @Override
    public Options declare() {
        Options o = new Options(NAME, "Profile allocations with Java Flight Recorder: record a running JVM by pid for a while (through its"
                + " attach listener, no JMX agent), or read a .jfr file; print allocations by type, the call tree,"
                + " the backtraces of one type, the garbage collections, and the hot sites in your packages.")
                .positional("FILE.jfr", 0, 1, "A JFR recording to read (or give --pid).", v -> file = Options.toPath(v))
                .value("--pid", "PID", "Record this running JVM.", v -> pid = Options.toLong(v))
                .value("--duration", "TIME", "With --pid: how long to record: 500ms, 30s, 2m (default: 30s).", v -> duration = v)
                .flag("--tlab", "With --pid: also record an event per TLAB and per allocation outside one (heavier, counts objects).",
                        () -> tlab = true)
                .value("--type", "CLASS", "Show the backtraces of this class (default: the type allocated most).", v -> type = v)
                .repeatable("--package", "PREFIX", "Your own code, for hot sites: com.acme. (repeatable).", packages::add)
                .value("--top", "N", "Types listed (default: 15).", v -> top = Options.toInt(v));
        report.declare(o);
        return o;
    }

    @Override
    public int call(Console console) {
        if ((file == null) == (pid == null)) {
            throw new UsageException(NAME, "give either a FILE.jfr or --pid PID (not both)");
        }
        report.checkNotOver(NAME, Collections.singletonList(file));
        AllocationProfile profile;
        if (pid != null) {
            AllocationRecorder.Options options = AllocationRecorder.Options.defaults();
            profile = AllocationRecorder.record(pid, parse(duration), tlab ? options.withTlabEvents() : options);
        } else {
            profile = AllocationProfile.read(file);
        }
        String shown = type != null ? type : profile.byType().isEmpty() ? null : profile.byType().get(0).className();
        AllocationSites sites = packages.isEmpty() ? null : profile.hotSites(packages.toArray(String[]::new));
        report.emit(console, profile.recording().toString(), () -> text(profile, shown, sites),
                () -> AllocationJson.render(profile, shown, sites, top), () -> AllocationHtml.render(profile, shown, sites, top));
        return 0;
    }

    private String text(AllocationProfile profile, String shown, AllocationSites sites) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        out.printf(Locale.ROOT, "Allocation profile of %s%s: %,d allocation events over %.1f s%s%n%n", profile.recording(),
                profile.pid().isPresent() ? " (process " + profile.pid().getAsLong() + ")" : "", profile.allocationEvents(),
                profile.span().toMillis() / 1000.0, profile.sampled() ? "; sampled, so bytes and objects are estimates" : "");
        out.println(profile.byType().top(top));
        out.println("Call tree (top-down)");
        out.println(profile.callTree());
        if (shown != null) {
            out.println("Backtraces of " + shown + " (bottom-up)");
            out.println(profile.backtraces(shown));
        }
        if (sites != null) {
            out.println(sites);
        }
        out.print(profile.collections());
        out.flush();
        return text.toString();
    }

    private Duration parse(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new UsageException(NAME, "--duration takes 500ms, 30s, 2m or 1h, not '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}

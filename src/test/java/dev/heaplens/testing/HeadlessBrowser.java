package dev.heaplens.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real headless Chromium, driven over the DevTools protocol (a WebSocket, through
 * {@code java.net.http}; no Selenium, no driver binary): opens a page, evaluates script in it,
 * clicks, takes screenshots, and records what a user would never see — uncaught script errors,
 * console errors, and every network request the page makes.
 *
 * <pre>{@code
 * try (HeadlessBrowser browser = HeadlessBrowser.start()) {
 *     browser.open(Path.of("report.html"));
 *     browser.evaluate("document.title").asText();
 *     browser.scriptErrors();            // empty for a healthy page
 * }
 * }</pre>
 *
 * The browser is the OS package's ({@code chromium}, or {@code -Dheaplens.chromium=PATH}); .ci/run
 * installs it.
 */
public final class HeadlessBrowser implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private String session;

    private HeadlessBrowser(Process process, Path profile, String url) {
        this.process = process;
        this.profile = profile;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(TIMEOUT)
                .buildAsync(URI.create(url), new Listener()).join();
    }

    /** The temporary profile directory, deleted by {@link #close()}. */
    Path profile() {
        return profile;
    }

    /** The browser process and its helpers as they are now. */
    List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>(List.of(process.toHandle()));
        process.descendants().forEach(all::add);
        return all;
    }

    /** The Chromium binary: {@code -Dheaplens.chromium}, else the first of chromium, chromium-browser, google-chrome on the PATH. */
    public static Optional<Path> binary() {
        String named = System.getProperty("heaplens.chromium");
        if (named != null && !named.isBlank()) {
            return Optional.of(Path.of(named));
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
            for (String dir : path.split(":")) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Starts a browser as {@link #start} does, or skips the calling test (a JUnit assumption) when
     * the machine has no Chromium, unless {@code HEAPLENS_REQUIRE_BROWSER=true} (set by .ci/run once it
     * has installed Chromium) or {@code -Dheaplens.requireBrowser=true}: then that is a failure.
     */
    public static HeadlessBrowser startOrSkip(int width, int height) {
        if (binary().isEmpty()) {
            boolean required = Boolean.getBoolean("heaplens.requireBrowser") || "true".equals(System.getenv("HEAPLENS_REQUIRE_BROWSER"));
            org.junit.jupiter.api.Assertions.assertFalse(required, "no Chromium, though the browser tests are required here");
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "no Chromium on the PATH: the browser tests are skipped");
        }
        return start(width, height);
    }

    /** Starts a headless browser with a fresh profile and a page of {@code width} × {@code height} CSS pixels. */
    public static HeadlessBrowser start(int width, int height) {
        Path chromium = binary().orElseThrow(() -> new IllegalStateException(
                "no Chromium on the PATH (install the OS package 'chromium', or name it with -Dheaplens.chromium=PATH)"));
        try {
            Path profile = Files.createTempDirectory("heaplens-chromium");
            List<String> command = List.of(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--hide-scrollbars", "--remote-debugging-port=0", "--user-data-dir=" + profile,
                    "--window-size=" + width + "," + height, "about:blank");
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> url = new CompletableFuture<>();
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try {
                    for (String line; (line = err.readLine()) != null; ) {
                        lines.add(line);
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) {
                            url.complete(m.group(1));
                        }
                    }
                } catch (IOException ignored) {
                    // the browser went away; close() says so if it matters
                }
                url.completeExceptionally(new IllegalStateException("Chromium exited before listening: " + lines));
            }, "chromium-stderr");
            reader.setDaemon(true);
            reader.start();
            String ws = url.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            HeadlessBrowser browser = new HeadlessBrowser(process, profile, ws);
            browser.stderr.addAll(lines);
            browser.attach(width, height);
            return browser;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not start " + chromium + ": " + e, e);
        }
    }

    private void attach(int width, int height) {
        String target = browserCommand("Target.createTarget", JSON.createObjectNode().put("url", "about:blank"))
                .path("targetId").asText();
        session = browserCommand("Target.attachToTarget", JSON.createObjectNode().put("targetId", target).put("flatten", true))
                .path("sessionId").asText();
        command("Page.enable", null);
        command("Runtime.enable", null);
        command("Log.enable", null);
        command("Network.enable", null);
        command("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", false));
    }

    /** Opens a local file and waits for its load event (scripts have run by then). */
    public void open(Path file) {
        events.clear();
        String url = file.toAbsolutePath().toUri().toString();
        JsonNode result = command("Page.navigate", JSON.createObjectNode().put("url", url));
        if (result.hasNonNull("errorText")) {
            throw new IllegalStateException("could not open " + url + ": " + result.get("errorText").asText());
        }
        awaitEvent("Page.loadEventFired");
    }

    /** Evaluates a script expression in the page (promises awaited) and returns its value as JSON. */
    public JsonNode evaluate(String expression) {
        JsonNode result = command("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("script failed: " + expression + ": " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Clicks at a point of the page as a mouse would (press and release). */
    public void click(double x, double y) {
        for (String type : List.of("mousePressed", "mouseReleased")) {
            command("Input.dispatchMouseEvent", JSON.createObjectNode().put("type", type).put("x", x).put("y", y)
                    .put("button", "left").put("clickCount", 1));
        }
    }

    /** Clicks the centre of the first element matching a CSS selector, scrolled into view. */
    public void click(String selector) {
        JsonNode box = evaluate("(() => { const e = document.querySelector(" + quote(selector) + "); if (!e) return null;"
                + " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()");
        if (box.isNull() || box.isMissingNode()) {
            throw new IllegalStateException("nothing on the page matches " + selector);
        }
        click(box.get("x").asDouble(), box.get("y").asDouble());
    }

    /** A PNG of the page's top {@code height} CSS pixels (beyond the window if need be). */
    public byte[] screenshot(int height) {
        double width = evaluate("document.documentElement.clientWidth").asDouble();
        double page = evaluate("document.documentElement.scrollHeight").asDouble();
        evaluate("window.scrollTo(0, 0)");
        ObjectNode clip = JSON.createObjectNode().put("x", 0).put("y", 0).put("width", width).put("height", Math.min(height, page))
                .put("scale", 1);
        ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
        params.set("clip", clip);
        return Base64.getDecoder().decode(command("Page.captureScreenshot", params).path("data").asText());
    }

    /** Uncaught exceptions and console or log errors seen since the page was opened, each as one line. */
    public List<String> scriptErrors() {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events) {
            String method = e.path("method").asText();
            JsonNode p = e.path("params");
            if (method.equals("Runtime.exceptionThrown")) {
                JsonNode d = p.path("exceptionDetails");
                out.add("exception: " + d.path("exception").path("description").asText(d.path("text").asText()));
            } else if (method.equals("Runtime.consoleAPICalled") && p.path("type").asText().equals("error")) {
                out.add("console.error: " + p.path("args"));
            } else if (method.equals("Log.entryAdded") && p.path("entry").path("level").asText().equals("error")) {
                out.add("log: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
            }
        }
        return out;
    }

    /** The URL of every request the page made since it was opened (the page itself included). */
    public List<String> requests() {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events) {
            if (e.path("method").asText().equals("Network.requestWillBeSent")) {
                out.add(e.path("params").path("request").path("url").asText());
            }
        }
        return out;
    }

    private JsonNode browserCommand(String method, ObjectNode params) {
        return send(method, params, null);
    }

    private JsonNode command(String method, ObjectNode params) {
        return send(method, params, session);
    }

    private JsonNode send(String method, ObjectNode params, String sessionId) {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        if (params != null) {
            message.set("params", params);
        }
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            socket.sendText(message.toString(), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            JsonNode answer = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (answer.has("error")) {
                throw new IllegalStateException(method + " failed: " + answer.get("error"));
            }
            return answer.path("result");
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(method + " got no answer in " + TIMEOUT.toSeconds() + " s: " + e + "; browser said "
                    + stderr, e);
        } finally {
            pending.remove(id);
        }
    }

    private void awaitEvent(String method) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode e : events) {
                if (e.path("method").asText().equals(method)) {
                    return;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no " + method + " in " + TIMEOUT.toSeconds() + " s");
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            browserCommand("Browser.close", null);
        } catch (RuntimeException ignored) {
            // it may be gone already; the process is ended below either way
        }
        socket.abort();
        // Chromium's helper processes (network service, GPU, zygote) outlive the browser process
        // for a moment and keep writing to the profile: end them all before deleting it.
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        helpers.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle helper : helpers) {
                try {
                    helper.onExit().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    helper.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteProfile();
    }

    /**
     * Deletes the temporary profile, as far as it can: a file that a helper still renames while the
     * walk runs (it did, {@code NoSuchFileException} from inside the walk) is skipped, since a
     * temporary profile left behind is harmless and must never fail a test.
     */
    private void deleteProfile() {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // left behind in the temporary directory
        }
    }

    /** Collects whole messages: replies complete their command, everything else is an event. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode message = JSON.readTree(text);
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> reply = pending.get(message.get("id").asInt());
                        if (reply != null) {
                            reply.complete(message);
                        }
                    } else {
                        events.add(message);
                    }
                } catch (IOException e) {
                    events.add(JSON.createObjectNode().put("method", "heaplens.unreadable").put("text", text));
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}

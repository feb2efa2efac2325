package dev.heaplens.report;

/**
 * A small streaming JSON writer: the one place heaplens' JSON is produced (output only; tests parse
 * it back with a real parser). Commas and nesting are tracked, strings escaped per RFC 8259.
 *
 * <pre>{@code
 * String json = new JsonWriter().beginArray()
 *         .beginObject().name("class").value("java.lang.String").name("count").value(12).endObject()
 *         .endArray().toString();
 * }</pre>
 */
public final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    private final boolean[] needComma = new boolean[256];
    private int depth;
    private boolean afterName;

    /** Opens an object. */
    public JsonWriter beginObject() {
        separate();
        out.append('{');
        push();
        return this;
    }

    /** Closes an object. */
    public JsonWriter endObject() {
        depth--;
        out.append('}');
        return this;
    }

    /** Opens an array. */
    public JsonWriter beginArray() {
        separate();
        out.append('[');
        push();
        return this;
    }

    /** Closes an array. */
    public JsonWriter endArray() {
        depth--;
        out.append(']');
        return this;
    }

    /** A member name inside an object. */
    public JsonWriter name(String name) {
        separate();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    /** A string value, or null. */
    public JsonWriter value(String value) {
        separate();
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        return this;
    }

    /** A number. */
    public JsonWriter value(long value) {
        separate();
        out.append(value);
        return this;
    }

    /** A number; non-finite values become null, which JSON cannot otherwise express. */
    public JsonWriter value(double value) {
        separate();
        out.append(Double.isFinite(value) ? Double.toString(value) : "null");
        return this;
    }

    /** A boolean. */
    public JsonWriter value(boolean value) {
        separate();
        out.append(value);
        return this;
    }

    private void push() {
        depth++;
        if (depth >= needComma.length) {
            throw new IllegalStateException("JSON nested too deeply");
        }
        needComma[depth] = false;
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0 && needComma[depth]) {
            out.append(',');
        }
        if (depth > 0) {
            needComma[depth] = true;
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c) && !validSurrogate(s, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    @Override
    public String toString() {
        return out.toString();
    }
}

package dev.heaplens.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON parser for the documents heaplens writes itself (snapshot sidecars): objects become
 * {@link JsonReader.Obj}, arrays {@code List<Object>}, numbers {@code Long} (or {@code Double} with a
 * fraction or exponent), and strings, booleans and {@code null} themselves. Strict RFC 8259, no
 * extensions; errors name the offset.
 *
 * <pre>{@code
 * JsonReader.Obj doc = JsonReader.parseObject(Files.readString(sidecar));
 * long pid = doc.obj("jvm").longValue("pid");
 * }</pre>
 */
public final class JsonReader {
    private final String text;
    private int pos;

    private JsonReader(String text) {
        this.text = text;
    }

    /** Parses one JSON value; trailing content other than white space is an error. */
    public static Object parse(String json) {
        JsonReader r = new JsonReader(json);
        Object value = r.value();
        r.space();
        if (r.pos != json.length()) {
            throw r.error("trailing content");
        }
        return value;
    }

    /** Parses a JSON document that must be an object. */
    public static Obj parseObject(String json) {
        if (parse(json) instanceof Obj o) {
            return o;
        }
        throw new IllegalArgumentException("JSON document is not an object");
    }

    /**
     * A JSON object with typed accessors that name the member in their errors.
     *
     * @param members the members in document order
     */
    public record Obj(Map<String, Object> members) {
        /** Wraps (and freezes) the members. */
        public Obj {
            members = Collections.unmodifiableMap(members);
        }

        /** Whether the member is present (possibly {@code null}). */
        public boolean has(String name) {
            return members.containsKey(name);
        }

        /** A string member; {@code null} if it is JSON {@code null}. */
        public String string(String name) {
            Object v = require(name);
            if (v == null || v instanceof String) {
                return (String) v;
            }
            throw wrongType(name, "a string", v);
        }

        /** An integer member. */
        public long longValue(String name) {
            if (require(name) instanceof Long l) {
                return l;
            }
            throw wrongType(name, "an integer", members.get(name));
        }

        /** An integer member, or {@code ifNull} when it is JSON {@code null}. */
        public long longValue(String name, long ifNull) {
            return require(name) == null ? ifNull : longValue(name);
        }

        /** A boolean member. */
        public boolean bool(String name) {
            if (require(name) instanceof Boolean b) {
                return b;
            }
            throw wrongType(name, "true or false", members.get(name));
        }

        /** A boolean member that may be JSON {@code null}. */
        public Boolean nullableBool(String name) {
            Object v = require(name);
            return v == null ? null : bool(name);
        }

        /** An object member. */
        public Obj obj(String name) {
            if (require(name) instanceof Obj o) {
                return o;
            }
            throw wrongType(name, "an object", members.get(name));
        }

        /** An array member whose elements are objects. */
        public List<Obj> objects(String name) {
            return list(name, Obj.class, "an object");
        }

        /** An array member whose elements are strings. */
        public List<String> strings(String name) {
            return list(name, String.class, "a string");
        }

        private <T> List<T> list(String name, Class<T> type, String expected) {
            if (!(require(name) instanceof List<?> list)) {
                throw wrongType(name, "an array", members.get(name));
            }
            List<T> out = new ArrayList<>(list.size());
            for (Object e : list) {
                if (!type.isInstance(e)) {
                    throw wrongType(name + "[]", expected, e);
                }
                out.add(type.cast(e));
            }
            return out;
        }

        private Object require(String name) {
            if (!members.containsKey(name)) {
                throw new IllegalArgumentException("missing member \"" + name + "\"");
            }
            return members.get(name);
        }

        private static IllegalArgumentException wrongType(String name, String expected, Object actual) {
            return new IllegalArgumentException("member \"" + name + "\" should be " + expected + ", not " + actual);
        }
    }

    private Object value() {
        space();
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || c >= '0' && c <= '9') {
                    yield number();
                }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Obj object() {
        pos++; // {
        Map<String, Object> members = new LinkedHashMap<>();
        space();
        if (peek() == '}') {
            pos++;
            return new Obj(members);
        }
        while (true) {
            space();
            if (peek() != '"') {
                throw error("expected a member name");
            }
            String name = string();
            space();
            expect(':');
            if (members.containsKey(name)) {
                throw error("duplicate member \"" + name + "\"");
            }
            members.put(name, value());
            space();
            if (peek() == ',') {
                pos++;
            } else {
                expect('}');
                return new Obj(members);
            }
        }
    }

    private List<Object> array() {
        pos++; // [
        List<Object> out = new ArrayList<>();
        space();
        if (peek() == ']') {
            pos++;
            return out;
        }
        while (true) {
            out.add(value());
            space();
            if (peek() == ',') {
                pos++;
            } else {
                expect(']');
                return out;
            }
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw error("control character in string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated escape");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("short \\u escape");
                    }
                    try {
                        b.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        boolean integral = true;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c >= '0' && c <= '9') {
                pos++;
            } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                integral = false;
                pos++;
            } else {
                break;
            }
        }
        String n = text.substring(start, pos);
        try {
            return integral ? (Object) Long.parseLong(n) : (Object) Double.parseDouble(n);
        } catch (NumberFormatException e) {
            throw error("bad number " + n);
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected token");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void space() {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("bad JSON at offset " + pos + ": " + what);
    }
}

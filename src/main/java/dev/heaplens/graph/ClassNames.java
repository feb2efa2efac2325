package dev.heaplens.graph;

import dev.heaplens.hprof.BasicType;

/**
 * Converts the VM's internal class names, as LOAD CLASS records hold them
 * ({@code java/util/HashMap$Node}, {@code [Ljava/lang/Object;}, {@code [[I}), into the names a Java
 * developer reads ({@code java.util.HashMap$Node}, {@code java.lang.Object[]}, {@code int[][]}),
 * the names Eclipse MAT and VisualVM show.
 */
public final class ClassNames {
    private ClassNames() {
    }

    /** The Java name for an internal or binary name. */
    public static String toJava(String internal) {
        int dims = 0;
        while (dims < internal.length() && internal.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0) {
            return hidden(internal.replace('/', '.'));
        }
        String element = internal.substring(dims);
        String base;
        if (element.startsWith("L") && element.endsWith(";")) {
            base = hidden(element.substring(1, element.length() - 1).replace('/', '.'));
        } else if (element.length() == 1) {
            BasicType t = primitiveOf(element.charAt(0));
            base = t == null ? element : t.javaName();
        } else {
            base = element.replace('/', '.');
        }
        return base + "[]".repeat(dims);
    }

    /**
     * HotSpot names a hidden class {@code Outer$$Lambda+0x0000000800c4a000} internally, since '/' is the
     * package separator; {@code Class.getName()} and {@code jcmd} show {@code Outer$$Lambda/0x0000000800c4a000}.
     */
    private static String hidden(String name) {
        int plus = name.lastIndexOf("+0x");
        if (plus < 0) {
            return name;
        }
        for (int i = plus + 3; i < name.length(); i++) {
            if (Character.digit(name.charAt(i), 16) < 0) {
                return name;
            }
        }
        return name.substring(0, plus) + "/" + name.substring(plus + 1);
    }

    /** The name {@code jcmd GC.class_histogram} prints for a Java name: {@code [Ljava.lang.Object;} for {@code java.lang.Object[]}. */
    public static String toJvmHistogramName(String javaName) {
        int dims = 0;
        String base = javaName;
        while (base.endsWith("[]")) {
            base = base.substring(0, base.length() - 2);
            dims++;
        }
        if (dims == 0) {
            return javaName;
        }
        BasicType primitive = primitiveNamed(base);
        String element = primitive != null ? String.valueOf(primitive.descriptorChar()) : "L" + base + ";";
        return "[".repeat(dims) + element;
    }

    /** The primitive type of a descriptor char, or null. */
    static BasicType primitiveOf(char c) {
        for (BasicType t : BasicType.values()) {
            if (t != BasicType.OBJECT && t.descriptorChar() == c) {
                return t;
            }
        }
        return null;
    }

    /** The element type of a one-dimensional primitive array class's Java name ({@code int[]}), or null. */
    static BasicType primitiveArrayElement(String javaName) {
        if (!javaName.endsWith("[]") || javaName.indexOf('[') != javaName.length() - 2) {
            return null;
        }
        return primitiveNamed(javaName.substring(0, javaName.length() - 2));
    }

    /** The primitive type with this Java keyword ({@code int}), or null. */
    private static BasicType primitiveNamed(String keyword) {
        for (BasicType t : BasicType.values()) {
            if (t != BasicType.OBJECT && t.javaName().equals(keyword)) {
                return t;
            }
        }
        return null;
    }
}

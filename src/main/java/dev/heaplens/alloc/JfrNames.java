package dev.heaplens.alloc;

/** JFR's class names ({@code [B}, {@code [Ljava.lang.String;}) as Java writes them ({@code byte[]}, {@code java.lang.String[]}). */
final class JfrNames {
    private JfrNames() {
    }

    static String javaName(String name) {
        if (name == null || !name.startsWith("[")) {
            return name;
        }
        int dims = 0;
        while (dims < name.length() && name.charAt(dims) == '[') {
            dims++;
        }
        String element = switch (name.charAt(dims)) {
            case 'Z' -> "boolean";
            case 'B' -> "byte";
            case 'C' -> "char";
            case 'S' -> "short";
            case 'I' -> "int";
            case 'J' -> "long";
            case 'F' -> "float";
            case 'D' -> "double";
            case 'L' -> name.substring(dims + 1, name.endsWith(";") ? name.length() - 1 : name.length());
            default -> name.substring(dims);
        };
        return element + "[]".repeat(dims);
    }
}

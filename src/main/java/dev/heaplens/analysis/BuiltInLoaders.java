package dev.heaplens.analysis;

import java.util.Set;

/**
 * The class loaders of the JDK that define the application and the platform (JDK 9+ and 8). They
 * hold every class they define in their {@code classes} list, so in a dominator tree and on a path
 * they are containers, not culprits: analyses look through them, to the class.
 */
final class BuiltInLoaders {
    private static final Set<String> CLASSES = Set.of(
            "jdk.internal.loader.ClassLoaders$AppClassLoader",
            "jdk.internal.loader.ClassLoaders$PlatformClassLoader",
            "jdk.internal.loader.ClassLoaders$BootClassLoader",
            "sun.misc.Launcher$AppClassLoader",
            "sun.misc.Launcher$ExtClassLoader");

    private BuiltInLoaders() {
    }

    /** Whether objects of this class are a built-in loader. */
    static boolean isBuiltIn(String loaderClassName) {
        return CLASSES.contains(loaderClassName);
    }

    /** {@code the app class loader}, {@code the platform class loader}, {@code the boot class loader}; else {@code null}. */
    static String words(String loaderClassName) {
        if (loaderClassName.endsWith("$AppClassLoader")) {
            return "the app class loader";
        }
        if (loaderClassName.endsWith("$PlatformClassLoader") || loaderClassName.endsWith("$ExtClassLoader")) {
            return "the platform class loader";
        }
        if (loaderClassName.endsWith("$BootClassLoader")) {
            return "the boot class loader";
        }
        return null;
    }
}

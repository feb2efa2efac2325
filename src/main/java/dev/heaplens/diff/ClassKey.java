package dev.heaplens.diff;

import dev.heaplens.graph.ClassTable;
import dev.heaplens.graph.ObjectGraph;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A class as two dumps can agree on it: its name and its defining loader, the loader named by its
 * own class and a stable ordinal among the loaders of that class (object ids change from dump to
 * dump, so they cannot name a loader). The bootstrap loader is its own key.
 *
 * <p>The ordinal orders the loaders of one loader class by what they define — the smallest name of a
 * class each defines, then how many classes, then object id — so that two plugin loaders of the
 * same class keep their ordinals as long as they keep defining the same classes.
 *
 * <pre>{@code
 * ClassKey key = new ClassKey("com.acme.Session", "jdk.internal.loader.ClassLoaders$AppClassLoader", 0);
 * diff.classes().row(key)
 * }</pre>
 *
 * @param className     Java name, e.g. {@code java.util.HashMap$Node} or {@code byte[]}
 * @param loaderClass   the class name of the defining loader; {@code null} for the bootstrap loader
 * @param loaderOrdinal the loader's rank among the loaders of {@code loaderClass} in its dump (0 for the bootstrap loader)
 */
public record ClassKey(String className, String loaderClass, int loaderOrdinal) {

    /** Loader name of classes whose loader object is not in the dump. */
    public static final String MISSING_LOADER = "<loader not in dump>";

    /** A class of the bootstrap loader. */
    public static ClassKey bootstrap(String className) {
        return new ClassKey(className, null, 0);
    }

    /** Whether the bootstrap loader defines the class. */
    public boolean isBootstrap() {
        return loaderClass == null;
    }

    /** {@code bootstrap}, or the loader's simple class name and ordinal: {@code ClassLoaders$AppClassLoader#0}. */
    public String loader() {
        return isBootstrap() ? "bootstrap" : simpleName(loaderClass) + "#" + loaderOrdinal;
    }

    /** {@code com.acme.Session (ClassLoaders$AppClassLoader#0)}. */
    @Override
    public String toString() {
        return className + " (" + loader() + ")";
    }

    /** The class name without its package: {@code HashMap$Node[]} for {@code java.util.HashMap$Node[]}. */
    static String simpleName(String className) {
        int bracket = className.indexOf('[');
        int dot = className.lastIndexOf('.', bracket < 0 ? className.length() : bracket);
        return className.substring(dot + 1);
    }

    /** The key of every class of {@code graph}, by class index. */
    public static ClassKey[] of(ObjectGraph graph) {
        ClassTable classes = graph.classes();
        int n = classes.size();
        // each defining loader (by id) with what it defines: smallest class name and class count
        Long2ObjectOpenHashMap<LoaderInfo> loaders = new Long2ObjectOpenHashMap<>();
        for (int c = 0; c < n; c++) {
            long loader = classes.loaderId(c);
            if (loader == 0) {
                continue;
            }
            LoaderInfo info = loaders.get(loader);
            if (info == null) {
                int index = graph.indexOf(loader);
                String name = index < 0 ? MISSING_LOADER : classes.name(graph.classOf(index));
                info = new LoaderInfo(loader, name);
                loaders.put(loader, info);
            }
            info.classes++;
            String name = classes.name(c);
            if (info.smallestName == null || name.compareTo(info.smallestName) < 0) {
                info.smallestName = name;
            }
        }
        Map<String, List<LoaderInfo>> byLoaderClass = new HashMap<>();
        for (LoaderInfo info : loaders.values()) {
            byLoaderClass.computeIfAbsent(info.loaderClass, k -> new ArrayList<>()).add(info);
        }
        Comparator<LoaderInfo> stable = Comparator.comparing((LoaderInfo i) -> i.smallestName)
                .thenComparingInt(i -> i.classes).thenComparingLong(i -> i.id);
        Long2IntOpenHashMap ordinal = new Long2IntOpenHashMap(loaders.size());
        for (List<LoaderInfo> group : byLoaderClass.values()) {
            group.sort(stable);
            for (int i = 0; i < group.size(); i++) {
                ordinal.put(group.get(i).id, i);
            }
        }
        ClassKey[] keys = new ClassKey[n];
        for (int c = 0; c < n; c++) {
            long loader = classes.loaderId(c);
            keys[c] = loader == 0 ? bootstrap(classes.name(c))
                    : new ClassKey(classes.name(c), loaders.get(loader).loaderClass, ordinal.get(loader));
        }
        return keys;
    }

    private static final class LoaderInfo {
        final long id;
        final String loaderClass;
        String smallestName;
        int classes;

        LoaderInfo(long id, String loaderClass) {
            this.id = id;
            this.loaderClass = loaderClass;
        }
    }
}

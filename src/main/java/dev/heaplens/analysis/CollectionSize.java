package dev.heaplens.analysis;

import dev.heaplens.graph.HeapInstance;
import dev.heaplens.graph.HeapObject;
import dev.heaplens.graph.HeapObjectArray;
import dev.heaplens.graph.ObjectGraph;

import java.util.Locale;
import java.util.Set;

/**
 * How many entries or elements a collection holds, read from its fields as MAT's collection queries
 * do: {@code HashMap.size}, {@code Hashtable.count}, {@code ArrayList.size}, {@code Vector.elementCount},
 * a {@code ConcurrentHashMap}'s base count and counter cells, a {@code HashSet}'s backing map, the
 * non-null slots of an object array.
 *
 * <pre>{@code
 * CollectionSize.of(graph, obj)   // "500,000 entries"
 * }</pre>
 *
 * @param count how many
 * @param noun  {@code entries} (maps and sets) or {@code elements} (lists, queues, arrays)
 */
public record CollectionSize(long count, String noun) {
    /** Wrappers whose size is their backing collection's, by the field that holds it. */
    private static final String[][] BACKED = {
            {"java.util.HashSet", "map"}, {"java.util.LinkedHashSet", "map"}, {"java.util.TreeSet", "m"},
            {"java.util.concurrent.ConcurrentSkipListSet", "m"}, {"java.util.concurrent.CopyOnWriteArraySet", "al"},
            {"java.util.Collections$SynchronizedMap", "m"}, {"java.util.Collections$UnmodifiableMap", "m"},
            {"java.util.Collections$SynchronizedCollection", "c"}, {"java.util.Collections$UnmodifiableCollection", "c"},
            {"java.util.Collections$SetFromMap", "m"}};
    /** Fields that count entries, in the order they are looked for. */
    private static final String[] COUNT_FIELDS = {"size", "count", "elementCount"};
    private static final Set<String> ENTRY_KINDS = Set.of("Map", "Set", "Hashtable", "Properties");

    /** {@code 500,000 entries}, {@code 1 element}. */
    @Override
    public String toString() {
        String one = noun.equals("entries") ? "entry" : "element";
        return String.format(Locale.ROOT, "%,d %s", count, count == 1 ? one : noun);
    }

    /**
     * The size of {@code obj} if it is a JDK collection or an object array, else {@code null}.
     * Application classes are not guessed at: only {@code java.util} classes and arrays.
     */
    public static CollectionSize of(ObjectGraph graph, int obj) {
        return of(graph, obj, 0);
    }

    private static CollectionSize of(ObjectGraph graph, int obj, int depth) {
        if (obj < 0 || graph.isClassObject(obj) || depth > 3) {
            return null;
        }
        HeapObject o = HeapObject.of(graph, obj);
        if (o instanceof HeapObjectArray array) {
            long used = 0;
            for (int i = 0, n = array.length(); i < n; i++) {
                if (array.elementId(i) != 0) {
                    used++;
                }
            }
            return new CollectionSize(used, "elements");
        }
        if (!(o instanceof HeapInstance instance)) {
            return null;
        }
        String name = instance.className();
        if (!name.startsWith("java.util.")) {
            return null;
        }
        for (String[] backed : BACKED) {
            if (name.equals(backed[0]) && instance.getOrDefault(backed[1], null) instanceof HeapObject inner) {
                CollectionSize size = of(graph, inner.index(), depth + 1);
                return size == null ? null : new CollectionSize(size.count(), noun(name));
            }
        }
        if (name.equals("java.util.concurrent.ConcurrentHashMap")) {
            return concurrentHashMap(instance);
        }
        if (name.equals("java.util.concurrent.CopyOnWriteArrayList")) {
            return instance.getOrDefault("array", null) instanceof HeapObjectArray a ? new CollectionSize(a.length(), "elements") : null;
        }
        if (name.equals("java.util.ArrayDeque")) {
            CollectionSize slots = instance.getOrDefault("elements", null) instanceof HeapObjectArray a ? of(graph, a.index(), depth + 1) : null;
            return slots == null ? null : new CollectionSize(slots.count(), "elements");
        }
        for (String field : COUNT_FIELDS) {
            if (instance.getOrDefault(field, null) instanceof Integer count) {
                return new CollectionSize(count, noun(name));
            }
        }
        return null;
    }

    /**
     * {@code baseCount} plus the counter cells' values, as {@code ConcurrentHashMap.size()} adds them;
     * {@code null} if the map has no {@code baseCount} (a damaged dump, or a JDK we do not know).
     */
    private static CollectionSize concurrentHashMap(HeapInstance map) {
        if (!(map.getOrDefault("baseCount", null) instanceof Long base)) {
            return null;
        }
        long count = base;
        if (map.getOrDefault("counterCells", null) instanceof HeapObjectArray cells) {
            for (int i = 0; i < cells.length(); i++) {
                if (cells.get(i) instanceof HeapInstance cell && cell.getOrDefault("value", null) instanceof Long value) {
                    count += value;
                }
            }
        }
        return new CollectionSize(count, "entries");
    }

    private static String noun(String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        for (String kind : ENTRY_KINDS) {
            if (simple.contains(kind)) {
                return "entries";
            }
        }
        return "elements";
    }
}

package dev.heaplens.analysis;

import dev.heaplens.graph.ClassTable;
import dev.heaplens.graph.FieldInfo;
import dev.heaplens.graph.HeapInstance;
import dev.heaplens.graph.HeapObject;
import dev.heaplens.graph.HeapObjectArray;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.graph.StaticFieldInfo;
import dev.heaplens.hprof.BasicType;
import dev.heaplens.text.TextTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The references of one object, as Eclipse MAT lists them: what it references (outbound, each with
 * the field, array index or static that holds it) or what references it (inbound, its referrers),
 * and the same grouped by class ("referenced types").
 *
 * <pre>{@code
 * References out = References.outbound(graph, obj);
 * System.out.println(out);            // field, object, shallow size
 * System.out.println(References.inbound(graph, obj).byClass());
 * }</pre>
 */
public final class References {

    /**
     * One reference.
     *
     * @param via    the field ({@code .table}), element ({@code [3]}), static ({@code static SESSIONS})
     *               or class link ({@code <class>}, {@code <super>}, {@code <classloader>}) it goes through
     * @param object the object at the other end (the target for outbound, the referrer for inbound)
     */
    public record Reference(String via, int object) {
    }

    /** Objects of one class among the references. */
    public record ClassCount(String className, int count, long shallowBytes) {
    }

    private final ObjectGraph graph;
    private final int subject;
    private final boolean outbound;
    private final List<Reference> references;

    private References(ObjectGraph graph, int subject, boolean outbound, List<Reference> references) {
        this.graph = graph;
        this.subject = subject;
        this.outbound = outbound;
        this.references = List.copyOf(references);
    }

    /** What {@code obj} references: every non-null reference field, element, static and class link. */
    public static References outbound(ObjectGraph graph, int obj) {
        List<Reference> out = new ArrayList<>();
        forEachReference(graph, obj, (via, target) -> out.add(new Reference(via, target)));
        return new References(graph, obj, true, out);
    }

    /** What references {@code obj}: its referrers, each with the field it is held by. */
    public static References inbound(ObjectGraph graph, int obj) {
        List<Reference> in = new ArrayList<>();
        graph.inbound().forEachReferrer(obj, referrer -> {
            if (in.isEmpty() || in.get(in.size() - 1).object() != referrer) {
                forEachReference(graph, referrer, (via, target) -> {
                    if (target == obj) {
                        in.add(new Reference(via, referrer));
                    }
                });
            }
        });
        return new References(graph, obj, false, in);
    }

    /** The references, in field or element order (outbound) or referrer index order (inbound). */
    public List<Reference> list() {
        return references;
    }

    /** Number of references. */
    public int size() {
        return references.size();
    }

    /** The referenced (or referring) objects grouped by class, most numerous first. */
    public List<ClassCount> byClass() {
        Map<String, long[]> groups = new TreeMap<>();
        for (Reference r : references) {
            long[] g = groups.computeIfAbsent(label(r.object()).className(), k -> new long[2]);
            g[0]++;
            g[1] += graph.shallowSize(r.object());
        }
        List<ClassCount> out = new ArrayList<>();
        groups.forEach((name, g) -> out.add(new ClassCount(name, (int) g[0], g[1])));
        out.sort((a, b) -> Integer.compare(b.count(), a.count()));
        return out;
    }

    @Override
    public String toString() {
        TextTable t = new TextTable(outbound ? "via" : "referrer's field", outbound ? "references" : "referrer", "shallow")
                .alignRight(2);
        for (Reference r : references) {
            HeapObject o = label(r.object());
            t.row(r.via(), o.label(), TextTable.bytes(o.shallowSize()));
        }
        return (outbound ? "Outbound references of " : "Inbound references of ") + label(subject).label() + "\n" + t;
    }

    private HeapObject label(int obj) {
        return HeapObject.of(graph, obj);
    }

    /** Receives one labelled reference. */
    interface Sink {
        void accept(String via, int target);
    }

    /** Every reference of {@code obj} with its label, read from its record; dangling ones skipped. */
    static void forEachReference(ObjectGraph graph, int obj, Sink sink) {
        ClassTable classes = graph.classes();
        HeapObject o = HeapObject.of(graph, obj);
        if (graph.isClassObject(obj)) {
            int c = classes.indexOfId(graph.id(obj));
            if (classes.superClass(c) >= 0) {
                emit(graph, sink, "<super>", classes.classId(classes.superClass(c)));
            }
            emit(graph, sink, "<classloader>", classes.loaderId(c));
            for (StaticFieldInfo f : classes.staticFields(c)) {
                if (f.type() == BasicType.OBJECT) {
                    emit(graph, sink, "static " + f.name(), f.value());
                }
            }
        } else if (o instanceof HeapInstance instance) {
            for (FieldInfo f : classes.allFields(graph.classOf(obj))) {
                if (f.type() == BasicType.OBJECT) {
                    emit(graph, sink, "." + f.name(), instance.raw(f));
                }
            }
        } else if (o instanceof HeapObjectArray array) {
            for (int i = 0, n = array.length(); i < n; i++) {
                emit(graph, sink, "[" + i + "]", array.elementId(i));
            }
        }
        // every object references its class (class objects: java.lang.Class), as in MAT
        int classObject = classes.classObjectIndex(graph.classOf(obj));
        if (classObject >= 0) {
            sink.accept("<class>", classObject);
        }
    }

    private static void emit(ObjectGraph graph, Sink sink, String via, long id) {
        if (id != 0) {
            int target = graph.indexOf(id);
            if (target >= 0) {
                sink.accept(via, target);
            }
        }
    }
}

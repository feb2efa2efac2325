package dev.heaplens.graph;

import dev.heaplens.hprof.BasicType;
import dev.heaplens.text.TextTable;
import org.roaringbitmap.RoaringBitmap;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A class of the dump, which is also an object: its {@code java.lang.Class} mirror, holding the
 * static fields.
 *
 * <pre>{@code
 * HeapClass cache = heap.findClass("com.acme.Cache");
 * System.out.println(cache.staticValue("INSTANCE"));
 * RoaringBitmap all = cache.instances();
 * }</pre>
 *
 * @param graph      the graph
 * @param classIndex the class's index in {@link ClassTable}
 */
public record HeapClass(ObjectGraph graph, int classIndex) implements HeapObject {

    /** The class object's dense index, or -1 for a class the dump lacks and heaplens synthesised. */
    @Override
    public int index() {
        return graph.classes().classObjectIndex(classIndex);
    }

    /** The mirrored class's Java name (not {@code java.lang.Class}). */
    public String name() {
        return graph.classes().name(classIndex);
    }

    @Override
    public String className() {
        return "java.lang.Class";
    }

    @Override
    public long id() {
        return graph.classes().classId(classIndex);
    }

    @Override
    public long shallowSize() {
        return graph.classes().classObjectSize(classIndex);
    }

    /** The superclass, or {@code null} for {@code java.lang.Object}. */
    public HeapClass superclass() {
        int s = graph.classes().superClass(classIndex);
        return s < 0 ? null : new HeapClass(graph, s);
    }

    /** The defining class loader, or {@code null} for the bootstrap loader. */
    public HeapObject classLoader() {
        Object o = HeapInstance.resolve(graph, graph.classes().loaderId(classIndex));
        return o instanceof HeapObject h ? h : null;
    }

    /** What its instances look like. */
    public ClassKind kind() {
        return graph.classes().kind(classIndex);
    }

    /** VM shallow size of one instance ({@link ClassKind#INSTANCE} classes). */
    public long instanceSize() {
        return graph.classes().instanceSize(classIndex);
    }

    /** Instance fields this class declares. */
    public List<FieldInfo> declaredFields() {
        return graph.classes().declaredFields(classIndex);
    }

    /** Instance fields including inherited ones, in dump order. */
    public List<FieldInfo> allFields() {
        return graph.classes().allFields(classIndex);
    }

    /** Static fields with their values: {@link HeapObject}, {@code null} or boxed primitives. */
    public Map<String, Object> staticValues() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (StaticFieldInfo f : graph.classes().staticFields(classIndex)) {
            values.put(f.name(), value(f));
        }
        return values;
    }

    /** One static value, as in {@link #staticValues()}. */
    public Object staticValue(String name) {
        for (StaticFieldInfo f : graph.classes().staticFields(classIndex)) {
            if (f.name().equals(name)) {
                return value(f);
            }
        }
        throw new IllegalArgumentException(name() + " has no static field '" + name + "'");
    }

    private Object value(StaticFieldInfo f) {
        return f.type() == BasicType.OBJECT ? HeapInstance.resolve(graph, f.value()) : Values.box(f.type(), f.value());
    }

    /** Dense indices of all instances of exactly this class (subclasses excluded); one pass over the graph. */
    public RoaringBitmap instances() {
        RoaringBitmap set = new RoaringBitmap();
        for (int obj = 0, n = graph.objectCount(); obj < n; obj++) {
            if (graph.classOf(obj) == classIndex && !(classIndex == graph.classes().javaLangClass() && graph.isClassObject(obj))) {
                set.add(obj);
            }
        }
        if (classIndex == graph.classes().javaLangClass()) {
            for (int c = 0; c < graph.classes().size(); c++) {
                int o = graph.classes().classObjectIndex(c);
                if (o >= 0) {
                    set.add(o);
                }
            }
        }
        return set;
    }

    @Override
    public String label() {
        return "class " + name() + "@0x" + Long.toHexString(id()) + " (" + shallowSize() + " bytes)";
    }

    @Override
    public String toString() {
        TextTable t = new TextTable("static field", "type", "value");
        for (StaticFieldInfo f : graph.classes().staticFields(classIndex)) {
            Object v = value(f);
            t.row(f.name(), f.type().javaName(), v instanceof HeapObject o ? o.label() : String.valueOf(v));
        }
        HeapClass s = superclass();
        return label() + (s == null ? "" : " extends " + s.name()) + ", instance size " + instanceSize() + " bytes\n" + t;
    }
}

package dev.heaplens.report;

import dev.heaplens.analysis.ArrayStep;
import dev.heaplens.analysis.ClassLinkStep;
import dev.heaplens.analysis.FieldStep;
import dev.heaplens.analysis.GcRootPath;
import dev.heaplens.analysis.MergedPaths;
import dev.heaplens.analysis.PathNode;
import dev.heaplens.analysis.PathStep;
import dev.heaplens.analysis.RootStep;
import dev.heaplens.analysis.StaticStep;

import java.util.ArrayDeque;

/**
 * Renders paths from GC roots as JSON.
 *
 * <p>A {@link GcRootPath}: {@code {"root": {"kind", "thread", "frame"}, "length", "steps": [...]}},
 * each step {@code {"via", "kind", "class", "classObject", "index", "id", "shallowBytes",
 * "retainedBytes"}} with {@code kind} one of {@code root}, {@code static}, {@code field},
 * {@code array}, {@code link} and {@code via} the hop as printed ({@code static Registry.SESSIONS},
 * {@code .table}, {@code [17]}, {@code <class>}). {@code retainedBytes} is -1 when unknown.
 * {@code shownFrom} is {@code null}, or, for a path that reaches a class through a built-in class
 * loader's list of classes, where the text starts: {@code {"steps": 4, "loader": "the app class loader",
 * "class": "com.acme.LeakApp", "id": "0x7f0011a8"}}: the first {@code steps} entries of {@code steps}
 * (root, loader, its {@code .classes}, {@code .elementData} and the slot) are folded into the class.
 *
 * <p>{@link MergedPaths}: {@code {"objects", "withPath", "referentsOnly", "unreachable",
 * "retainedBytes", "branches": [...], "moreBranches"}}, the branches flat in depth-first order, each
 * {@code {"depth", "via", "class", "classObject", "count", "retainedBytes", "exampleIndex"}} — flat so
 * that a path thousands of hops deep stays a shallow document. A class held by a built-in class
 * loader is a branch of depth 0 whose {@code via} is {@code "held by the app class loader (GC root:
 * JNI global)"}: the loader's {@code .classes}, {@code .elementData} and {@code []} are folded into it.
 *
 * <pre>{@code
 * String json = PathJson.render(heap.pathFromRoot(0x7f0011a8L));
 * }</pre>
 */
public final class PathJson {
    /** Branches of merged paths written before the rest is only counted. */
    public static final int MAX_BRANCHES = 1000;

    private PathJson() {
    }

    /** One path as a JSON object. */
    public static String render(GcRootPath path) {
        return write(new JsonWriter(), path).toString();
    }

    /** Merged paths as a JSON object. */
    public static String render(MergedPaths merged) {
        return write(new JsonWriter(), merged).toString();
    }

    /** Writes one path as a JSON object value, or {@code null}. */
    public static JsonWriter write(JsonWriter w, GcRootPath path) {
        if (path == null) {
            return w.value((String) null);
        }
        RootStep root = path.root();
        w.beginObject().name("root").beginObject()
                .name("kind").value(root.kind().name())
                .name("description").value(root.kind().description())
                .name("thread").value(root.threadName())
                .name("frame").value(root.frame() == null ? null : root.frame().toString())
                .endObject();
        w.name("length").value(path.length());
        w.name("shownFrom");
        GcRootPath.LoaderHold hold = path.loaderHold().orElse(null);
        if (hold == null) {
            w.value((String) null);
        } else {
            w.beginObject().name("steps").value(hold.steps()).name("loader").value(hold.loader())
                    .name("class").value(hold.classObject().className()).name("id").value(DominatorJson.hex(hold.classObject().id()))
                    .endObject();
        }
        w.name("steps").beginArray();
        for (PathStep step : path.steps()) {
            PathNode t = step.target();
            w.beginObject()
                    .name("via").value(via(step))
                    .name("kind").value(kind(step))
                    .name("class").value(t.className())
                    .name("classObject").value(t.classObject())
                    .name("index").value(t.index())
                    .name("id").value(DominatorJson.hex(t.id()))
                    .name("shallowBytes").value(t.shallowSize())
                    .name("retainedBytes").value(t.retainedSize())
                    .endObject();
        }
        return w.endArray().endObject();
    }

    /** Writes merged paths as a JSON object value. */
    public static JsonWriter write(JsonWriter w, MergedPaths merged) {
        w.beginObject()
                .name("objects").value(merged.objectCount())
                .name("withPath").value(merged.withPath())
                .name("referentsOnly").value(merged.referentsOnly())
                .name("unreachable").value(merged.unreachable())
                .name("retainedBytes").value(merged.retainedSize())
                .name("branches").beginArray();
        ArrayDeque<MergedPaths.Branch> stack = new ArrayDeque<>();
        ArrayDeque<Integer> depths = new ArrayDeque<>();
        for (int i = merged.roots().size() - 1; i >= 0; i--) {
            stack.push(merged.roots().get(i));
            depths.push(0);
        }
        int written = 0;
        int more = 0;
        while (!stack.isEmpty()) {
            MergedPaths.Branch b = stack.pop();
            int depth = depths.pop();
            if (written == MAX_BRANCHES) {
                more++;
            } else {
                written++;
                w.beginObject()
                        .name("depth").value(depth)
                        .name("via").value(b.step())
                        .name("class").value(b.className())
                        .name("classObject").value(b.classObject())
                        .name("count").value(b.count())
                        .name("retainedBytes").value(b.retainedSize())
                        .name("exampleIndex").value(b.example())
                        .endObject();
            }
            for (int i = b.children().size() - 1; i >= 0; i--) {
                stack.push(b.children().get(i));
                depths.push(depth + 1);
            }
        }
        return w.endArray().name("moreBranches").value(more).endObject();
    }

    private static String kind(PathStep step) {
        if (step instanceof RootStep) {
            return "root";
        }
        if (step instanceof StaticStep) {
            return "static";
        }
        if (step instanceof FieldStep) {
            return "field";
        }
        if (step instanceof ArrayStep) {
            return "array";
        }
        return "link";
    }

    private static String via(PathStep step) {
        if (step instanceof RootStep r) {
            return "GC root: " + r.kind().description();
        }
        if (step instanceof StaticStep s) {
            return "static " + s.className().substring(s.className().lastIndexOf('.') + 1) + "." + s.field();
        }
        if (step instanceof FieldStep f) {
            return "." + f.field();
        }
        if (step instanceof ArrayStep a) {
            return "[" + a.index() + "]";
        }
        return ((ClassLinkStep) step).link().label();
    }
}

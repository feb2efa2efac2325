package dev.heaplens.testing;

import dev.heaplens.graph.GcRoots;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.graph.StackTraces;
import dev.heaplens.hprof.RootKind;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The objects of a heap dump request in flight: in a dump taken through JMX, the thread serving the
 * request ({@code HotSpotDiagnostic.dumpHeap} on an RMI connection thread) holds the request's
 * unmarshalled arguments, streams and call objects in the frames from {@code Transport.serviceCall}
 * up, and the call object itself (a {@code StreamRemoteCall}, also a local of the connection's loop;
 * the connection's streams it references outlive the call). They exist only while the dump is written, so no histogram taken before or after it has them.
 * This finds them by reachability: what no root reaches once those frames' locals are left out.
 *
 * <p>It is an upper bound: an object the request holds that also stays alive only through a field the
 * dump does not show (the instance fields of {@code Class} mirrors, such as the cached reflection
 * data, are not in HPROF) counts as the request's, though it outlives it.
 */
public final class DumpRequestObjects {
    /** The frame every HotSpot dump request through the management interface passes. */
    static final String DUMP_CLASS = "com.sun.management.internal.HotSpotDiagnostic";
    /** The RMI transport's method serving one call: it and the frames above it hold the call's objects. */
    static final String CALL_CLASS = "sun.rmi.transport.Transport";
    static final String CALL_METHOD = "serviceCall";
    /** The call object, which the connection's message loop also holds while the call is served. */
    static final String CALL_OBJECT = "sun.rmi.transport.StreamRemoteCall";

    private DumpRequestObjects() {
    }

    /** The dense indices of the in-flight request's objects; empty if no thread was serving a dump request. */
    public static RoaringBitmap of(ObjectGraph graph) {
        StackTraces stacks = graph.stackTraces();
        GcRoots roots = graph.roots();
        int serial = -1;
        int callDepth = -1;
        for (int r = 0; r < roots.size() && serial < 0; r++) {
            int s = roots.threadSerial(r);
            if (s == 0) {
                continue;
            }
            List<StackTraces.Frame> stack = stacks.stack(s);
            boolean dumping = stack.stream().anyMatch(f -> DUMP_CLASS.equals(f.className()) && f.method().startsWith("dumpHeap"));
            if (dumping) {
                serial = s;
                for (int d = 0; d < stack.size(); d++) {
                    if (CALL_CLASS.equals(stack.get(d).className()) && CALL_METHOD.equals(stack.get(d).method())) {
                        callDepth = d;
                        break;
                    }
                }
            }
        }
        RoaringBitmap inFlight = new RoaringBitmap();
        if (serial < 0 || callDepth < 0) {
            return inFlight;
        }
        RoaringBitmap all = reachable(graph, -1, -1, new RoaringBitmap());
        // objects no root reaches in the graph are live through edges the dump does not show (the
        // instance fields of Class mirrors, e.g. Class.reflectionData): they and what they reach stay
        RoaringBitmap hidden = new RoaringBitmap();
        hidden.add(0L, graph.objectCount());
        hidden.andNot(all);
        RoaringBitmap rest = reachable(graph, serial, callDepth, hidden);
        inFlight.or(all);
        inFlight.andNot(rest);
        for (int r = 0; r < graph.roots().size(); r++) { // the call object, though not what it references
            int obj = graph.roots().object(r);
            if (graph.roots().threadSerial(r) == serial && graph.classes().name(graph.classOf(obj)).equals(CALL_OBJECT)) {
                inFlight.add(obj);
            }
        }
        return inFlight;
    }

    /** Objects reachable from {@code alsoRoots} and every root except locals of {@code serial}'s frames up to {@code callDepth}. */
    private static RoaringBitmap reachable(ObjectGraph graph, int serial, int callDepth, RoaringBitmap alsoRoots) {
        GcRoots roots = graph.roots();
        RoaringBitmap seen = alsoRoots.clone();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        alsoRoots.forEach((int o) -> queue.add(o));
        for (int r = 0; r < roots.size(); r++) {
            boolean local = roots.kind(r) == RootKind.JAVA_FRAME || roots.kind(r) == RootKind.JNI_LOCAL;
            if (local && roots.threadSerial(r) == serial && roots.extra(r) <= callDepth) {
                continue;
            }
            if (seen.checkedAdd(roots.object(r))) {
                queue.add(roots.object(r));
            }
        }
        while (!queue.isEmpty()) {
            int obj = queue.poll();
            for (long e = graph.edgeStart(obj), end = graph.edgeEnd(obj); e < end; e++) {
                int target = graph.edgeTarget(e);
                if (target >= 0 && seen.checkedAdd(target)) {
                    queue.add(target);
                }
            }
        }
        return seen;
    }
}

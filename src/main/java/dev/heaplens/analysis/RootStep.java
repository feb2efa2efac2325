package dev.heaplens.analysis;

import dev.heaplens.graph.StackTraces;
import dev.heaplens.hprof.RootKind;

/**
 * The first step of a path: a GC root and the object it holds. For thread-related roots it names
 * the thread, and for local variables (and JNI locals) the frame that holds them; for a class
 * object (a system class, usually) the class is {@link #target()}'s.
 *
 * <pre>{@code
 * RootStep root = path.root();
 * if (root.kind() == RootKind.JAVA_FRAME) System.out.println(root.threadName() + " at " + root.frame());
 * }</pre>
 *
 * @param kind       why the VM keeps the object alive
 * @param target     the root object
 * @param threadName the {@code name} of the thread, for roots tied to one; else {@code null}
 * @param frame      the stack frame holding a local variable or JNI local, if the dump records it; else {@code null}
 */
public record RootStep(RootKind kind, PathNode target, String threadName, StackTraces.Frame frame) implements PathStep {

    /** The class this root is, when the root object is a class object (e.g. a system class); else {@code null}. */
    public String className() {
        return target.classObject() ? target.className() : null;
    }
}

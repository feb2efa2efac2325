package dev.heaplens.graph;

import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * Threads and their stacks as the dump records them (STACK TRACE, STACK FRAME and ROOT THREAD
 * OBJECT records), to say which thread and method a local-variable root belongs to.
 */
public final class StackTraces {

    /**
     * One frame of a thread's stack.
     *
     * @param className  declaring class, Java name, or {@code null} if unknown
     * @param method     method name
     * @param signature  method descriptor
     * @param sourceFile source file name, or {@code null}
     * @param line       line number; 0 or negative when unknown, native or compiled
     */
    public record Frame(String className, String method, String signature, String sourceFile, int line) {
        @Override
        public String toString() {
            String where = sourceFile == null ? "Unknown Source"
                    : line > 0 ? sourceFile + ":" + line : line == -3 ? "Native Method" : sourceFile;
            return (className == null ? "?" : className) + "." + method + "(" + where + ")";
        }
    }

    private final Long2ObjectOpenHashMap<Frame> frames;
    private final Int2ObjectOpenHashMap<long[]> traces;
    private final Int2IntOpenHashMap traceOfThread;
    private final Int2IntOpenHashMap threadObjectOfSerial;

    StackTraces(Long2ObjectOpenHashMap<Frame> frames, Int2ObjectOpenHashMap<long[]> traces,
                Int2IntOpenHashMap traceOfThread, Int2IntOpenHashMap threadObjectOfSerial) {
        this.frames = frames;
        this.traces = traces;
        this.traceOfThread = traceOfThread;
        this.threadObjectOfSerial = threadObjectOfSerial;
        traceOfThread.defaultReturnValue(-1);
        threadObjectOfSerial.defaultReturnValue(-1);
    }

    /** Dense object index of the {@code java.lang.Thread} with this thread serial, or -1. */
    public int threadObject(int threadSerial) {
        return threadObjectOfSerial.get(threadSerial);
    }

    /** The stack of a thread, innermost frame first; empty if the dump has none. */
    public List<Frame> stack(int threadSerial) {
        int trace = traceOfThread.get(threadSerial);
        long[] ids = trace < 0 ? null : traces.get(trace);
        if (ids == null) {
            return List.of();
        }
        List<Frame> out = new ArrayList<>(ids.length);
        for (long id : ids) {
            Frame f = frames.get(id);
            out.add(f == null ? new Frame(null, "?", "", null, 0) : f);
        }
        return out;
    }

    /** Frame {@code depth} of a thread's stack, or {@code null}. */
    public Frame frame(int threadSerial, int depth) {
        List<Frame> stack = stack(threadSerial);
        return depth >= 0 && depth < stack.size() ? stack.get(depth) : null;
    }
}

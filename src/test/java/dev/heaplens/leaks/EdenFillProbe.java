package dev.heaplens.leaks;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Run by {@link EdenFillTest} under each collector: prints {@code no eden fill} when this JVM has
 * none, or fills eden once with a weakly held young object that a list held a moment ago, and prints
 * {@code filled <MB> MB, collections <before> -> <after>, cleared <true|false>}. With the argument
 * {@code rounds}, it waits for such an object with this JVM's {@link GcRounds} (30 s at most) and
 * prints {@code done <true|false>, collections <n>, <costs>}.
 */
public final class EdenFillProbe {
    private static final List<Object> SHARED = new ArrayList<>();

    private EdenFillProbe() {
    }

    /** A weak reference to a new object that a static list held a moment ago, and nothing holds now. */
    static WeakReference<Object> sharedThenDropped() {
        Object o = new int[16];
        SHARED.add(o);
        WeakReference<Object> ref = new WeakReference<>(o);
        SHARED.clear();
        return ref;
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("rounds")) {
            WeakReference<Object> ref = sharedThenDropped();
            GcRounds.Outcome o = GcRounds.until(() -> ref.refersTo(null), Duration.ofSeconds(30));
            System.out.println("done " + o.done() + ", collections " + o.collections() + ", " + GcRounds.costs());
            return;
        }
        Optional<EdenFill> fill = EdenFill.forThisJvm();
        if (fill.isEmpty()) {
            System.out.println("no eden fill");
            return;
        }
        EdenFill eden = fill.get();
        WeakReference<Object> ref = sharedThenDropped();
        long before = eden.collections();
        EdenFill.Filled filled = eden.untilCollected(2 * eden.freeBytes() + (8 << 20), Long.MAX_VALUE);
        System.out.println("filled " + (filled.collected() ? filled.bytes() >> 20 : -1) + " MB, collections " + before + " -> "
                + eden.collections() + ", cleared " + ref.refersTo(null));
    }
}

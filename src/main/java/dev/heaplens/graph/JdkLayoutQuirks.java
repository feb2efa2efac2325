package dev.heaplens.graph;

import dev.heaplens.hprof.BasicType;

import java.util.List;
import java.util.Map;

import static dev.heaplens.hprof.BasicType.BOOLEAN;
import static dev.heaplens.hprof.BasicType.BYTE;
import static dev.heaplens.hprof.BasicType.INT;
import static dev.heaplens.hprof.BasicType.LONG;
import static dev.heaplens.hprof.BasicType.OBJECT;
import static dev.heaplens.hprof.BasicType.SHORT;

/**
 * What HotSpot does to a few JDK classes' layouts that an HPROF dump cannot show: fields the VM
 * <em>injects</em> (declared in {@code javaClasses.hpp}, never listed by the heap dumper, which walks
 * only the class file's fields) and {@code @jdk.internal.vm.annotation.Contended} padding (honoured for
 * boot and platform classes only, under the default {@code -XX:+RestrictContended}).
 *
 * <p>Both tables depend on the JDK release. They were taken from the HotSpot and class-library
 * sources of JDK 17 and JDK 25 and are checked against those JVMs' class histograms by
 * {@code FieldLayoutModelTest}; the contended table is also checked there against the annotations
 * reflection finds on every JDK class loaded in those JVMs. Other releases get the rules of the
 * nearest verified release: up to 21 those of 17, from 22 on those of 25. The one change known to
 * fall in between, the loss of {@code Thread}'s contended {@code "tlr"} group with the JDK 19
 * rewrite of {@code Thread} (JDK 21's sources have none), is dated accordingly.
 *
 * <p>Contended fields are identified by type, not by name, because the model receives only types:
 * a group's types are taken out of the class's ordinary fields. Since HotSpot sorts each group's
 * primitives by size and places them by size alone, which same-typed field is meant never changes
 * the size.
 */
final class JdkLayoutQuirks {

    /** HotSpot's {@code ContendedPaddingWidth} default: one padding block is 128 bytes. */
    static final int CONTENDED_PADDING_WIDTH = 128;

    /** Releases up to this one use the JDK 17 tables; later ones the JDK 25 tables. */
    private static final int LAST_JDK17_RULES = 21;
    /** {@code Thread}'s thread-local-random fields lost {@code @Contended} in the JDK 19 rewrite. */
    private static final int LAST_THREAD_TLR_CONTENDED = 18;

    private JdkLayoutQuirks() {
    }

    /**
     * {@code @Contended} on one class.
     *
     * @param wholeClass whether the class itself is annotated: 128 bytes of padding before its own
     *                   fields and after them
     * @param groups     the types of each contended field group, in the order HotSpot creates the
     *                   groups; each group is padded off by 128 bytes and placed after the ordinary fields
     */
    record Contended(boolean wholeClass, List<List<BasicType>> groups) {
    }

    private static final Map<String, BasicType[]> INJECTED_17 = Map.ofEntries(
            // String: deduplication flags
            Map.entry("java.lang.String", types(BYTE)),
            // Class: klass, array_klass (Klass*), oop_size, static_oop_field_count, protection_domain, signers, source_file
            Map.entry("java.lang.Class", types(LONG, LONG, INT, INT, OBJECT, OBJECT, OBJECT)),
            // ClassLoader: loader_data (ClassLoaderData*)
            Map.entry("java.lang.ClassLoader", types(LONG)),
            // ResolvedMethodName: vmholder, vmtarget (Method*)
            Map.entry("java.lang.invoke.ResolvedMethodName", types(OBJECT, LONG)),
            // MemberName: vmindex
            Map.entry("java.lang.invoke.MemberName", types(LONG)),
            // CallSiteContext: vmdependencies, last_cleanup
            Map.entry("java.lang.invoke.MethodHandleNatives$CallSiteContext", types(LONG, LONG)),
            // StackFrameInfo: version
            Map.entry("java.lang.StackFrameInfo", types(SHORT)),
            // Module: module_entry (ModuleEntry*)
            Map.entry("java.lang.Module", types(LONG)),
            // InternalError: during_unsafe_access
            Map.entry("java.lang.InternalError", types(BOOLEAN)),
            // StackChunk (JDK 19+; none in 17): cont, flags, pc, maxThawingSize
            Map.entry("jdk.internal.vm.StackChunk", types(OBJECT, BYTE, LONG, INT)));

    private static final Map<String, BasicType[]> INJECTED_25 = Map.ofEntries(
            Map.entry("java.lang.String", types(BYTE)),
            // Class: klass, array_klass, oop_size, static_oop_field_count, source_file, init_lock
            // (protection domain and signers became ordinary Java fields)
            Map.entry("java.lang.Class", types(LONG, LONG, INT, INT, OBJECT, OBJECT)),
            Map.entry("java.lang.ClassLoader", types(LONG)),
            // ResolvedMethodName: vmtarget (vmholder became a Java field)
            Map.entry("java.lang.invoke.ResolvedMethodName", types(LONG)),
            Map.entry("java.lang.invoke.MemberName", types(LONG)),
            // CallSite: vmdependencies, last_cleanup (CallSiteContext is gone)
            Map.entry("java.lang.invoke.CallSite", types(LONG, LONG)),
            Map.entry("java.lang.StackFrameInfo", types(SHORT)),
            Map.entry("java.lang.Module", types(LONG)),
            // Thread: jvmti_thread_state, jvmti_VTMS_transition_disable_count,
            // jvmti_is_in_VTMS_transition, jfr_epoch (JFR builds, which every JDK vendor ships)
            Map.entry("java.lang.Thread", types(LONG, INT, BOOLEAN, SHORT)),
            // VirtualThread: objectWaiter (ObjectWaiter*)
            Map.entry("java.lang.VirtualThread", types(LONG)),
            Map.entry("java.lang.InternalError", types(BOOLEAN)),
            // StackChunk: cont, flags, pc, maxThawingSize
            Map.entry("jdk.internal.vm.StackChunk", types(OBJECT, BYTE, LONG, INT)));

    private static final Map<String, Contended> CONTENDED_17 = Map.of(
            "java.util.concurrent.atomic.Striped64$Cell", new Contended(true, List.of()),
            "java.util.concurrent.ConcurrentHashMap$CounterCell", new Contended(true, List.of()),
            "java.util.concurrent.Exchanger$Node", new Contended(true, List.of()),
            // ctl in group "fjpctl"
            "java.util.concurrent.ForkJoinPool", new Contended(false, List.of(List.of(LONG))),
            // top, source, nsteals in group "w"
            "java.util.concurrent.ForkJoinPool$WorkQueue", new Contended(false, List.of(List.of(INT, INT, INT))),
            // the class, and demand, waiting in group "c"
            "java.util.concurrent.SubmissionPublisher$BufferedSubscription",
            new Contended(true, List.of(List.of(LONG, INT))));

    private static final Map<String, Contended> CONTENDED_25 = Map.of(
            "java.util.concurrent.atomic.Striped64$Cell", new Contended(true, List.of()),
            "java.util.concurrent.ConcurrentHashMap$CounterCell", new Contended(true, List.of()),
            "java.util.concurrent.Exchanger$Slot", new Contended(true, List.of()),
            // ctl, parallelism in group "fjpctl"
            "java.util.concurrent.ForkJoinPool", new Contended(false, List.of(List.of(LONG, INT))),
            // top, phase, stackPred, source, nsteals, parking in group "w"
            "java.util.concurrent.ForkJoinPool$WorkQueue",
            new Contended(false, List.of(List.of(INT, INT, INT, INT, INT, INT))),
            "java.util.concurrent.SubmissionPublisher$BufferedSubscription",
            new Contended(true, List.of(List.of(LONG, INT))));

    /** threadLocalRandomSeed, threadLocalRandomProbe, threadLocalRandomSecondarySeed in group "tlr". */
    private static final Contended THREAD_TLR = new Contended(false, List.of(List.of(LONG, INT, INT)));

    private static boolean jdk17Rules(int javaFeature) {
        return javaFeature != 0 && javaFeature <= LAST_JDK17_RULES;
    }

    /** The types of the fields HotSpot injects into {@code className}; empty for most classes. */
    static BasicType[] injectedFields(String className, int javaFeature) {
        BasicType[] t = (jdk17Rules(javaFeature) ? INJECTED_17 : INJECTED_25).get(className);
        return t == null ? NONE : t.clone();
    }

    /** The {@code @Contended} annotations of {@code className}, or {@code null}. */
    static Contended contended(String className, int javaFeature) {
        if (className.equals("java.lang.Thread")) {
            return javaFeature != 0 && javaFeature <= LAST_THREAD_TLR_CONTENDED ? THREAD_TLR : null;
        }
        return (jdk17Rules(javaFeature) ? CONTENDED_17 : CONTENDED_25).get(className);
    }

    /**
     * Whether instances of {@code className} have a size their fields do not determine.
     * {@code jdk.internal.vm.StackChunk} (JDK 19+) carries a copy of a virtual thread's stack frames
     * and their oop bitmap after its fields.
     */
    static boolean variableSize(String className) {
        return className.equals("jdk.internal.vm.StackChunk");
    }

    private static final BasicType[] NONE = new BasicType[0];

    private static BasicType[] types(BasicType... t) {
        return t;
    }
}

package dev.heaplens.analysis;

import dev.heaplens.Heap;
import dev.heaplens.fixtures.RetainedSizeWorkload;
import dev.heaplens.graph.HeapClass;
import dev.heaplens.graph.HeapInstance;
import dev.heaplens.graph.HeapObject;
import dev.heaplens.graph.HeapObjectArray;
import dev.heaplens.graph.HeapPrimitiveArray;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.graph.StaticFieldInfo;
import dev.heaplens.hprof.BasicType;
import dev.heaplens.hprof.RootKind;
import dev.heaplens.testing.ChildJvm;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntLinkedOpenHashSet;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netbeans.lib.profiler.heap.HeapFactory;
import org.netbeans.lib.profiler.heap.Instance;
import org.roaringbitmap.RoaringBitmap;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retained sizes against an independent analyser: NetBeans' profiler heap library (the engine of
 * VisualVM's heap walker) reads the same dump of {@link RetainedSizeWorkload}, and its dominators and
 * retained sizes are compared with heaplens' {@link DominatorTree}.
 *
 * <p>They do not match as they come. Every systematic difference is named here and tested:
 * <ol>
 *   <li><b>Shallow sizes.</b> NetBeans has its own size model: a header of two identifiers (16
 *       bytes), every reference as wide as a dump identifier (8 bytes, compressed oops or not), arrays
 *       with 8 more bytes of header, and no alignment. heaplens uses HotSpot's real layout (a
 *       {@code Node} of three references is 24 bytes there, 40 in NetBeans). Retained sizes are
 *       therefore compared as sums of <em>NetBeans'</em> shallow sizes over heaplens' sets.</li>
 *   <li><b>Class objects' own size.</b> NetBeans' retained-size pass visits instance and array
 *       records only, so a class object adds nothing of its own (except, rarely, inside what it calls
 *       a "tree" of single-referrer objects, where a class rooted tree is also lost to the class's
 *       dominators). The normalised sums give class objects a weight of 0.</li>
 *   <li><b>Reachability.</b> NetBeans walks from every HPROF root record (Java frames and JNI locals
 *       included; heaplens reaches the same objects, see 6) but skips {@code Reference.referent} of weak, soft, final and
 *       phantom references: objects only softly reachable are not in its tree at all, as with
 *       {@link ReferencePolicy#EXCLUDE_REFERENTS}; {@link ReferencePolicy#FOLLOW_REFERENTS} (Eclipse
 *       MAT's way) retains them in their reference.</li>
 *   <li><b>Referents as a second way in.</b> NetBeans then computes dominators by intersecting over
 *       <em>every</em> recorded referrer, the referent of a {@code Reference} included, and counts a
 *       referrer it did not reach as the root. So an object held strongly by A and weakly by W is
 *       dominated by their common dominator, as with {@code FOLLOW_REFERENTS}, not by A as with
 *       {@code EXCLUDE_REFERENTS}. NetBeans is neither heaplens policy: EXCLUDE's reachability with
 *       FOLLOW's predecessors.</li>
 *   <li><b>Class links.</b> NetBeans links a class object to its static values and its loader only
 *       (not superclass, signers or protection domain), and an instance to its class only for the
 *       first instance its breadth-first walk meets (arrays never). heaplens, like MAT, links every
 *       instance and array to its class. Array classes that nothing but their arrays refer to (e.g.
 *       {@code boolean[]}) are therefore unreachable for NetBeans.</li>
 *   <li><b>Thread-local roots.</b> NetBeans makes every Java-frame, JNI-local, native-stack and
 *       thread-block root a child of its root. heaplens, like MAT, attributes them to their thread
 *       when the dump names it: the {@code Thread} object gets a reference to the object instead, so
 *       an object only a thread's stack holds (the workload's local list and tree) is dominated by
 *       that thread, and the thread's retained size includes it. Reachability is the same (thread
 *       objects are roots themselves); only objects NetBeans puts directly under its root can move
 *       (under their thread), and only thread objects' retained sizes change.</li>
 * </ol>
 * The proof that the list is complete: {@link NetBeansRules} replays rules 1–5 over heaplens'
 * objects and edges, runs heaplens' Lengauer–Tarjan on the result, and gets NetBeans' reachability,
 * immediate dominator and retained size for <em>every</em> object of the dump. The same replay with
 * rule 6 switched on ({@code withThreads}) differs from NetBeans exactly as 6 says, object by object,
 * and is what heaplens' own trees are then compared with. The tests on the top dominators and on the
 * workload's own structures say which difference moves which number.
 */
class NetBeansRetainedSizeTest {
    private static final int TOP = 30;

    @TempDir
    static Path temp;

    private static Heap heap;
    private static ObjectGraph graph;
    private static org.netbeans.lib.profiler.heap.Heap netBeans;
    private static List<Instance> netBeansTop;
    private static NetBeansFacts facts;
    private static NetBeansRules rules;
    /** NetBeans' rules with difference 6 (MAT's thread-local roots): what heaplens is compared with. */
    private static NetBeansRules withThreads;
    private static DominatorTree follow;
    private static DominatorTree exclude;

    @BeforeAll
    static void dumpAndAnalyse() throws Exception {
        Path dump = temp.resolve("retained.hprof");
        // soft referents must survive the dump's full GC however long the child waited
        try (ChildJvm child = ChildJvm.start(ChildJvm.currentJavaHome(), RetainedSizeWorkload.class,
                List.of("-Xmx64m", "-Xshare:off", "-XX:SoftRefLRUPolicyMSPerMB=10000000"))) {
            child.heapDump(dump.toAbsolutePath(), false);
        }
        netBeans = HeapFactory.createHeap(dump.toFile());
        netBeansTop = new ArrayList<>();
        for (Object o : netBeans.getBiggestObjectsByRetainedSize(TOP)) {
            netBeansTop.add((Instance) o);
        }
        heap = Heap.open(dump);
        graph = heap.graph();
        follow = DominatorTree.compute(graph, ReferencePolicy.FOLLOW_REFERENTS);
        exclude = DominatorTree.compute(graph, ReferencePolicy.EXCLUDE_REFERENTS);
        facts = new NetBeansFacts(graph, netBeans);
        rules = new NetBeansRules(graph, facts, false);
        withThreads = new NetBeansRules(graph, facts, true);
    }

    @AfterAll
    static void close() {
        if (heap != null) {
            heap.close();
        }
    }

    /** Difference 1: NetBeans' sizes are its own model, object by object; heaplens' are HotSpot's. */
    @Test
    void netBeansShallowSizesFollowItsOwnModel() {
        int id = graph.file().idSize();
        int javaLangClass = graph.classes().javaLangClass();
        Map<String, String> wrong = new TreeMap<>();
        for (int o = 0; o < graph.objectCount(); o++) {
            HeapObject object = HeapObject.of(graph, o);
            long expected;
            if (object instanceof HeapObjectArray a) {
                expected = 2L * id + 8 + (long) id * a.length();
            } else if (object instanceof HeapPrimitiveArray a) {
                expected = 2L * id + 8 + (long) a.elementType().primitiveSize() * a.length();
            } else if (object instanceof HeapClass) {
                expected = 2L * id + fieldBytes(javaLangClass, id); // NetBeans sizes a class object as a java.lang.Class
            } else {
                expected = 2L * id + fieldBytes(graph.classOf(o), id);
            }
            if (facts.size[o] != expected && wrong.size() < 20) {
                wrong.put(object.label(), "NetBeans " + facts.size[o] + ", its model " + expected);
            }
        }
        assertEquals(Map.of(), wrong, "objects whose NetBeans size is not 2 ids + fields at id width (+8 for arrays)");

        HeapClass node = heap.findClass(RetainedSizeWorkload.class.getName() + "$Node");
        int aNode = node.instances().first();
        assertEquals(2L * id + 3L * id, facts.size[aNode], "a Node (three references) in NetBeans' model");
        assertEquals(24, graph.shallowSize(aNode), "the same Node as HotSpot lays it out: a 12-byte header and "
                + "4-byte references (the child runs with compressed oops and class pointers, the defaults at -Xmx64m)");
    }

    /** Differences 3 and 5: who is reachable. */
    @Test
    void netBeansReachesStronglyReachableObjectsOnly() {
        RoaringBitmap netBeansReach = bitmap(facts.reachable);
        RoaringBitmap excludeReach = reachable(exclude);
        RoaringBitmap followReach = reachable(follow);
        assertEquals(netBeansReach, bitmap(rules.reachable), "NetBeans' reachability replayed on heaplens' edges");

        RoaringBitmap onlyHeaplens = RoaringBitmap.andNot(excludeReach, netBeansReach);
        assertTrue(RoaringBitmap.andNot(netBeansReach, excludeReach).isEmpty(), "NetBeans reaches nothing heaplens does not");
        for (int o : onlyHeaplens) {
            assertTrue(graph.isClassObject(o), "only class objects, reached through heaplens' class links: " + label(o));
        }
        assertTrue(onlyHeaplens.contains(heap.findClass("boolean[]").index()),
                "boolean[]: only its arrays refer to it, and NetBeans does not link arrays to their class");

        RoaringBitmap viaReferents = RoaringBitmap.andNot(followReach, excludeReach);
        RoaringBitmap softPayloads = softOnlyPayloads();
        assertEquals(40, softPayloads.getCardinality());
        assertTrue(RoaringBitmap.andNot(softPayloads, viaReferents).isEmpty(),
                "soft-only payloads are reachable for FOLLOW_REFERENTS only");
        assertTrue(RoaringBitmap.and(softPayloads, netBeansReach).isEmpty(), "NetBeans does not reach them");
    }

    /** All five differences at once: NetBeans' rules on heaplens' graph give NetBeans' numbers, object by object. */
    @Test
    void netBeansRulesReplayedOnHeaplensGraphGiveEveryImmediateDominatorAndRetainedSize() {
        Map<String, String> wrong = new TreeMap<>();
        int checked = 0;
        for (int o = 0; o < graph.objectCount(); o++) {
            if (!facts.reachable[o]) {
                continue;
            }
            checked++;
            if (rules.idom[o] != facts.idom[o]) {
                wrong.put(label(o), "immediate dominator: replay " + label(rules.idom[o]) + ", NetBeans " + label(facts.idom[o]));
            } else if (rules.retained[o] != facts.retained[o]) {
                wrong.put(label(o), "retained: replay " + rules.retained[o] + ", NetBeans " + facts.retained[o]);
            }
        }
        assertTrue(checked > 20_000, "a real heap: " + checked + " reachable objects");
        assertEquals(Map.of(), first(wrong, 20), wrong.size() + " objects where the replay of NetBeans' rules disagrees with it");
    }

    /**
     * Difference 6 alone: NetBeans' replayed rules with thread-local roots under their thread differ
     * from NetBeans' own numbers exactly as it says, object by object: the same reachability; an
     * object's immediate dominator changes only from NetBeans' root to a thread object; no retained
     * size changes but a thread's, which grows by exactly the retained sizes of the objects moved
     * under it. heaplens' own trees move the same objects under the same threads.
     */
    @Test
    void threadLocalRootsMoveRootChildrenUnderTheirThreadAndOnlyThreadsRetainMore() {
        int n = graph.objectCount();
        int main = mainThread();
        assertTrue(withThreads.threadsWithLocals.contains(main), "main has local-variable roots");
        assertTrue(rules.threadsWithLocals.isEmpty(), "NetBeans' own rules attribute nothing to threads");
        Map<String, String> wrong = new TreeMap<>();
        RoaringBitmap moved = new RoaringBitmap();
        long[] gained = new long[n];
        for (int o = 0; o < n; o++) {
            if (withThreads.reachable[o] != facts.reachable[o]) {
                wrong.put(label(o), "reachable: with threads " + withThreads.reachable[o] + ", NetBeans " + facts.reachable[o]);
            }
            int d = withThreads.idom[o];
            if (facts.reachable[o] && d != facts.idom[o]) {
                moved.add(o);
                if (facts.idom[o] != DominatorTree.ROOT || !withThreads.threadsWithLocals.contains(d)) {
                    wrong.put(label(o), "immediate dominator: with threads " + label(d) + ", NetBeans " + label(facts.idom[o]));
                } else {
                    gained[d] += facts.retained[o];
                }
            }
        }
        for (int o = 0; o < n; o++) {
            if (facts.reachable[o] && withThreads.retained[o] != facts.retained[o] + gained[o]) {
                wrong.put(label(o), "retained: with threads " + withThreads.retained[o] + ", NetBeans " + facts.retained[o]
                        + " + moved under it " + gained[o]);
            }
        }
        assertEquals(Map.of(), first(wrong, 20), wrong.size() + " objects where difference 6 is not all that changed");

        int list = rootOfClass("java.util.LinkedList", 4000);
        int tree = rootOfClass(RetainedSizeWorkload.class.getName() + "$Node", -1);
        int keys = rootOfClass("java.util.ArrayList", 25);
        for (int local : new int[] {list, tree, keys}) {
            assertTrue(moved.contains(local), "main's local moved under main: " + label(local));
            assertEquals(main, withThreads.idom[local]);
        }
        assertTrue(gained[main] > facts.retained[list] + facts.retained[tree], "main retains its list and tree");

        // heaplens' real trees put exactly the same objects directly under those threads
        for (DominatorTree t : new DominatorTree[] {exclude, follow}) {
            for (int o = 0; o < n; o++) {
                int d = t.immediateDominator(o);
                if (moved.contains(o) || withThreads.threadsWithLocals.contains(d)) {
                    assertEquals(withThreads.idom[o], d, t.policy() + ": " + label(o));
                }
            }
        }
    }

    /**
     * NetBeans' 30 largest retained sizes, against heaplens' real trees normalised to NetBeans'
     * sizes: the same objects, the same immediate dominators, the same sums, except exactly where
     * referents make the difference (2 and 4), which the workload provokes on purpose, and where
     * thread-local roots do (6): the main thread, which retains the workload's local list and tree.
     */
    @Test
    void topDominatorsAgreeOnceSizesReferentsAndThreadsAreAccountedFor() {
        long cut = netBeansTop.get(TOP - 1).getRetainedSize();
        long[] byExclude = normalisedRetained(exclude);
        long[] byFollow = normalisedRetained(follow);
        RoaringBitmap topNetBeans = new RoaringBitmap();
        RoaringBitmap topExpected = new RoaringBitmap();
        RoaringBitmap topExclude = new RoaringBitmap();
        RoaringBitmap topFollow = new RoaringBitmap();
        for (int o = 0; o < graph.objectCount(); o++) {
            if (facts.reachable[o] && facts.retained[o] >= cut) {
                topNetBeans.add(o);
            }
            if (withThreads.reachable[o] && withThreads.retained[o] >= cut) {
                topExpected.add(o);
            }
            if (exclude.isReachable(o) && byExclude[o] >= cut) {
                topExclude.add(o);
            }
            if (follow.isReachable(o) && byFollow[o] >= cut) {
                topFollow.add(o);
            }
        }
        for (Instance i : netBeansTop) {
            assertTrue(topNetBeans.contains(graph.indexOf(i.getInstanceId())), "NetBeans' own top list: " + i.getInstanceId());
        }
        // difference 6: the main thread's stack alone holds enough to put the thread among the largest
        int main = mainThread();
        assertEquals(bitmap(main), RoaringBitmap.andNot(topExpected, topNetBeans), "thread-local roots' extra top dominators");
        assertTrue(RoaringBitmap.andNot(topNetBeans, topExpected).isEmpty());
        HeapClass workload = heap.findClass(RetainedSizeWorkload.class.getName());
        HeapObject shared = (HeapObject) workload.staticValue("SHARED");
        HeapObject softOnly = (HeapObject) workload.staticValue("SOFT_ONLY");
        // EXCLUDE_REFERENTS credits SHARED with its payloads, which weak references also reach
        assertEquals(bitmap(shared.index(), elementData(shared)), RoaringBitmap.andNot(topExclude, topExpected),
                "heaplens EXCLUDE_REFERENTS' extra top dominators");
        assertTrue(RoaringBitmap.andNot(topExpected, topExclude).isEmpty(), "expected top dominators missing from EXCLUDE_REFERENTS");
        // FOLLOW_REFERENTS credits SOFT_ONLY with the payloads only its soft references reach
        assertEquals(bitmap(softOnly.index(), elementData(softOnly)), RoaringBitmap.andNot(topFollow, topExpected),
                "heaplens FOLLOW_REFERENTS' extra top dominators");
        assertTrue(RoaringBitmap.andNot(topExpected, topFollow).isEmpty(), "expected top dominators missing from FOLLOW_REFERENTS");

        int classObject = workload.index();
        assertTrue(topExpected.contains(classObject));
        for (int o : topExpected) {
            String what = label(o);
            assertEquals(withThreads.idom[o], exclude.immediateDominator(o), "immediate dominator, EXCLUDE_REFERENTS: " + what);
            assertEquals(withThreads.idom[o], follow.immediateDominator(o), "immediate dominator, FOLLOW_REFERENTS: " + what);
            if (o == classObject || o == main) {
                continue;
            }
            assertEquals(withThreads.retained[o], byExclude[o], "retained, EXCLUDE_REFERENTS, in NetBeans' sizes: " + what);
            assertEquals(withThreads.retained[o], byFollow[o], "retained, FOLLOW_REFERENTS, in NetBeans' sizes: " + what);
        }
        // the main thread: FOLLOW retains what the replay with threads does; EXCLUDE adds the keys
        // its local list holds, which the WeakHashMap's entries also reach through their referents
        RoaringBitmap mainSet = withThreads.retainedSet(main);
        assertEquals(mainSet, follow.retainedSet(main), "FOLLOW_REFERENTS: the main thread retains what the replay says");
        assertEquals(withThreads.retained[main], byFollow[main]);
        RoaringBitmap mainExtra = RoaringBitmap.andNot(exclude.retainedSet(main), mainSet);
        assertTrue(RoaringBitmap.andNot(mainSet, exclude.retainedSet(main)).isEmpty());
        assertEquals(25, mainExtra.getCardinality(), "EXCLUDE_REFERENTS' extra in the main thread: the weak map's keys");
        for (int key : mainExtra) {
            assertEquals(DominatorTree.ROOT, withThreads.idom[key], "a local list and a referent reach it: " + label(key));
        }
        assertEquals(withThreads.retained[main] + weigh(mainExtra), byExclude[main]);

        // the workload's class: FOLLOW adds the soft-only payloads; EXCLUDE adds what referents also reach
        RoaringBitmap netBeansSet = withThreads.retainedSet(classObject);
        assertEquals(rules.retainedSet(classObject), netBeansSet, "thread-local roots do not move the class's objects");
        RoaringBitmap followSet = follow.retainedSet(classObject);
        RoaringBitmap excludeSet = exclude.retainedSet(classObject);
        assertEquals(softOnlyPayloads(), RoaringBitmap.andNot(followSet, netBeansSet), "FOLLOW_REFERENTS' extra in the class");
        assertTrue(RoaringBitmap.andNot(netBeansSet, followSet).isEmpty());
        assertEquals(RoaringBitmap.andNot(excludeSet, followSet), RoaringBitmap.andNot(excludeSet, netBeansSet),
                "EXCLUDE_REFERENTS' extra in the class: objects a referent also reaches");
        assertTrue(RoaringBitmap.andNot(netBeansSet, excludeSet).isEmpty());
        assertEquals(facts.retained[classObject], weigh(netBeansSet));
        assertEquals(facts.retained[classObject] + weigh(softOnlyPayloads()), byFollow[classObject]);
        assertEquals(facts.retained[classObject] + weigh(RoaringBitmap.andNot(excludeSet, followSet)), byExclude[classObject]);
    }

    /** The workload's structures, each with a dominator known in advance, in all three analyses. */
    @Test
    void workloadStructuresHaveTheirExpectedDominators() {
        HeapClass workload = heap.findClass(RetainedSizeWorkload.class.getName());
        int classObject = workload.index();
        int main = mainThread();

        // held one way only: every analysis agrees on what each retains, and the bytes differ only by
        // the size model; main's locals are under main in heaplens, under the root in NetBeans (6)
        HeapObject cache = (HeapObject) workload.staticValue("CACHE");
        assertSameEverywhere(cache.index(), classObject, classObject, 1 + 1 + 300 * 4);
        int list = rootOfClass("java.util.LinkedList", 4000);
        assertSameEverywhere(list, main, DominatorTree.ROOT, 1 + 4000 * 2);
        int tree = rootOfClass(RetainedSizeWorkload.class.getName() + "$Node", -1);
        assertSameEverywhere(tree, main, DominatorTree.ROOT, 2047 * 2);
        for (DominatorTree t : new DominatorTree[] {exclude, follow}) {
            assertTrue(t.retainedSet(main).contains(t.retainedSet(list)), "main retains its local list");
            assertTrue(t.retainedSet(main).contains(t.retainedSet(tree)), "and its local tree");
        }
        assertFalse(rules.retainedSet(main).contains(list), "NetBeans: the list is not the thread's");
        long treeBytes = 0;
        long treeNetBeans = 0;
        for (int o : exclude.retainedSet(tree)) {
            treeBytes += graph.shallowSize(o);
            treeNetBeans += facts.size[o];
        }
        assertEquals(treeBytes, exclude.retainedSize(tree), "heaplens counts HotSpot's bytes");
        assertEquals(treeNetBeans, facts.retained[tree], "NetBeans counts its own");
        assertNotEquals(treeBytes, treeNetBeans);

        // only softly reachable: FOLLOW retains them in their SoftReference; EXCLUDE and NetBeans do not reach them
        for (int payload : softOnlyPayloads()) {
            assertFalse(facts.reachable[payload]);
            assertFalse(exclude.isReachable(payload));
            assertTrue(graph.classes().name(graph.classOf(follow.immediateDominator(payload))).equals("java.lang.ref.SoftReference"));
        }

        // held strongly by SHARED and weakly by WEAK_TO_STRONG: NetBeans and FOLLOW see two ways in
        HeapObject shared = (HeapObject) workload.staticValue("SHARED");
        for (int i = 0; i < 30; i++) {
            int payload = elementOf(shared, i);
            assertEquals(elementData(shared), exclude.immediateDominator(payload), "EXCLUDE: SHARED's array retains it");
            assertEquals(classObject, follow.immediateDominator(payload), "FOLLOW: the class dominates both ways in");
            assertEquals(classObject, facts.idom[payload], "NetBeans: the class dominates both ways in");
        }

        // WeakHashMap keys held by a local list: NetBeans and FOLLOW see the entry's referent too
        HeapObject weakKeys = (HeapObject) workload.staticValue("WEAK_KEYS");
        int keys = rootOfClass("java.util.ArrayList", 25);
        int entries = 0;
        for (int entry : heap.instanceIndices("java.util.WeakHashMap$Entry")) {
            if (!exclude.retainedSet(weakKeys.index()).contains(entry)) {
                continue;
            }
            entries++;
            HeapInstance e = (HeapInstance) HeapObject.of(graph, entry);
            int key = ((HeapObject) e.get("referent")).index();
            int value = ((HeapObject) e.get("value")).index();
            assertEquals(elementData(HeapObject.of(graph, keys)), exclude.immediateDominator(key),
                    "EXCLUDE: the local list's array retains the key");
            assertEquals(DominatorTree.ROOT, follow.immediateDominator(key), "FOLLOW: a local and a static reach it");
            assertEquals(DominatorTree.ROOT, facts.idom[key], "NetBeans: a local and a static reach it");
            for (int d : new int[] {exclude.immediateDominator(value), follow.immediateDominator(value), facts.idom[value]}) {
                assertEquals(entry, d, "the map's value belongs to its entry in every analysis");
            }
        }
        assertEquals(25, entries);
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * {@code obj} retains the same set in every analysis, and has immediate dominator {@code idom} in
     * heaplens' trees and in the replay with threads, {@code netBeansIdom} in NetBeans (they differ
     * for an object held only by a thread's stack: difference 6).
     */
    private static void assertSameEverywhere(int obj, int idom, int netBeansIdom, int expectedCount) {
        String what = label(obj);
        assertEquals(idom, exclude.immediateDominator(obj), what);
        assertEquals(idom, follow.immediateDominator(obj), what);
        assertEquals(idom, withThreads.idom[obj], what);
        assertEquals(netBeansIdom, facts.idom[obj], what);
        assertEquals(netBeansIdom, rules.idom[obj], what);
        RoaringBitmap set = exclude.retainedSet(obj);
        assertEquals(expectedCount, set.getCardinality(), "objects retained by " + what);
        assertEquals(set, follow.retainedSet(obj), what);
        assertEquals(set, rules.retainedSet(obj), what);
        assertEquals(set, withThreads.retainedSet(obj), what);
        assertEquals(facts.retained[obj], weigh(set), "NetBeans' retained size = its sizes over heaplens' set: " + what);
    }

    /** The thread object of the workload's {@code main}, whose stack holds its local list, tree and keys. */
    private static int mainThread() {
        int list = rootOfClass("java.util.LinkedList", 4000);
        IntOpenHashSet threads = new IntOpenHashSet();
        for (int r = 0; r < graph.roots().size(); r++) {
            if (graph.roots().object(r) == list && graph.roots().kind(r) == RootKind.JAVA_FRAME) {
                threads.add(graph.stackTraces().threadObject(graph.roots().threadSerial(r)));
            }
        }
        assertEquals(1, threads.size(), "threads whose frames hold the list");
        int main = threads.iterator().nextInt();
        assertTrue(main >= 0, "the dump names the thread");
        assertEquals("main", ((HeapInstance) ((HeapInstance) HeapObject.of(graph, main)).get("name")).asString());
        assertEquals(DominatorTree.ROOT, follow.immediateDominator(main), "a thread object is a root");
        return main;
    }

    /** The local of the workload's main of exactly this class (and this {@code size}, if not -1): a Java-frame root. */
    private static int rootOfClass(String name, int size) {
        IntOpenHashSet found = new IntOpenHashSet();
        for (int r = 0; r < graph.roots().size(); r++) {
            int o = graph.roots().object(r);
            if (graph.roots().kind(r) == RootKind.JAVA_FRAME && !graph.isClassObject(o)
                    && graph.classes().name(graph.classOf(o)).equals(name)
                    && (size < 0 || Integer.valueOf(size).equals(((HeapInstance) HeapObject.of(graph, o)).get("size")))) {
                found.add(o);
            }
        }
        assertEquals(1, found.size(), "Java-frame roots of class " + name);
        return found.iterator().nextInt();
    }

    private static RoaringBitmap softOnlyPayloads() {
        HeapObject list = (HeapObject) heap.findClass(RetainedSizeWorkload.class.getName()).staticValue("SOFT_ONLY");
        RoaringBitmap payloads = new RoaringBitmap();
        for (int i = 0; i < 40; i++) {
            HeapInstance ref = (HeapInstance) HeapObject.of(graph, elementOf(list, i));
            payloads.add(((HeapObject) ref.get("referent")).index());
        }
        return payloads;
    }

    private static int elementData(HeapObject arrayList) {
        return ((HeapObject) ((HeapInstance) arrayList).get("elementData")).index();
    }

    private static int elementOf(HeapObject arrayList, int i) {
        HeapObjectArray array = (HeapObjectArray) HeapObject.of(graph, elementData(arrayList));
        return graph.indexOf(array.elementId(i));
    }

    private static long fieldBytes(int c, int id) {
        long bytes = 0;
        for (var f : graph.classes().allFields(c)) {
            bytes += f.type().sizeInDump(id);
        }
        return bytes;
    }

    /** NetBeans' sizes summed over a set: class objects weigh nothing (difference 2). */
    private static long weigh(RoaringBitmap set) {
        long sum = 0;
        for (int o : set) {
            sum += facts.weight(o);
        }
        return sum;
    }

    /** Every object's retained size in a heaplens tree, counted in NetBeans' sizes. */
    private static long[] normalisedRetained(DominatorTree tree) {
        int n = graph.objectCount();
        long[] sums = new long[n];
        IntArrayList order = new IntArrayList();
        IntArrayList stack = new IntArrayList();
        stack.add(n);
        while (!stack.isEmpty()) {
            int v = stack.popInt();
            order.add(v);
            stack.addAll(tree.childIndices(v));
        }
        for (int k = order.size() - 1; k > 0; k--) {
            int v = order.getInt(k);
            sums[v] += facts.weight(v);
            int d = tree.immediateDominator(v);
            if (d >= 0) {
                sums[d] += sums[v];
            }
        }
        return sums;
    }

    private static RoaringBitmap reachable(DominatorTree tree) {
        RoaringBitmap set = new RoaringBitmap();
        for (int o = 0; o < graph.objectCount(); o++) {
            if (tree.isReachable(o)) {
                set.add(o);
            }
        }
        return set;
    }

    private static RoaringBitmap bitmap(boolean[] flags) {
        RoaringBitmap set = new RoaringBitmap();
        for (int o = 0; o < flags.length; o++) {
            if (flags[o]) {
                set.add(o);
            }
        }
        return set;
    }

    private static RoaringBitmap bitmap(int... objects) {
        return RoaringBitmap.bitmapOf(objects);
    }

    private static Map<String, String> first(Map<String, String> map, int n) {
        Map<String, String> out = new TreeMap<>();
        map.entrySet().stream().limit(n).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static String label(int obj) {
        if (obj == DominatorTree.ROOT) {
            return "<super-root>";
        }
        if (obj < 0) {
            return "<unreachable>";
        }
        return HeapObject.of(graph, obj).label();
    }

    /**
     * What NetBeans says about each object, by heaplens index: its shallow size, whether it reached
     * it, its retained size and immediate dominator, and, for a class object, the object its walk
     * reached it from. NetBeans' API has no immediate dominator, so that one is read from its
     * {@code DominatorTree} by reflection (the library version is pinned in the pom).
     */
    static final class NetBeansFacts {
        final long[] size;
        final boolean[] reachable;
        final long[] retained;
        final int[] idom;
        final int[] walkParent;
        private final boolean[] classObject;

        NetBeansFacts(ObjectGraph graph, org.netbeans.lib.profiler.heap.Heap nb) throws ReflectiveOperationException {
            int n = graph.objectCount();
            size = new long[n];
            reachable = new boolean[n];
            retained = new long[n];
            idom = new int[n];
            walkParent = new int[n];
            classObject = new boolean[n];
            Field domTreeField = Class.forName("org.netbeans.lib.profiler.heap.HprofHeap").getDeclaredField("domTree");
            domTreeField.setAccessible(true);
            Object domTree = domTreeField.get(nb);
            Method idomOf = domTree.getClass().getDeclaredMethod("getIdomId", long.class,
                    Class.forName("org.netbeans.lib.profiler.heap.LongMap$Entry"));
            idomOf.setAccessible(true);
            for (int o = 0; o < n; o++) {
                Instance i = nb.getInstanceByID(graph.id(o));
                size[o] = i.getSize();
                classObject[o] = graph.isClassObject(o);
                Instance parent = i.getNearestGCRootPointer();
                reachable[o] = i.isGCRoot() || parent != null;
                walkParent[o] = parent == null || parent == i ? -1 : graph.indexOf(parent.getInstanceId());
                retained[o] = reachable[o] ? i.getRetainedSize() : 0;
                long d = reachable[o] ? (Long) idomOf.invoke(domTree, graph.id(o), null) : 0;
                idom[o] = !reachable[o] ? DominatorTree.UNREACHABLE : d == 0 ? DominatorTree.ROOT : graph.indexOf(d);
            }
        }

        /** An object's weight in NetBeans' retained sizes: its own size; 0 for a class object. */
        long weight(int o) {
            return classObject[o] ? 0 : size[o];
        }
    }

    /**
     * NetBeans' graph and bookkeeping replayed on heaplens' objects and edges (version RELEASE250,
     * {@code NearestGCRoot}, {@code HprofHeap.computeReferences/computeRetainedSize},
     * {@code DominatorTree}, {@code TreeObject}):
     * <ul>
     *   <li>references: instance fields (referent included), array elements, a class's static
     *       values and its loader, and one instance-to-class link per class, from the instance its
     *       walk reached the class from;</li>
     *   <li>reachable: a breadth-first walk from the roots over them, referents skipped;</li>
     *   <li>dominators: over every reference between reachable objects, referents included; a
     *       referrer the walk did not reach counts as the root;</li>
     *   <li>retained size: NetBeans' own sizes; a class object's own size only inside a "tree" (an
     *       object all of whose references lead to single-referrer trees, grown from the walk's
     *       leaves), and a tree rooted in a class object is not added to the class's dominators.</li>
     * </ul>
     * With {@code threads} (difference 6, not NetBeans' own rule), dominators are computed as MAT
     * roots the graph: a Java-frame, JNI-local, native-stack or thread-block root whose thread serial
     * names a thread object is not a child of the root (unless also a root of another kind) but a
     * reference from that thread object; everything else, reachability included, is unchanged.
     */
    static final class NetBeansRules implements Successors {
        private static final Set<RootKind> THREAD_LOCAL =
                EnumSet.of(RootKind.JAVA_FRAME, RootKind.JNI_LOCAL, RootKind.NATIVE_STACK, RootKind.THREAD_BLOCK);

        final boolean[] reachable;
        final int[] idom;
        final long[] retained;
        private final int n;
        private final int[] succStart;
        private final int[] succ;
        private int[] childStart;
        private int[] children;

        /** Thread objects that gained references to thread-local roots (with {@code threads} only). */
        final IntOpenHashSet threadsWithLocals = new IntOpenHashSet();

        NetBeansRules(ObjectGraph graph, NetBeansFacts nb, boolean threads) {
            n = graph.objectCount();
            // the instance-to-class links NetBeans made: a class reached from an instance of itself
            int[] classLink = new int[n];
            java.util.Arrays.fill(classLink, -1);
            for (int c = 0; c < n; c++) {
                int from = nb.walkParent[c];
                if (graph.isClassObject(c) && from >= 0 && !(HeapObject.of(graph, from) instanceof HeapObjectArray)
                        && graph.classOf(from) == graph.classes().indexOfId(graph.id(c))) {
                    classLink[from] = c;
                }
            }
            IntArrayList targets = new IntArrayList();
            IntArrayList referentEdges = new IntArrayList();
            int[] start = new int[n + 1];
            for (int o = 0; o < n; o++) {
                start[o] = targets.size();
                if (graph.isClassObject(o)) {
                    int c = graph.classes().indexOfId(graph.id(o));
                    for (StaticFieldInfo f : graph.classes().staticFields(c)) {
                        if (f.type() == BasicType.OBJECT) {
                            addIfPresent(targets, graph, f.value());
                        }
                    }
                    addIfPresent(targets, graph, graph.classes().loaderId(c));
                } else {
                    if (graph.hasReferentEdge(o)) {
                        referentEdges.add(targets.size());
                    }
                    for (long e = graph.edgeStart(o); e < graph.edgeEnd(o); e++) {
                        targets.add(graph.edgeTarget(e));
                    }
                }
                if (classLink[o] >= 0) {
                    targets.add(classLink[o]);
                }
            }
            start[n] = targets.size();
            int[] to = targets.toIntArray();
            boolean[] referent = new boolean[to.length];
            referentEdges.forEach(k -> referent[k] = true);

            int[] referrers = new int[n];
            for (int o = 0; o < n; o++) {
                IntOpenHashSet distinct = new IntOpenHashSet();
                for (int k = start[o]; k < start[o + 1]; k++) {
                    if (distinct.add(to[k])) {
                        referrers[to[k]]++;
                    }
                }
            }

            reachable = new boolean[n];
            IntOpenHashSet roots = new IntOpenHashSet();
            IntArrayList queue = new IntArrayList();
            for (int r = 0; r < graph.roots().size(); r++) {
                int o = graph.roots().object(r);
                if (roots.add(o)) {
                    reachable[o] = true;
                    queue.add(o);
                }
            }
            for (int q = 0; q < queue.size(); q++) {
                int u = queue.getInt(q);
                for (int k = start[u]; k < start[u + 1]; k++) {
                    if (!referent[k] && !reachable[to[k]]) {
                        reachable[to[k]] = true;
                        queue.add(to[k]);
                    }
                }
            }

            // the root's successors: every root object, or with threads those of global roots, the
            // thread-local roots of named threads becoming references from their thread
            IntOpenHashSet rootChildren = new IntOpenHashSet();
            Int2ObjectOpenHashMap<IntLinkedOpenHashSet> localsOf = new Int2ObjectOpenHashMap<>();
            for (int r = 0; r < graph.roots().size(); r++) {
                int o = graph.roots().object(r);
                int thread = threads && THREAD_LOCAL.contains(graph.roots().kind(r))
                        ? graph.stackTraces().threadObject(graph.roots().threadSerial(r)) : -1;
                if (thread >= 0) {
                    localsOf.computeIfAbsent(thread, t -> new IntLinkedOpenHashSet()).add(o);
                    threadsWithLocals.add(thread);
                } else {
                    rootChildren.add(o);
                }
            }
            IntArrayList rootSuccessors = new IntArrayList(rootChildren.toIntArray());
            boolean[] fromUnreached = new boolean[n];
            IntArrayList s = new IntArrayList();
            succStart = new int[n + 2];
            for (int u = 0; u < n; u++) {
                succStart[u] = s.size();
                for (int k = start[u]; k < start[u + 1]; k++) {
                    int v = to[k];
                    if (!reachable[v]) {
                        continue;
                    }
                    if (reachable[u]) {
                        s.add(v);
                    } else if (!fromUnreached[v] && !rootChildren.contains(v)) {
                        fromUnreached[v] = true;
                        rootSuccessors.add(v);
                    }
                }
                IntLinkedOpenHashSet locals = reachable[u] ? localsOf.get(u) : null;
                if (locals != null) {
                    s.addAll(locals);
                }
            }
            succStart[n] = s.size();
            s.addAll(rootSuccessors);
            succStart[n + 1] = s.size();
            succ = s.toIntArray();

            LengauerTarjan.Result lt = LengauerTarjan.compute(this);
            int[] vertex = lt.vertex();
            int[] idomPre = lt.idomPre();
            int count = lt.reachable(); // vertex[] is as long as the graph; only its first count entries are set
            idom = new int[n];
            java.util.Arrays.fill(idom, DominatorTree.UNREACHABLE);
            for (int p = 1; p < count; p++) {
                idom[vertex[p]] = idomPre[p] == 0 ? DominatorTree.ROOT : vertex[idomPre[p]];
            }

            // trees: the walk's leaves (no reference it follows, no class link made), then upwards
            // every object whose references all lead to single-referrer trees
            boolean[] tree = new boolean[n];
            long[] treeSize = new long[n];
            IntArrayList grown = new IntArrayList();
            for (int u = 0; u < n; u++) {
                boolean leaf = reachable[u];
                for (int k = start[u]; k < start[u + 1] && leaf; k++) {
                    leaf = referent[k];
                }
                if (leaf) {
                    tree[u] = true;
                    treeSize[u] = nb.size[u];
                    grown.add(u);
                }
            }
            for (int q = 0; q < grown.size(); q++) {
                int c = grown.getInt(q);
                int p = idom[c];
                if (referrers[c] != 1 || p < 0 || tree[p]) {
                    continue;
                }
                boolean all = true;
                long sum = nb.size[p];
                IntOpenHashSet seen = new IntOpenHashSet();
                int end = classLink[p] >= 0 ? start[p + 1] - 1 : start[p + 1];
                for (int k = start[p]; k < end && all; k++) {
                    if (seen.add(to[k])) {
                        all = referrers[to[k]] == 1 && tree[to[k]];
                        sum += treeSize[to[k]];
                    }
                }
                if (all) {
                    tree[p] = true;
                    treeSize[p] = sum;
                    grown.add(p);
                }
            }
            long[] below = new long[count];
            for (int p = count - 1; p > 0; p--) {
                int y = vertex[p];
                if (!graph.isClassObject(y)) {
                    below[p] += !tree[y] ? nb.size[y] : idom[y] < 0 || !tree[idom[y]] ? treeSize[y] : 0;
                }
                below[idomPre[p]] += below[p];
            }
            retained = new long[n];
            for (int p = 1; p < count; p++) {
                int y = vertex[p];
                retained[y] = tree[y] ? treeSize[y] : below[p];
            }
        }

        private static void addIfPresent(IntArrayList targets, ObjectGraph graph, long id) {
            int t = id == 0 ? -1 : graph.indexOf(id);
            if (t >= 0) {
                targets.add(t);
            }
        }

        /** The objects {@code obj} dominates under NetBeans' rules, itself included. */
        RoaringBitmap retainedSet(int obj) {
            if (children == null) {
                childStart = new int[n + 1];
                for (int o = 0; o < n; o++) {
                    if (idom[o] >= 0) {
                        childStart[idom[o]]++;
                    }
                }
                for (int o = 0, sum = 0; o <= n; o++) {
                    int c = o < n ? childStart[o] : 0;
                    childStart[o] = sum;
                    sum += c;
                }
                children = new int[childStart[n]];
                int[] fill = java.util.Arrays.copyOf(childStart, n);
                for (int o = 0; o < n; o++) {
                    if (idom[o] >= 0) {
                        children[fill[idom[o]]++] = o;
                    }
                }
            }
            RoaringBitmap set = new RoaringBitmap();
            IntArrayList stack = new IntArrayList();
            stack.add(obj);
            while (!stack.isEmpty()) {
                int v = stack.popInt();
                set.add(v);
                for (int k = childStart[v], end = childStart[v + 1]; k < end; k++) {
                    stack.add(children[k]);
                }
            }
            return set;
        }

        @Override
        public int size() {
            return n + 1;
        }

        @Override
        public int root() {
            return n;
        }

        @Override
        public int degree(int node) {
            return succStart[node + 1] - succStart[node];
        }

        @Override
        public int target(int node, int k) {
            return succ[succStart[node] + k];
        }
    }
}

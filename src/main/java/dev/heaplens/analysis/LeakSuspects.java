package dev.heaplens.analysis;

import dev.heaplens.concurrent.Parallel;
import dev.heaplens.graph.ClassKind;
import dev.heaplens.graph.ClassTable;
import dev.heaplens.graph.ObjectGraph;
import dev.heaplens.graph.PhaseTrace;
import dev.heaplens.text.TextTable;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntList;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Leak suspects, in the spirit of Eclipse MAT's report: what keeps more than a threshold (default
 * {@value #DEFAULT_THRESHOLD_PERCENT}%) of the reachable heap alive, where that memory accumulates,
 * and the shortest path from a GC root to it.
 *
 * <pre>{@code
 * LeakSuspects suspects = LeakSuspects.find(DominatorTree.compute(graph));
 * System.out.println(suspects);                        // the report
 * LeakSuspect top = suspects.get(0);
 * top.accumulationPoint().ifPresent(p -> System.out.println(p.className()));
 * }</pre>
 *
 * <p><b>Single objects.</b> The candidates are the objects the GC roots alone dominate (the
 * top-level dominators): every object retaining more than the threshold lies under exactly one of
 * them, so reporting them cannot count memory twice. The JDK's built-in class loaders (the app and
 * platform loaders) are containers, not culprits: every class they define, with its statics, hangs
 * below them in the dominator tree. They are looked through: below one of them, the suspects are
 * the first class objects retaining more than the threshold ("the class com.acme.Registry retains
 * …"), and memory spread over many of their classes is no suspect. A custom class loader (a web
 * application's, a plugin's) is reported like any object, since a leaked loader is a classic leak.
 *
 * <p><b>Classes.</b> A class is a candidate when its instances together retain more than the
 * threshold ({@link DominatorTree#classRetainedSize}). The part of a class's memory that lies inside
 * an earlier suspect is merged into that suspect, listed among its {@link LeakSuspect#contents()
 * contents}; only when the rest still exceeds the threshold is the class a suspect of its own
 * ("20,000 instances of Session retain …", typically objects held from two places at once), and
 * the overlap is stated. Only application classes become class suspects, and threads: the JDK's
 * classes (bootstrap and platform loaders) and arrays hold every byte of any heap between them — a
 * heap spread evenly over sixteen lists is sixteen {@code ArrayList}s and twenty thousand {@code
 * byte[]}s retaining 95% — so they would always be "suspects"; they are listed as contents of the
 * suspects they lie in instead. {@code java.lang.Class} is left out altogether (all class objects
 * together are all statics, not a finding).
 *
 * <p><b>Accumulation point.</b> From the suspect, the dominator tree is descended while one child
 * retains at least {@value #ACCUMULATION_RATIO} of its parent's retained size (MAT uses 0.7; 0.8
 * stops one level earlier when a parent keeps a fifth of the memory to itself or its other children,
 * and still walks through the thin wrappers — a map to its table — that make up most chains). The
 * descent stops before a class already on the chain, so a linked structure (a linked list, nested
 * lists) ends at its head instead of a few nodes before its tail.
 *
 * <p><b>Paths</b> come from {@link ShortestPaths} (strong references only) and lead to the
 * accumulation point, through the suspect, which dominates it.
 */
public final class LeakSuspects extends AbstractList<LeakSuspect> {
    /** Default threshold: a suspect retains more than this percentage of the reachable heap (MAT's default too). */
    public static final double DEFAULT_THRESHOLD_PERCENT = 10;
    /** The descent to the accumulation point continues while one child retains at least this share of its parent. */
    public static final double ACCUMULATION_RATIO = 0.8;
    /** Classes listed inside a suspect's description. */
    private static final int CONTENTS_IN_DESCRIPTION = 3;
    private static final int LARGEST_INSTANCES = 5;
    /** Fewer objects than this are scanned on one thread: a second thread would cost more than it saves. */
    private static final int PARALLEL_MIN_OBJECTS = 200_000;
    /** References listed for a suspect that holds its memory through several. */
    private static final int MAX_HOLDINGS = 5;
    /** A reference holding less than this percentage of the reachable heap is not worth naming. */
    private static final double MIN_HOLDING_PERCENT = 1;
    private final List<LeakSuspect> suspects;
    private final double thresholdPercent;
    private final long reachableBytes;
    private final DominatorEntry largestObject;

    private LeakSuspects(List<LeakSuspect> suspects, double thresholdPercent, long reachableBytes, DominatorEntry largestObject) {
        this.suspects = List.copyOf(suspects);
        this.thresholdPercent = thresholdPercent;
        this.reachableBytes = reachableBytes;
        this.largestObject = largestObject;
    }

    /** Suspects above the default threshold; shortest paths are computed here (one search over the graph). */
    public static LeakSuspects find(DominatorTree tree) {
        return find(tree, ShortestPaths.compute(tree.graph()), DEFAULT_THRESHOLD_PERCENT);
    }

    /**
     * Suspects retaining more than {@code thresholdPercent} percent of the reachable heap.
     *
     * @param tree             the dominator tree of the graph
     * @param paths            shortest paths over the same graph
     * @param thresholdPercent a percentage, {@code 0 < thresholdPercent <= 100}
     */
    public static LeakSuspects find(DominatorTree tree, ShortestPaths paths, double thresholdPercent) {
        if (!(thresholdPercent > 0 && thresholdPercent <= 100)) {
            throw new IllegalArgumentException("the threshold is a percentage above 0 and at most 100, not " + thresholdPercent);
        }
        if (paths.graph() != tree.graph()) {
            throw new IllegalArgumentException("the shortest paths are of another graph than the dominator tree");
        }
        return find(tree, paths, thresholdPercent, PARALLEL_MIN_OBJECTS, false);
    }

    /**
     * {@link #find(DominatorTree, ShortestPaths, double)} with two threads from {@code parallelMinObjects}
     * objects up, and an int per object for the owner memo even where a byte would do if {@code intMemo} (tests).
     */
    static LeakSuspects find(DominatorTree tree, ShortestPaths paths, double thresholdPercent, int parallelMinObjects, boolean intMemo) {
        return new Finder(tree, paths, thresholdPercent, parallelMinObjects, intMemo).find();
    }

    /** The threshold, in percent of the reachable heap. */
    public double thresholdPercent() {
        return thresholdPercent;
    }

    /** The reachable heap the percentages refer to, in bytes. */
    public long reachableBytes() {
        return reachableBytes;
    }

    /** The object with the largest retained size, suspect or not; {@code null} for an empty heap. */
    public DominatorEntry largestObject() {
        return largestObject;
    }

    @Override
    public LeakSuspect get(int index) {
        return suspects.get(index);
    }

    @Override
    public int size() {
        return suspects.size();
    }

    /** The report: one block per suspect, or one line saying there is none. */
    @Override
    public String toString() {
        String threshold = String.format(Locale.ROOT, "%.1f%%", thresholdPercent);
        if (suspects.isEmpty()) {
            String largest = largestObject == null ? ""
                    : String.format(Locale.ROOT, "; the largest object, %s@0x%x, retains %s (%.1f%%)", largestObject.className(),
                    largestObject.id(), TextTable.humanBytes(largestObject.retainedSize()), largestObject.percentOfHeap());
            return "No leak suspect: nothing retains more than " + threshold + " of the " + TextTable.humanBytes(reachableBytes)
                    + " reachable heap" + largest + ".\n";
        }
        StringBuilder b = new StringBuilder();
        b.append(suspects.size() == 1 ? "1 leak suspect" : suspects.size() + " leak suspects")
                .append(" (more than ").append(threshold).append(" of the ").append(TextTable.humanBytes(reachableBytes))
                .append(" reachable heap)\n");
        for (LeakSuspect s : suspects) {
            b.append('\n').append(render(s));
        }
        return b.toString();
    }

    /** One suspect as a block of text: description, accumulation chain, contents, path. */
    static String render(LeakSuspect s) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Suspect %d: %s (%.1f%%)%n", s.rank(),
                s.kind() == LeakSuspect.Kind.CLASS ? TextTable.number(s.instanceCount()) + " instances of " + s.className()
                        : s.className() + "@0x" + Long.toHexString(s.object().id()), s.percentOfHeap()));
        b.append(indent(wrap(s.description(), 100), "  "));
        if (!s.holdings().isEmpty()) {
            TextTable t = new TextTable("held by", "retained bytes", "%", "object", "size", "accumulates in").alignRight(1, 2);
            for (LeakSuspect.Holding h : s.holdings()) {
                DominatorEntry o = h.object();
                t.row(h.via() == null ? "" : h.via(), TextTable.bytes(o.retainedSize()), String.format(Locale.ROOT, "%.1f", o.percentOfHeap()),
                        o.className() + "@0x" + Long.toHexString(o.id()), h.size() == null ? "" : h.size().toString(),
                        h.accumulation().size() > 1 ? h.accumulationPoint().className() + "@0x" + Long.toHexString(h.accumulationPoint().id()) : "");
            }
            b.append("  Held through:\n").append(indent(t.toString(), "    "));
        }
        if (!s.shared().isEmpty()) {
            TextTable t = new TextTable("instances", "retained bytes", "%", "class", "held by all of").alignRight(0, 1, 2);
            for (LeakSuspect.Shared g : s.shared()) {
                t.row(TextTable.number(g.instances()), TextTable.bytes(g.retainedBytes()), String.format(Locale.ROOT, "%.1f", g.percentOfHeap()),
                        g.className(), String.join(", ", g.via()));
            }
            b.append("  Held through several of them at once:\n").append(indent(t.toString(), "    "));
        }
        if (s.accumulation().size() > 1) {
            b.append("  Accumulation point, down the dominator tree:\n")
                    .append(indent(new DominatorList(null, s.accumulation()).toString(), "    "));
        }
        if (!s.largestInstances().isEmpty()) {
            b.append("  Largest instances:\n").append(indent(new DominatorList(null, s.largestInstances()).toString(), "    "));
        }
        if (!s.contents().isEmpty()) {
            TextTable t = new TextTable("instances", "retained bytes", "%", "class").alignRight(0, 1, 2);
            for (LeakSuspect.ClassShare c : s.contents()) {
                t.row(TextTable.number(c.instances()), TextTable.bytes(c.retainedBytes()),
                        String.format(Locale.ROOT, "%.1f", c.percentOfHeap()), c.className());
            }
            b.append("  Inside it:\n").append(indent(t.toString(), "    "));
        }
        if (s.path() != null) {
            b.append("  Shortest path from a GC root:\n").append(indent(s.path().toString(), "    "));
        } else {
            b.append("  No strong path from a GC root: only weak, soft, phantom or final references reach it.\n");
        }
        return b.toString();
    }

    private static String indent(String text, String prefix) {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) {
                b.append(prefix).append(line).append('\n');
            }
        }
        return b.toString();
    }

    private static String wrap(String text, int width) {
        StringBuilder b = new StringBuilder();
        int col = 0;
        for (String word : text.split(" ")) {
            // never break between a number and its unit
            boolean unit = word.matches("(B|KB|MB|GB|TB)[,.)]*");
            if (col > 0 && col + 1 + word.length() > width && !unit) {
                b.append('\n');
                col = 0;
            } else if (col > 0) {
                b.append(' ');
                col++;
            }
            b.append(word);
            col += word.length();
        }
        return b.append('\n').toString();
    }

    /** The search, its state kept in a few primitive arrays. */
    private static final class Finder {
        private final DominatorTree tree;
        private final ShortestPaths paths;
        private final ObjectGraph graph;
        private final ClassTable classes;
        private final double thresholdPercent;
        private final long reachable;
        private final int n;
        private final int parallelMinObjects;
        private final boolean intMemo;
        private final List<Candidate> found = new ArrayList<>();
        /**
         * The owner memo, per object: 0 not yet known, -1 inside no suspect, k + 1 inside {@code
         * found.get(k)}. A byte per object while the suspects cannot number 127 (as good as always: 20 MB
         * instead of 80 on a dump of 20 million objects, allocated when the heap is at its fullest), an
         * int per object otherwise; exactly one of the two is set.
         */
        private byte[] ownerBytes;
        private int[] ownerInts;

        Finder(DominatorTree tree, ShortestPaths paths, double thresholdPercent, int parallelMinObjects, boolean intMemo) {
            this.parallelMinObjects = parallelMinObjects;
            this.intMemo = intMemo;
            this.tree = tree;
            this.paths = paths;
            this.graph = tree.graph();
            this.classes = graph.classes();
            this.thresholdPercent = thresholdPercent;
            this.reachable = tree.reachableBytes();
            this.n = graph.objectCount();
        }

        /** A suspect in the making. */
        private final class Candidate {
            final LeakSuspect.Kind kind;
            final int object;
            final int classIndex;
            long instances;
            long bytes;
            long overlap;
            final IntArrayList chain = new IntArrayList();
            int[] largest = new int[0];
            /** For a class suspect: its instances that no other instance of the class dominates. */
            IntList topInstances = IntList.of();
            final List<LeakSuspect.ClassShare> contents = new ArrayList<>();

            Candidate(LeakSuspect.Kind kind, int object, int classIndex) {
                this.kind = kind;
                this.object = object;
                this.classIndex = classIndex;
            }
        }

        boolean big(long bytes) {
            return bytes > 0 && bytes * 100.0 > thresholdPercent * reachable;
        }

        double percent(long bytes) {
            return reachable == 0 ? 0 : 100.0 * bytes / reachable;
        }

        LeakSuspects find() {
            long t0 = PhaseTrace.start();
            DominatorEntry largest = tree.reachableCount() == 0 ? null : tree.top(1).get(0);
            PhaseTrace.end("  largest object", t0);
            if (reachable > 0) {
                long t1 = PhaseTrace.start();
                findObjects();
                PhaseTrace.end("  objects", t1);
                long t2 = PhaseTrace.start();
                findClasses();
                PhaseTrace.end("  classes", t2);
            }
            long t3 = PhaseTrace.start();
            found.sort(Comparator.comparingLong((Candidate c) -> c.bytes).reversed());
            List<LeakSuspect> out = new ArrayList<>(found.size());
            for (Candidate c : found) {
                out.add(toSuspect(out.size() + 1, c));
            }
            PhaseTrace.end("  descriptions", t3);
            return new LeakSuspects(out, thresholdPercent, reachable, largest);
        }

        /** Top-level dominators above the threshold; built-in loaders looked through down to their classes. */
        private void findObjects() {
            IntArrayList stack = new IntArrayList();
            pushBig(stack, n);
            while (!stack.isEmpty()) {
                int v = stack.popInt();
                boolean insideLoader = v < 0;
                v = insideLoader ? ~v : v;
                if (isBuiltInLoader(v) || insideLoader && !graph.isClassObject(v)) {
                    // a built-in loader, or its bookkeeping (its list of classes): look below
                    IntList kids = tree.childIndices(v);
                    for (int i = 0; i < kids.size() && big(tree.retainedSize(kids.getInt(i))); i++) {
                        stack.push(~kids.getInt(i));
                    }
                    continue;
                }
                Candidate c = new Candidate(LeakSuspect.Kind.OBJECT, v, graph.classOf(v));
                c.instances = 1;
                c.bytes = tree.retainedSize(v);
                c.chain.addAll(accumulationChain(v));
                found.add(c);
            }
        }

        private void pushBig(IntArrayList stack, int node) {
            IntList kids = tree.childIndices(node);
            for (int i = kids.size() - 1; i >= 0; i--) {
                if (big(tree.retainedSize(kids.getInt(i)))) {
                    stack.push(kids.getInt(i));
                }
            }
        }

        private boolean isBuiltInLoader(int obj) {
            return !graph.isClassObject(obj) && BuiltInLoaders.isBuiltIn(classes.name(graph.classOf(obj)));
        }

        /** Down the dominator tree while one child keeps most of the memory and is of a class not yet seen. */
        private IntList accumulationChain(int from) {
            IntArrayList chain = new IntArrayList();
            chain.add(from);
            IntArrayList seenClasses = new IntArrayList();
            seenClasses.add(classKey(from));
            int v = from;
            while (true) {
                IntList kids = tree.childIndices(v);
                if (kids.isEmpty()) {
                    break;
                }
                int child = kids.getInt(0); // largest retained first
                if (tree.retainedSize(child) < ACCUMULATION_RATIO * tree.retainedSize(v) || seenClasses.contains(classKey(child))) {
                    break;
                }
                chain.add(child);
                seenClasses.add(classKey(child));
                v = child;
            }
            return chain;
        }

        /** The class of an object, class objects told apart by the class they mirror. */
        private int classKey(int obj) {
            return graph.isClassObject(obj) ? -2 - classes.indexOfId(graph.id(obj)) : graph.classOf(obj);
        }

        /**
         * Each class whose instances retain more than the threshold: its memory inside earlier suspects
         * is merged into them; the rest, if still above the threshold, is a suspect of its own.
         */
        private void findClasses() {
            long[] byClass = tree.classRetainedSizes();
            int javaLangClass = classes.javaLangClass();
            int thread = classes.find("java.lang.Thread");
            IntArrayList candidates = new IntArrayList();
            for (int c = 0; c < byClass.length; c++) {
                // threads own their stacks' locals (as in MAT): a big thread is an object suspect on its own,
                // but threads together are how any program runs, not a leak
                boolean isThread = thread >= 0 && classes.isSubclassOf(c, thread);
                if (c != javaLangClass && !isThread && big(byClass[c])) {
                    candidates.add(c);
                }
            }
            if (candidates.isEmpty()) {
                return;
            }
            // containers before their contents: a class retaining more is usually the one holding the other
            candidates.sort((a, b) -> Long.compare(byClass[b], byClass[a]));
            if (!intMemo && found.size() + candidates.size() < Byte.MAX_VALUE) {
                ownerBytes = new byte[n]; // each candidate class adds one suspect at most
            } else {
                ownerInts = new int[n];
            }
            markOwners();
            IntArrayList path = new IntArrayList();
            int[][] members = reachableInstances(candidates);
            // first, which classes are suspects of their own, each seeing the suspects before it; a class
            // that cannot be one (the JDK's, arrays) is scanned only once, below, against the final suspects
            Scan[] scans = new Scan[candidates.size()];
            for (int k = 0; k < candidates.size(); k++) {
                int c = candidates.getInt(k);
                if (!mayBeSuspect(c, thread)) {
                    continue;
                }
                Scan scan = scan(members[k], path);
                scans[k] = scan;
                if (big(scan.outside)) {
                    int[] largest = topOf(scan.outsideTop, LARGEST_INSTANCES); // not empty: outside is above 0
                    Candidate cs = new Candidate(LeakSuspect.Kind.CLASS, largest[0], c);
                    cs.instances = scan.outsideCount;
                    cs.bytes = scan.outside;
                    cs.overlap = scan.merged();
                    cs.largest = largest;
                    cs.topInstances = scan.outsideTop;
                    if (tree.retainedSize(cs.object) >= ACCUMULATION_RATIO * scan.outside) {
                        cs.chain.addAll(accumulationChain(cs.object));
                    }
                    found.add(cs);
                    // its instances now own what they retain: later classes merge into it, and the scans
                    // before it saw fewer suspects than there are now
                    markOwners();
                    Arrays.fill(scans, 0, k + 1, null);
                }
            }
            // then what each suspect holds, against the final set of suspects: the scans left to do are
            // independent, on two threads (the owner memo they share only ever receives final answers)
            finalScans(members, scans);
            for (int k = 0; k < candidates.size(); k++) {
                int c = candidates.getInt(k);
                Scan scan = scans[k];
                for (int o = 0; o < scan.inside.length; o++) {
                    Candidate holder = found.get(o);
                    boolean onlyTheChain = scan.insideCount[o] == 1 && holder.chain.contains(scan.lastInside[o]);
                    boolean itsOwnClass = holder.kind == LeakSuspect.Kind.CLASS && holder.classIndex == c;
                    if (big(scan.inside[o]) && !scan.self[o] && !onlyTheChain && !itsOwnClass) {
                        holder.contents.add(new LeakSuspect.ClassShare(classes.name(c), scan.insideCount[o], scan.inside[o],
                                percent(scan.inside[o])));
                    }
                }
            }
            for (Candidate s : found) {
                s.contents.sort(Comparator.comparingLong(LeakSuspect.ClassShare::retainedBytes).reversed());
            }
        }

        /** Where the instances of one class lie, against the suspects found so far. */
        private static final class Scan {
            final long[] inside;
            final long[] insideCount;
            final int[] lastInside;
            final boolean[] self;
            long outside;
            long outsideCount;
            final IntArrayList outsideTop = new IntArrayList();

            Scan(int suspects) {
                inside = new long[suspects];
                insideCount = new long[suspects];
                lastInside = new int[suspects];
                self = new boolean[suspects];
            }

            long merged() {
                long sum = 0;
                for (long b : inside) {
                    sum += b;
                }
                return sum;
            }
        }

        /**
         * One pass over the instances of one class: for each, the suspect it lies in (if any) and whether
         * it is a top instance (no other instance of its class dominates it, so its retained size counts;
         * the dominator tree marks them with the class retained sizes).
         */
        private Scan scan(int[] instances, IntArrayList path) {
            Scan scan = new Scan(found.size());
            for (int obj : instances) {
                int o = ownerOf(obj, path);
                boolean top = tree.isTopInstance(obj);
                if (o >= 0) {
                    scan.insideCount[o]++;
                    if (top) {
                        scan.inside[o] += tree.retainedSize(obj);
                        scan.lastInside[o] = obj;
                        scan.self[o] |= obj == found.get(o).object;
                    }
                } else {
                    scan.outsideCount++;
                    if (top) {
                        scan.outside += tree.retainedSize(obj);
                        scan.outsideTop.add(obj);
                    }
                }
            }
            return scan;
        }

        /**
         * Fills in the scans still missing, against the final suspects: on two threads, each taking the
         * next class left, when the classes have instances enough to be worth a thread. The owner memo
         * is shared without locks: every entry either thread writes is the final answer for that object
         * (the suspects no longer change), so both write the same value, and a read sees 0 (not yet
         * known, walk on) or that value.
         */
        private void finalScans(int[][] members, Scan[] scans) {
            long instances = 0;
            for (int k = 0; k < scans.length; k++) {
                instances += scans[k] == null ? members[k].length : 0;
            }
            AtomicInteger next = new AtomicInteger();
            Parallel.run("heaplens-suspects", instances < parallelMinObjects ? 1 : 2, part -> {
                IntArrayList path = new IntArrayList();
                for (int k = next.getAndIncrement(); k < scans.length; k = next.getAndIncrement()) {
                    if (scans[k] == null) {
                        scans[k] = scan(members[k], path);
                    }
                }
            });
        }

        /**
         * The reachable instances of each candidate class, in index order, from two passes over the
         * objects (a count, then the fill of arrays of exactly that size: lists grown as they filled
         * allocated twice what they held, 29 MB on a dump of 2.9 million objects): each class is scanned
         * once or twice, and a pass over millions of objects per scan was a fifth of a large dump's
         * suspect search. Both passes run on two threads, each over half the objects; the lower half's
         * instances come first in each array.
         */
        private int[][] reachableInstances(IntArrayList candidates) {
            int[] slot = new int[classes.size()];
            Arrays.fill(slot, -1);
            for (int k = 0; k < candidates.size(); k++) {
                slot[candidates.getInt(k)] = k;
            }
            int parts = n < parallelMinObjects ? 1 : 2;
            int[] bounds = {0, parts == 1 ? n : n / 2, n};
            int[][] counts = new int[parts][candidates.size()];
            Parallel.run("heaplens-suspects", parts, part -> {
                int[] mine = counts[part];
                for (int obj = bounds[part], end = bounds[part + 1]; obj < end; obj++) {
                    int k = candidateSlot(obj, slot);
                    if (k >= 0) {
                        mine[k]++;
                    }
                }
            });
            int[][] members = new int[candidates.size()][];
            for (int k = 0; k < members.length; k++) {
                int lower = counts[0][k];
                members[k] = new int[lower + (parts == 1 ? 0 : counts[1][k])];
                counts[0][k] = 0;
                if (parts > 1) {
                    counts[1][k] = lower; // the upper half fills after the lower half's instances
                }
            }
            Parallel.run("heaplens-suspects", parts, part -> {
                int[] cursor = counts[part];
                for (int obj = bounds[part], end = bounds[part + 1]; obj < end; obj++) {
                    int k = candidateSlot(obj, slot);
                    if (k >= 0) {
                        members[k][cursor[k]++] = obj;
                    }
                }
            });
            return members;
        }

        /** The candidate {@code obj} is a reachable instance of, as its index in {@code slot}; -1 if none. */
        private int candidateSlot(int obj, int[] slot) {
            int c = graph.classOf(obj);
            int k = c < 0 ? -1 : slot[c];
            return k >= 0 && !graph.isClassObject(obj) && tree.isReachable(obj) ? k : -1;
        }

        /** Application classes (not the JDK's, not arrays) and threads; see the class comment. */
        private boolean mayBeSuspect(int c, int thread) {
            if (classes.kind(c) != ClassKind.INSTANCE) {
                return false;
            }
            if (thread >= 0 && classes.isSubclassOf(c, thread)) {
                return true;
            }
            String loader = loaderName(c);
            return !loader.equals("the bootstrap class loader") && !loader.equals("the platform class loader");
        }

        /** Resets the owner memo to the suspects found so far: each object suspect, each top instance of a class suspect. */
        private void markOwners() {
            if (ownerBytes != null) {
                Arrays.fill(ownerBytes, (byte) 0);
            } else {
                Arrays.fill(ownerInts, 0);
            }
            for (int k = 0; k < found.size(); k++) {
                Candidate s = found.get(k);
                if (s.kind == LeakSuspect.Kind.OBJECT) {
                    setOwner(s.object, k + 1);
                } else {
                    IntList tops = s.topInstances;
                    for (int i = 0; i < tops.size(); i++) {
                        setOwner(tops.getInt(i), k + 1);
                    }
                }
            }
        }

        private int owner(int obj) {
            return ownerBytes != null ? ownerBytes[obj] : ownerInts[obj];
        }

        private void setOwner(int obj, int code) {
            if (ownerBytes != null) {
                ownerBytes[obj] = (byte) code;
            } else {
                ownerInts[obj] = code;
            }
        }

        /** The suspect whose retained set holds {@code obj} (ancestors-or-self), or -1; memoised along the walk. */
        private int ownerOf(int obj, IntArrayList path) {
            path.clear();
            int u = obj;
            while (u >= 0 && owner(u) == 0) {
                path.add(u);
                u = tree.immediateDominator(u);
            }
            int code = u < 0 ? -1 : owner(u);
            for (int i = 0; i < path.size(); i++) {
                setOwner(path.getInt(i), code);
            }
            return code < 0 ? -1 : code - 1;
        }

        /**
         * The {@code k} objects of {@code objs} that retain the most, largest first, ties in list order:
         * one pass keeping the best {@code k} in order (a class suspect may have hundreds of thousands of
         * instances; sorting them all, boxed, took 20 ms of a 2.9-million-object dump's search).
         */
        private int[] topOf(IntList objs, int k) {
            int[] best = new int[Math.min(k, objs.size())];
            int held = 0;
            for (int i = 0; i < objs.size(); i++) {
                int obj = objs.getInt(i);
                long size = tree.retainedSize(obj);
                if (held == best.length && size <= tree.retainedSize(best[held - 1])) {
                    continue; // no larger than the smallest kept, and later in the list
                }
                int at = held == best.length ? held - 1 : held++;
                while (at > 0 && tree.retainedSize(best[at - 1]) < size) {
                    best[at] = best[at - 1];
                    at--;
                }
                best[at] = obj;
            }
            return best;
        }

        private LeakSuspect toSuspect(int rank, Candidate c) {
            List<DominatorEntry> chain = tree.entries(c.chain);
            List<DominatorEntry> largest = tree.entries(IntArrayList.wrap(c.largest));
            int target = c.chain.isEmpty() ? c.object : c.chain.getInt(c.chain.size() - 1);
            GcRootPath path = paths.pathTo(target, tree).orElse(null);
            DominatorEntry object = tree.entry(c.object);
            int described = c.kind == LeakSuspect.Kind.OBJECT && graph.isClassObject(c.object)
                    ? classes.indexOfId(graph.id(c.object)) : c.classIndex;
            String loader = loaderName(described);
            String className = c.kind == LeakSuspect.Kind.CLASS ? classes.name(c.classIndex) : object.className();
            IntArrayList held = c.kind == LeakSuspect.Kind.OBJECT ? heldChildren(c) : new IntArrayList();
            List<LeakSuspect.Shared> shared = List.of();
            if (c.kind == LeakSuspect.Kind.OBJECT && coveredBy(held) < ACCUMULATION_RATIO * c.bytes) {
                IntArrayList direct = directChildren(c.object);
                List<DominatorEntry> heads = tree.entries(direct);
                shared = SharedHoldings.of(tree, c.object, heads, (long) (MIN_HOLDING_PERCENT / 100 * reachable));
                // the references that share memory are named too, however little they retain alone
                for (LeakSuspect.Shared group : shared) {
                    for (int i = 0; i < heads.size(); i++) {
                        if (group.via().contains(heads.get(i).heldBy()) && !held.contains(direct.getInt(i))) {
                            held.add(direct.getInt(i));
                        }
                    }
                }
            }
            List<LeakSuspect.Holding> holdings = holdings(held);
            LeakSuspect draft = new LeakSuspect(rank, c.kind, className, loader, c.instances, c.bytes, percent(c.bytes), object,
                    chain, largest, c.contents, c.overlap, holdings, shared, path, "");
            return new LeakSuspect(rank, c.kind, className, loader, c.instances, c.bytes, percent(c.bytes), object,
                    chain, largest, c.contents, c.overlap, holdings, shared, path, describe(draft, c));
        }

        /**
         * The suspect's largest children in the dominator tree, until they cover most of it
         * ({@value #ACCUMULATION_RATIO}), at most {@value #MAX_HOLDINGS}, none under
         * {@value #MIN_HOLDING_PERCENT}% of the heap.
         */
        private IntArrayList heldChildren(Candidate c) {
            IntList kids = tree.childIndices(c.object); // largest retained first
            IntArrayList chosen = new IntArrayList();
            long covered = 0;
            for (int i = 0; i < kids.size() && chosen.size() < MAX_HOLDINGS && covered < ACCUMULATION_RATIO * c.bytes; i++) {
                int kid = kids.getInt(i);
                if (tree.retainedSize(kid) * 100.0 < MIN_HOLDING_PERCENT * reachable) {
                    break;
                }
                chosen.add(kid);
                covered += tree.retainedSize(kid);
            }
            return chosen;
        }

        private long coveredBy(IntList objects) {
            long sum = 0;
            for (int i = 0; i < objects.size(); i++) {
                sum += tree.retainedSize(objects.getInt(i));
            }
            return sum;
        }

        /** The objects {@code holder} references itself and dominates, largest retained first, at most {@link SharedHoldings#MAX_REFERENCES}. */
        private IntArrayList directChildren(int holder) {
            IntArrayList out = new IntArrayList();
            References.forEachReference(graph, holder, (via, target) -> {
                if (tree.immediateDominator(target) == holder && !out.contains(target)) {
                    out.add(target);
                }
            });
            out.sort((a, b) -> Long.compare(tree.retainedSize(b), tree.retainedSize(a)));
            return out.size() > SharedHoldings.MAX_REFERENCES ? new IntArrayList(out.subList(0, SharedHoldings.MAX_REFERENCES)) : out;
        }

        /** Each object with the reference that holds it, the first collection on its way down, and its accumulation chain. */
        private List<LeakSuspect.Holding> holdings(IntList objects) {
            List<DominatorEntry> entries = tree.entries(objects);
            List<LeakSuspect.Holding> out = new ArrayList<>(entries.size());
            for (int i = 0; i < objects.size(); i++) {
                IntList chain = accumulationChain(objects.getInt(i));
                CollectionSize size = null;
                for (int k = 0; k < chain.size() && size == null; k++) {
                    size = CollectionSize.of(graph, chain.getInt(k));
                }
                List<DominatorEntry> accumulation = new ArrayList<>(tree.entries(chain));
                accumulation.set(0, entries.get(i));
                out.add(new LeakSuspect.Holding(entries.get(i), size, accumulation));
            }
            return out;
        }

        /** "the app class loader", "the bootstrap class loader", or the loader object. */
        private String loaderName(int classIndex) {
            if (classIndex < 0) {
                return "an unknown class loader";
            }
            long id = classes.loaderId(classIndex);
            if (id == 0) {
                return "the bootstrap class loader";
            }
            int obj = graph.indexOf(id);
            if (obj < 0) {
                return "class loader 0x" + Long.toHexString(id);
            }
            String name = classes.name(graph.classOf(obj));
            String words = BuiltInLoaders.words(name);
            return words != null && !words.equals("the boot class loader") ? words : name + "@0x" + Long.toHexString(id);
        }

        private String describe(LeakSuspect s, Candidate c) {
            StringBuilder b = new StringBuilder();
            String size = sized(s.retainedBytes());
            if (s.kind() == LeakSuspect.Kind.OBJECT) {
                String thread = graph.isClassObject(c.object) ? null : threadName(c.object);
                String who = graph.isClassObject(c.object) ? "The " + s.className()
                        : thread != null ? "The thread \"" + thread + "\" (" + s.className() + ")" : "One instance of " + s.className();
                b.append(who).append(", loaded by ").append(s.classLoader()).append(", retains ").append(size).append(" of the heap");
                List<LeakSuspect.Holding> held = s.holdings();
                for (int i = 0; i < held.size(); i++) {
                    b.append(i == 0 ? " through " : i == held.size() - 1 ? " and " : ", ").append(clause(held.get(i)));
                }
                sharedClauses(b, s.shared(), held.size());
                b.append('.');
            } else {
                b.append(TextTable.number(s.instanceCount())).append(s.instanceCount() == 1 ? " instance of " : " instances of ").append(s.className())
                        .append(", loaded by ").append(s.classLoader()).append(", retain ").append(size)
                        .append(" of the heap between them; no single object holds them all.");
                if (s.overlapBytes() > 0) {
                    b.append(" A further ").append(TextTable.humanBytes(s.overlapBytes()))
                            .append(" of their memory lies inside a suspect above and is counted there.");
                }
            }
            DominatorEntry point = s.accumulationPoint().orElse(null);
            if (point != null && s.accumulation().size() > 1) {
                b.append(" The memory is accumulated in one ").append(point.className())
                        .append(" (").append(sizedBare(point.retainedSize())).append(")");
                String via = hops(s.path(), c.object);
                if (via.isEmpty()) {
                    via = chainHops(s.accumulation());
                }
                b.append(via.isEmpty() ? "." : ", " + via + ".");
            } else if (point != null && s.holdings().size() > 1 && s.shared().isEmpty()) {
                List<String> points = new ArrayList<>();
                for (LeakSuspect.Holding h : s.holdings()) {
                    if (h.accumulation().size() > 1) {
                        points.add(shortVia(h.via()) + " in one " + h.accumulationPoint().className() + " ("
                                + sizedBare(h.accumulationPoint().retainedSize()) + ")");
                    }
                }
                if (!points.isEmpty()) {
                    b.append(" Their memory accumulates: ").append(String.join("; ", points)).append('.');
                }
            } else if (point != null && s.holdings().isEmpty()) {
                IntList kids = tree.childIndices(point.object());
                if (!kids.isEmpty()) {
                    DominatorEntry part = tree.entry(kids.getInt(0));
                    b.append(" No single object below it holds most of it: it directly dominates ")
                            .append(TextTable.number(kids.size())).append(kids.size() == 1 ? " object" : " objects")
                            .append(", the largest a ").append(part.className()).append(" retaining ")
                            .append(sized(part.retainedSize())).append('.');
                }
            } else if (!s.largestInstances().isEmpty()) {
                DominatorEntry first = s.largestInstances().get(0);
                b.append(" The largest instance retains ").append(sized(first.retainedSize())).append('.');
            }
            String heldBy = graph.isClassObject(c.object) ? null : staticFieldBefore(s.path(), c.object);
            if (heldBy != null) {
                b.append(" It is reachable from static field ").append(heldBy).append('.');
            }
            if (!s.contents().isEmpty()) {
                b.append(" Inside it: ");
                for (int i = 0; i < Math.min(CONTENTS_IN_DESCRIPTION, s.contents().size()); i++) {
                    LeakSuspect.ClassShare share = s.contents().get(i);
                    b.append(i == 0 ? "" : ", ").append(TextTable.number(share.instances())).append(' ').append(share.className())
                            .append(" (").append(sizedBare(share.retainedBytes())).append(')');
                }
                b.append(s.contents().size() > CONTENTS_IN_DESCRIPTION ? ", …." : ".");
            }
            return b.toString();
        }

        /**
         * {@code , which both hold 20,000 Session (20.4 MB, 79.0%) and 20,000 String (1.1 MB, 4.1%)}: the
         * shared groups by the references that share them, the first three groups at most.
         */
        private void sharedClauses(StringBuilder b, List<LeakSuspect.Shared> shared, int holdings) {
            Map<List<String>, List<LeakSuspect.Shared>> byVia = new LinkedHashMap<>();
            for (LeakSuspect.Shared g : shared.subList(0, Math.min(3, shared.size()))) {
                byVia.computeIfAbsent(g.via(), k -> new ArrayList<>()).add(g);
            }
            boolean first = true;
            for (Map.Entry<List<String>, List<LeakSuspect.Shared>> e : byVia.entrySet()) {
                b.append(first ? ", " : "; ");
                first = false;
                String all = e.getKey().size() == 2 ? "both" : "all";
                if (e.getKey().size() == holdings) {
                    b.append("which ").append(all).append(" hold ");
                } else {
                    b.append(e.getKey().stream().map(Finder::shortVia).collect(Collectors.joining(" and "))).append(' ')
                            .append(all).append(" hold ");
                }
                List<String> items = new ArrayList<>();
                for (LeakSuspect.Shared g : e.getValue()) {
                    items.add(TextTable.number(g.instances()) + " " + g.className() + " (" + sizedBare(g.retainedBytes()) + ")");
                }
                b.append(String.join(" and ", items));
            }
        }

        /** {@code static CACHE (java.util.HashMap, 541.8 MB, 500,000 entries)}. */
        private String clause(LeakSuspect.Holding h) {
            DominatorEntry o = h.object();
            return shortVia(h.via()) + " (" + o.className() + ", " + TextTable.humanBytes(o.retainedSize())
                    + (h.size() == null ? "" : ", " + h.size()) + ")";
        }

        /**
         * A holder as a sentence about its suspect names it: {@code static CACHE} for {@code static
         * LeakApp.CACHE}, {@code field cache} for {@code Service.cache}, {@code element [3]} for
         * {@code Object[][3]}; others as they are.
         */
        private static String shortVia(String via) {
            if (via == null) {
                return "a reference";
            }
            if (via.startsWith("static ")) {
                return "static " + via.substring(via.lastIndexOf('.') + 1);
            }
            if (via.startsWith("GC root") || via.contains(" in thread ")) {
                return via;
            }
            if (via.endsWith("]") && via.lastIndexOf('[') > 0) {
                return "element " + via.substring(via.lastIndexOf('['));
            }
            int dot = via.lastIndexOf('.');
            return dot > 0 ? "field " + via.substring(dot + 1) : via;
        }

        /** The name of a thread object, or {@code null} for any other object. */
        private String threadName(int obj) {
            int thread = classes.find("java.lang.Thread");
            return thread >= 0 && classes.isSubclassOf(graph.classOf(obj), thread) ? ShortestPaths.threadName(graph, obj) : null;
        }

        /**
         * The accumulation chain's holders after the suspect, when the shortest path does not pass
         * through it (a thread's local variable is a root of its own): {@code held through local variable
         * in thread "main" → LeakWorkload$Service.cache → HashMap.table}.
         */
        private static String chainHops(List<DominatorEntry> chain) {
            List<String> labels = new ArrayList<>();
            for (int i = 1; i < chain.size(); i++) {
                if (chain.get(i).heldBy() == null) {
                    return "";
                }
                labels.add(chain.get(i).heldBy());
            }
            return labels.isEmpty() ? "" : "held through " + String.join(" → ", labels);
        }

        /** {@code 41.2 MB (62.3%)}. */
        private String sized(long bytes) {
            return String.format(Locale.ROOT, "%s (%.1f%%)", TextTable.humanBytes(bytes), percent(bytes));
        }

        /** {@code 41.2 MB, 62.3%}, to go inside parentheses. */
        private String sizedBare(long bytes) {
            return String.format(Locale.ROOT, "%s, %.1f%%", TextTable.humanBytes(bytes), percent(bytes));
        }

        /**
         * The hops of {@code path} after {@code from}: {@code referenced from static field
         * Registry.SESSIONS, via .table}; empty if the path does not pass through it.
         */
        private String hops(GcRootPath path, int from) {
            if (path == null) {
                return "";
            }
            List<PathStep> steps = path.steps();
            int start = -1;
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).target().index() == from) {
                    start = i;
                }
            }
            if (start < 0 || start == steps.size() - 1) {
                return "";
            }
            StringBuilder b = new StringBuilder();
            int i = start + 1;
            if (steps.get(i) instanceof StaticStep st) {
                b.append("referenced from static field ").append(GcRootPath.simpleName(st.className())).append('.').append(st.field());
                i++;
                if (i < steps.size()) {
                    b.append(", via ");
                }
            } else {
                b.append("reached through ");
            }
            for (int first = i; i < steps.size(); i++) {
                b.append(i == first ? "" : " → ").append(GcRootPath.hopLabel(steps.get(i)));
            }
            return b.toString();
        }

        /** The last static field on the path up to {@code obj}, as {@code Registry.SESSIONS}, or null. */
        private static String staticFieldBefore(GcRootPath path, int obj) {
            if (path == null) {
                return null;
            }
            String last = null;
            for (PathStep step : path.steps()) {
                if (step instanceof StaticStep st) {
                    last = GcRootPath.simpleName(st.className()) + "." + st.field();
                }
                if (step.target().index() == obj) {
                    return last;
                }
            }
            return null;
        }
    }
}

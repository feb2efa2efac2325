package dev.heaplens.graph;

import dev.heaplens.hprof.BasicType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Computes the shallow size HotSpot gives each object, from what an HPROF dump knows about its class:
 * the types of its declared instance fields and of its static fields.
 *
 * <p>The dump does not record the VM's layout, so this class replays HotSpot's own field layout
 * algorithm ({@code FieldLayoutBuilder}, JDK 15 and later) for the flags in a {@link VmLayout}:
 * <ol>
 *   <li>A class's layout starts from its superclass's: the header, the inherited fields where the
 *       superclass put them, and the gaps between them, which the subclass's fields may fill.</li>
 *   <li>The class's own fields, plus the fields the VM injects into a few JDK classes, are split
 *       into the ordinary group and the {@code @Contended} groups. Within a group, primitives go first,
 *       largest first, then references; each field goes into the smallest gap that holds it with its
 *       natural alignment (on a tie, the gap nearest the end), or else at the end of the layout.</li>
 *   <li>{@code @Contended} classes and field groups are fenced by 128 bytes of padding and are placed
 *       at the end, never in gaps; once a class has contended annotations, none of its subclasses
 *       fill its gaps either, and each starts 128 bytes after its superclass's last field.</li>
 *   <li>The instance size is the end of the layout rounded up to 8, then to the object alignment.</li>
 * </ol>
 * Only the multiset of types matters to the size, never the order of the fields, so the dump's
 * field order (which differs between JDK releases) does not matter either.
 *
 * <p>A {@code java.lang.Class} object (a mirror) is a {@code java.lang.Class} instance followed by the
 * class's static fields: references first, contiguously, then primitives largest first, each
 * aligned to its size, never filling gaps; see {@link #mirrorSize}.
 *
 * <p>What the model cannot know, and assumes: {@code -XX:+RestrictContended} (the default; user classes'
 * {@code @Contended} is ignored), {@code -XX:ContendedPaddingWidth=128}, {@code -XX:+UseEmptySlotsInSupers}
 * (the default), and the JDK release's injected fields and contended annotations as tabulated for
 * JDK 17 and 25 (nearest release otherwise). Instances of {@code jdk.internal.vm.StackChunk} carry a
 * copy of a stack and have no size fixed by their class ({@link ClassLayout#isSizeFixed()}); their
 * size follows from their {@code size} field, see {@link #stackChunkSize}.
 *
 * <p>Meant to be called once per class, superclasses first; thread-safe (it holds no mutable state).
 */
public final class FieldLayoutModel {
    private final VmLayout vm;

    /** A model for the given VM flags and JDK release. */
    public FieldLayoutModel(VmLayout layout) {
        this.vm = Objects.requireNonNull(layout, "layout");
    }

    /** The flags this model lays classes out for. */
    public VmLayout vmLayout() {
        return vm;
    }

    /**
     * Lays out one class's instances.
     *
     * @param className          binary name with dots and {@code $} ({@code java.util.concurrent.atomic.Striped64$Cell}),
     *                           used to find the VM's injected fields and {@code @Contended} annotations
     * @param superLayoutOrNull  the superclass's layout; {@code null} for {@code java.lang.Object} (a class
     *                           whose superclass is {@code Object} may pass either, the result is the same)
     * @param declaredFieldTypes the types of the class's own non-static fields, as its CLASS DUMP lists
     *                           them (in any order)
     * @return the layout, whose {@link ClassLayout#instanceSize()} is the shallow size of every instance
     */
    public ClassLayout instanceLayout(String className, ClassLayout superLayoutOrNull, BasicType[] declaredFieldTypes) {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(declaredFieldTypes, "declaredFieldTypes");
        int feature = vm.javaFeature();

        List<BasicType> ordinary = new ArrayList<>(declaredFieldTypes.length + 8);
        for (BasicType t : declaredFieldTypes) {
            ordinary.add(Objects.requireNonNull(t, "field type"));
        }
        ordinary.addAll(Arrays.asList(JdkLayoutQuirks.injectedFields(className, feature)));

        // Split off the contended groups. A group whose types the class does not have is a table
        // mismatch (a JDK build we do not know); ignoring the annotation then is the best guess.
        JdkLayoutQuirks.Contended annotations = JdkLayoutQuirks.contended(className, feature);
        boolean classContended = annotations != null && annotations.wholeClass();
        List<List<BasicType>> groups = new ArrayList<>();
        if (annotations != null) {
            for (List<BasicType> group : annotations.groups()) {
                List<BasicType> remaining = new ArrayList<>(ordinary);
                boolean present = true;
                for (BasicType t : group) {
                    present &= remaining.remove(t);
                }
                if (present) {
                    ordinary = remaining;
                    groups.add(group);
                }
            }
        }

        Blocks layout = superLayoutOrNull == null ? Blocks.forRoot(vm.instanceHeaderBytes())
                : Blocks.forSubclass(vm.instanceHeaderBytes(), superLayoutOrNull);

        boolean tailPadding = false;
        if (classContended) {
            // The whole class is fenced off: no gap filling, padding before and after its fields.
            layout.start = layout.last;
            layout.insert(layout.last, Block.padding());
            tailPadding = true;
        }
        layout.add(primitiveSizes(ordinary), null);
        layout.add(referenceSizes(ordinary), null);
        for (List<BasicType> group : groups) {
            Block groupStart = layout.last;
            layout.insert(groupStart, Block.padding());
            layout.add(primitiveSizes(group), groupStart);
            layout.add(referenceSizes(group), groupStart);
            tailPadding = true;
        }
        if (tailPadding) {
            layout.insert(layout.last, Block.padding());
        }

        int end = layout.last.offset;
        int size = (int) vm.align(VmLayout.alignUp(end, 8));
        boolean contended = classContended || !groups.isEmpty()
                || (superLayoutOrNull != null && superLayoutOrNull.hasContendedAnnotations());
        return new ClassLayout(className, size, end, layout.fieldRuns(), contended,
                !JdkLayoutQuirks.variableSize(className));
    }

    /**
     * The size of a class's {@code java.lang.Class} object: a {@code java.lang.Class} instance with the
     * class's static fields appended. HotSpot appends the static references contiguously, then the
     * static primitives largest first, each aligned to its own size; unlike instance fields, statics
     * never fill gaps (the static layout's insertion point is always its end).
     *
     * <p>Array classes, primitive types ({@code int.class}, ..., {@code void.class}) and classes without
     * statics have mirrors of exactly {@code javaLangClassLayout.instanceSize()} bytes: pass no types.
     *
     * @param javaLangClassLayout the layout of {@code java.lang.Class} itself, from {@link #instanceLayout}
     * @param className           the class whose mirror this is (for error messages)
     * @param staticFieldTypes    the types of the class's static fields as declared in the class file;
     *                            not the pseudo-fields the heap dumper adds, whose names start with
     *                            {@code <} ({@code <resolved_references>})
     */
    public long mirrorSize(ClassLayout javaLangClassLayout, String className, BasicType[] staticFieldTypes) {
        Objects.requireNonNull(javaLangClassLayout, "javaLangClassLayout");
        Objects.requireNonNull(staticFieldTypes, "staticFieldTypes");
        if (!javaLangClassLayout.className().equals("java.lang.Class")) {
            throw new IllegalArgumentException("mirror of " + className + " needs the layout of java.lang.Class, not of "
                    + javaLangClassLayout.className());
        }
        // The statics start right after the Class instance, whose size is object-aligned.
        long offset = javaLangClassLayout.instanceSize();
        List<BasicType> statics = new ArrayList<>(staticFieldTypes.length);
        for (BasicType t : staticFieldTypes) {
            statics.add(Objects.requireNonNull(t, () -> "static field type of " + className));
        }
        offset += (long) referenceSizes(statics).length * vm.referenceBytes();
        for (int size : primitiveSizes(statics)) {
            offset = VmLayout.alignUp(offset, size) + size;
        }
        return vm.align(VmLayout.alignUp(offset, 8));
    }

    /**
     * The size of one {@code jdk.internal.vm.StackChunk} (JDK 19+), the heap copy of a virtual thread's
     * frozen frames: its fields, then its {@code size} words of stack, then a bitmap with one bit per
     * possible reference slot in that stack (two per word with compressed oops), in whole words.
     *
     * @param stackChunkLayout the layout of {@code jdk.internal.vm.StackChunk}
     * @param stackWords       the chunk's {@code int size} field
     */
    public long stackChunkSize(ClassLayout stackChunkLayout, long stackWords) {
        Objects.requireNonNull(stackChunkLayout, "stackChunkLayout");
        if (stackWords < 0) {
            throw new IllegalArgumentException("negative stack chunk size: " + stackWords);
        }
        long bitmapBits = stackWords * (8 / vm.referenceBytes());
        long bitmapWords = VmLayout.alignUp(bitmapBits, 64) / 64;
        return vm.align(stackChunkLayout.instanceSize() + 8 * (stackWords + bitmapWords));
    }

    /** The primitive fields' sizes, largest first, as HotSpot sorts each group before placing it. */
    private static int[] primitiveSizes(List<BasicType> types) {
        return types.stream().filter(t -> !t.isObject()).mapToInt(BasicType::primitiveSize)
                .boxed().sorted((a, b) -> b - a).mapToInt(Integer::intValue).toArray();
    }

    private int[] referenceSizes(List<BasicType> types) {
        int n = (int) types.stream().filter(BasicType::isObject).count();
        int[] sizes = new int[n];
        Arrays.fill(sizes, vm.referenceBytes());
        return sizes;
    }

    /** A piece of the layout being built: a field, reserved header, padding, or empty space. */
    private static final class Block {
        static final int EMPTY = 0;
        static final int RESERVED = 1;
        static final int PADDING = 2;
        static final int FIELD = 3;

        final int kind;
        int offset;
        int size;
        Block prev;
        Block next;

        Block(int kind, int offset, int size) {
            this.kind = kind;
            this.offset = offset;
            this.size = size;
        }

        static Block padding() {
            return new Block(PADDING, 0, JdkLayoutQuirks.CONTENDED_PADDING_WIDTH);
        }

        /** Whether this empty block holds {@code size} bytes at an offset aligned to {@code alignment}. */
        boolean fits(int size, int alignment) {
            int adjustment = offset % alignment == 0 ? 0 : alignment - offset % alignment;
            return this.size >= (long) size + adjustment;
        }
    }

    /**
     * The layout as a doubly-linked list of blocks ordered by offset, ending with an unbounded empty
     * block. {@code start} bounds the search for gaps: fields are never placed in or before it.
     */
    private static final class Blocks {
        Block head;
        Block last;
        Block start;

        /** {@code java.lang.Object}: the header, then nothing; fields can only be appended. */
        static Blocks forRoot(int header) {
            Blocks b = new Blocks();
            b.head = new Block(Block.RESERVED, 0, header);
            b.last = new Block(Block.EMPTY, header, Integer.MAX_VALUE);
            link(b.head, b.last);
            b.start = b.last;
            return b;
        }

        /**
         * Rebuilds the superclass's layout from where its fields are. Gaps between them are free for
         * this class's fields, unless the superclass has contended annotations: then they and 128
         * bytes after the last field are padding, and new fields only go at the end.
         */
        static Blocks forSubclass(int header, ClassLayout sup) {
            Blocks b = new Blocks();
            b.head = new Block(Block.RESERVED, 0, header);
            Block tail = b.head;
            int gapKind = sup.hasContendedAnnotations() ? Block.PADDING : Block.EMPTY;
            for (int i = 0; i < sup.runCount(); i++) {
                int start = sup.runStart(i);
                int end = tail.offset + tail.size;
                if (start > end) {
                    tail = append(tail, new Block(gapKind, end, start - end));
                }
                tail = append(tail, new Block(Block.FIELD, start, sup.runEnd(i) - start));
            }
            if (sup.hasContendedAnnotations()) {
                tail = append(tail, new Block(Block.PADDING, tail.offset + tail.size, JdkLayoutQuirks.CONTENDED_PADDING_WIDTH));
            }
            b.last = append(tail, new Block(Block.EMPTY, tail.offset + tail.size, Integer.MAX_VALUE));
            b.start = sup.hasContendedAnnotations() && sup.hasInstanceFields() ? b.last : b.head;
            return b;
        }

        private static Block append(Block tail, Block b) {
            link(tail, b);
            return b;
        }

        private static void link(Block a, Block b) {
            a.next = b;
            b.prev = a;
        }

        /**
         * Places fields (each aligned to its size) best-fit: into the smallest empty block after
         * {@code from} that holds it, preferring the later of equal ones, else at the end.
         */
        void add(int[] sizes, Block from) {
            Block bound = from == null ? start : from;
            boolean lastFound = false;
            int lastSize = 0;
            for (int size : sizes) {
                Block candidate = null;
                if (bound == last) {
                    candidate = last;
                } else if (size == lastSize && !lastFound) {
                    candidate = last; // the same search failed for the previous field of this size
                } else {
                    lastSize = size;
                    for (Block b = last.prev; b != null && b != bound; b = b.prev) {
                        if (b.kind == Block.EMPTY && b.fits(size, size) && (candidate == null || b.size < candidate.size)) {
                            candidate = b;
                        }
                    }
                    lastFound = candidate != null;
                    if (candidate == null) {
                        candidate = last;
                    }
                }
                insertField(candidate, size);
            }
        }

        private void insertField(Block slot, int size) {
            int misalignment = slot.offset % size;
            if (misalignment != 0) {
                insert(slot, new Block(Block.EMPTY, 0, size - misalignment));
            }
            insert(slot, new Block(Block.FIELD, 0, size));
            if (slot.size == 0) {
                remove(slot);
            }
        }

        /** Puts {@code block} at the beginning of the empty block {@code slot}, which shrinks. */
        void insert(Block slot, Block block) {
            block.offset = slot.offset;
            slot.offset += block.size;
            slot.size -= block.size;
            block.prev = slot.prev;
            block.next = slot;
            slot.prev = block;
            if (block.prev != null) {
                block.prev.next = block;
            }
            if (head == slot) {
                head = block;
            }
        }

        private void remove(Block block) {
            if (head == block) {
                head = block.next;
                head.prev = null;
            } else {
                block.prev.next = block.next;
                block.next.prev = block.prev;
            }
            if (block == start) {
                start = block.prev;
            }
        }

        /** The byte ranges fields occupy, adjacent ones merged: all a subclass needs of this layout. */
        int[] fieldRuns() {
            int[] runs = new int[16];
            int n = 0;
            for (Block b = head; b != null; b = b.next) {
                if (b.kind != Block.FIELD) {
                    continue;
                }
                if (n > 0 && runs[n - 1] == b.offset) {
                    runs[n - 1] = b.offset + b.size;
                } else {
                    if (n + 2 > runs.length) {
                        runs = Arrays.copyOf(runs, runs.length * 2);
                    }
                    runs[n++] = b.offset;
                    runs[n++] = b.offset + b.size;
                }
            }
            return Arrays.copyOf(runs, n);
        }
    }
}

package dev.heaplens.analysis;

/**
 * What the {@code referent} of a {@code java.lang.ref.Reference} (weak, soft, phantom, final) counts
 * for in the dominator tree and retained sizes.
 */
public enum ReferencePolicy {
    /**
     * Referents are ordinary references, as in Eclipse MAT's dominator tree: an object held only by
     * a weak reference is retained by it. Sizes then agree with MAT's.
     */
    FOLLOW_REFERENTS,
    /**
     * Referents are ignored: only strong references retain. Objects reachable only through
     * referents become unreachable and are reported apart, as garbage the next GC may reclaim.
     */
    EXCLUDE_REFERENTS
}

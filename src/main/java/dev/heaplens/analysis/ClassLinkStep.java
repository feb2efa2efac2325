package dev.heaplens.analysis;

/**
 * A hop that is not a field of the program: from an object to its class (an instance keeps its
 * class alive), or from a class object to its superclass, class loader, signers or protection
 * domain, as the dump records them.
 *
 * <pre>{@code
 * if (step instanceof ClassLinkStep c && c.link() == ClassLinkStep.Link.CLASS) ... // Foo@0x… → class Foo
 * }</pre>
 *
 * @param link   which link
 * @param target the object it leads to
 */
public record ClassLinkStep(Link link, PathNode target) implements PathStep {

    /** The links of objects and class objects beside their fields. */
    public enum Link {
        /** From any object to its class object. */
        CLASS("<class>"),
        /** From a class object to its superclass's. */
        SUPERCLASS("<superclass>"),
        /** From a class object to its defining class loader. */
        CLASS_LOADER("<classloader>"),
        /** From a class object to its signers. */
        SIGNERS("<signers>"),
        /** From a class object to its protection domain. */
        PROTECTION_DOMAIN("<protection domain>");

        private final String label;

        Link(String label) {
            this.label = label;
        }

        /** How a path prints it, e.g. {@code <classloader>}. */
        public String label() {
            return label;
        }
    }
}

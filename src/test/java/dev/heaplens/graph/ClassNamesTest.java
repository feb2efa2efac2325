package dev.heaplens.graph;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClassNamesTest {
    @Test
    void internalNamesBecomeJavaNames() {
        assertEquals("java.util.HashMap$Node", ClassNames.toJava("java/util/HashMap$Node"));
        assertEquals("java.lang.String[][]", ClassNames.toJava("[[Ljava/lang/String;"));
        assertEquals("long[]", ClassNames.toJava("[J"));
        assertEquals("Foo$$Lambda/0x0000000800c4a000", ClassNames.toJava("Foo$$Lambda+0x0000000800c4a000"));
        assertEquals("a.Plus+Name", ClassNames.toJava("a/Plus+Name"), "a '+' that is not a hidden-class suffix stays");
    }

    @Test
    void javaNamesBecomeTheNamesJcmdPrints() {
        assertEquals("[I", ClassNames.toJvmHistogramName("int[]"));
        assertEquals("[[Ljava.lang.String;", ClassNames.toJvmHistogramName("java.lang.String[][]"));
        assertEquals("[[Z", ClassNames.toJvmHistogramName("boolean[][]"));
        assertEquals("java.lang.Object", ClassNames.toJvmHistogramName("java.lang.Object"));
    }
}

package dev.heaplens.report;

import dev.heaplens.capture.JvmInfo;

/**
 * {@link JvmInfo} as JSON, and back:
 *
 * <pre>{@code
 * {"pid": 4242, "vmName": "OpenJDK 64-Bit Server VM", "vmVendor": "Eclipse Adoptium",
 *  "vmVersion": "25+36-LTS", "javaVersion": "25", "compressedOops": true,
 *  "compressedClassPointers": true, "objectAlignmentInBytes": 8,
 *  "compactObjectHeaders": false, "nativeMemoryTracking": "off"}
 * }</pre>
 *
 * {@code compactObjectHeaders} is {@code null} for a JVM without that flag (before JDK 24).
 */
public final class JvmInfoJson {
    private JvmInfoJson() {
    }

    /** Writes {@code jvm} as one JSON object value into {@code w}. */
    public static JsonWriter write(JsonWriter w, JvmInfo jvm) {
        w.beginObject()
                .name("pid").value(jvm.pid())
                .name("vmName").value(jvm.vmName())
                .name("vmVendor").value(jvm.vmVendor())
                .name("vmVersion").value(jvm.vmVersion())
                .name("javaVersion").value(jvm.javaVersion())
                .name("compressedOops").value(jvm.compressedOops())
                .name("compressedClassPointers").value(jvm.compressedClassPointers())
                .name("objectAlignmentInBytes").value(jvm.objectAlignmentInBytes())
                .name("compactObjectHeaders");
        if (jvm.compactObjectHeaders() == null) {
            w.value((String) null);
        } else {
            w.value(jvm.compactObjectHeaders().booleanValue());
        }
        return w.name("nativeMemoryTracking").value(jvm.nativeMemoryTracking()).endObject();
    }

    /** Reads back what {@link #write} wrote. */
    public static JvmInfo read(JsonReader.Obj o) {
        return new JvmInfo(o.longValue("pid"), o.string("vmName"), o.string("vmVendor"), o.string("vmVersion"),
                o.string("javaVersion"), o.bool("compressedOops"), o.bool("compressedClassPointers"),
                Math.toIntExact(o.longValue("objectAlignmentInBytes")), o.nullableBool("compactObjectHeaders"),
                o.string("nativeMemoryTracking"));
    }
}

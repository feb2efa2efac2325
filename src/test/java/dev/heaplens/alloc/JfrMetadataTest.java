package dev.heaplens.alloc;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Metadata events built by hand, uncompressed: what a damaged recording's metadata may lack. */
class JfrMetadataTest {

    /** A metadata event: root → metadata → one class element with the given attributes (name/value string indices). */
    private static JfrInput metadataWithClass(String... attributes) throws IOException {
        String[] strings = new String[3 + attributes.length];
        strings[0] = "root";
        strings[1] = "metadata";
        strings[2] = "class";
        System.arraycopy(attributes, 0, strings, 3, attributes.length);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0); // size, not checked here
        out.writeLong(0); // type 0: metadata
        out.writeLong(0);
        out.writeLong(0);
        out.writeLong(1);
        out.writeInt(strings.length);
        for (String s : strings) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.writeByte(JfrInput.STRING_UTF8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }
        out.writeInt(0); // root
        out.writeInt(0);
        out.writeInt(1);
        out.writeInt(1); // metadata
        out.writeInt(0);
        out.writeInt(1);
        out.writeInt(2); // class
        out.writeInt(attributes.length / 2);
        for (int i = 0; i < attributes.length; i++) {
            out.writeInt(3 + i);
        }
        out.writeInt(0);
        return new JfrInput(bytes.toByteArray(), 0, false);
    }

    @Test
    void aClassWithoutANameIsDamageNotANullPointer() throws IOException {
        // found by JfrChunkReaderTest's damaged copies: a name attribute lost to a flipped string index
        JfrInput.JfrDamage e = assertThrows(JfrInput.JfrDamage.class, () -> JfrMetadata.read(metadataWithClass("id", "7")));
        assertTrue(e.getMessage().contains("metadata element class has no name"), e.getMessage());
    }

    @Test
    void aNamedClassReads() throws IOException {
        JfrMetadata m = JfrMetadata.read(metadataWithClass("id", "7", "name", "com.acme.Thing"));
        assertTrue(m.types().iterator().next().name.equals("com.acme.Thing"));
    }
}

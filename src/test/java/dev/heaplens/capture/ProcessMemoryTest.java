package dev.heaplens.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heaplens.report.JsonReader;
import dev.heaplens.report.ProcessMemoryJson;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ProcessMemory} of this JVM: its pools and buffers, the diff of two readings, JSON and tables. */
class ProcessMemoryTest {

    @Test
    void thisJvmsPoolsBuffersAndResidentSet() {
        ProcessMemory m = ProcessMemory.ofCurrentJvm();
        assertEquals(ProcessHandle.current().pid(), m.pid());
        List<String> expected = ManagementFactory.getMemoryPoolMXBeans().stream().map(MemoryPoolMXBean::getName).sorted().toList();
        assertEquals(expected, m.pools().stream().map(MemoryPool::name).sorted().toList());
        assertTrue(m.pools().stream().anyMatch(MemoryPool::heap) && m.pools().stream().anyMatch(p -> !p.heap()));
        assertTrue(m.bufferPool("direct").isPresent() && m.bufferPool("mapped").isPresent(), m.bufferPools().toString());
        assertEquals(NativeMemory.Tracking.OFF, m.nativeMemory().tracking(), "the test JVM runs without NMT");
        assertTrue(m.resident().available() && m.resident().peakResidentBytes() >= m.resident().residentBytes()
                && m.resident().residentBytes() > m.heapUsed() / 4, m.resident().toString());
        String text = m.toString();
        for (String part : new String[] {"Memory of process " + m.pid(), "resident set: ", "memory pool", "buffer pool",
                "NMT off: start the JVM with -XX:NativeMemoryTracking=summary"}) {
            assertTrue(text.contains(part), part + " in\n" + text);
        }
    }

    @Test
    void aDiffShowsWhatGrew() {
        ProcessMemory before = ProcessMemory.ofCurrentJvm();
        List<ByteBuffer> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(ByteBuffer.allocateDirect(1 << 20));
        }
        ProcessMemory after = ProcessMemory.ofCurrentJvm();
        ProcessMemoryDiff diff = before.diff(after);
        assertEquals(2, diff.change("direct buffers: count").orElseThrow().delta());
        assertEquals(2 << 20, diff.change("direct buffers: used").orElseThrow().delta());
        assertEquals(0, diff.change("mapped buffers: count").orElseThrow().delta());
        assertFalse(diff.change("NMT total: committed").isPresent(), "no NMT rows without NMT");
        assertTrue(diff.changed().stream().anyMatch(c -> c.item().equals("direct buffers: count")));
        String table = diff.toString();
        assertTrue(table.lines().anyMatch(l -> l.startsWith("direct buffers: count") && l.endsWith("+2")), table);
        assertTrue(table.contains("process " + after.pid() + " from "), table);
        assertEquals(2, held.size());
    }

    @Test
    void jsonParsesAndReadsBack() throws Exception {
        ProcessMemory m = ProcessMemory.ofCurrentJvm();
        String json = ProcessMemoryJson.render(m);
        JsonNode node = new ObjectMapper().readTree(json);
        assertEquals(m.pid(), node.get("pid").asLong());
        assertEquals(m.pools().size(), node.get("pools").size());
        JsonNode first = node.get("pools").get(0);
        assertEquals(m.pools().get(0).used(), first.get("used").asLong());
        assertEquals(m.pools().get(0).heap() ? "heap" : "non-heap", first.get("kind").asText());
        assertEquals(m.resident().residentBytes(), node.get("resident").get("bytes").asLong());
        assertEquals("OFF", node.get("nativeMemory").get("tracking").asText());
        assertTrue(node.get("nativeMemory").get("totalCommitted").isNull());
        assertEquals(NativeMemory.OFF_HINT, node.get("nativeMemory").get("hint").asText());
        assertEquals(m, ProcessMemoryJson.read(JsonReader.parseObject(json)));
    }

    @Test
    void residentSetFromProcStatus() {
        ResidentMemory r = ResidentMemory.parse("Name:\tjava\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t20\n");
        assertEquals(new ResidentMemory(100L << 20, 200L << 20), r);
        assertFalse(ResidentMemory.parse("Name:\tkthreadd\n").available());
        assertFalse(ResidentMemory.of(-1).available());
    }
}

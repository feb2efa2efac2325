package dev.heaplens.alloc;

import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A {@code .jfr} file folded into per (class, stack) cells: events, estimated bytes, estimated
 * objects; the garbage collections; event counts. Nothing per event is kept. The file's chunks are
 * read in parallel by {@link JfrChunkReader} and merged here in file order.
 *
 * <p>Weights, as JDK Mission Control takes them: {@code jdk.ObjectAllocationSample} stands for its
 * {@code weight} bytes (the thread's allocation since the previous sample), count unknown;
 * {@code jdk.ObjectAllocationInNewTLAB} for the new TLAB's {@code tlabSize} bytes, that many bytes
 * over the object's {@code allocationSize} objects; {@code jdk.ObjectAllocationOutsideTLAB} for
 * exactly its object. async-profiler's allocation mode writes the two TLAB events. A recording with
 * both kinds (JFR's "profile" settings plus TLAB events) would count its bytes twice: then the TLAB
 * events are used and the samples left out ({@link #samplesLeftOut}).
 */
final class RecordingReader {
    static final String SAMPLE = "jdk.ObjectAllocationSample";
    static final String IN_NEW_TLAB = "jdk.ObjectAllocationInNewTLAB";
    static final String OUTSIDE_TLAB = "jdk.ObjectAllocationOutsideTLAB";
    /** The largest chunk read (chunks are held in a {@code byte[]}; JFR's are about 12 MB). */
    private static final long MAX_CHUNK = Integer.MAX_VALUE - 64;

    final StackTable stacks = new StackTable();
    final List<String> types = new ArrayList<>();
    private final Object2IntOpenHashMap<String> typeIds = new Object2IntOpenHashMap<>();
    final AllocationCells cells = new AllocationCells();
    /** Sampled events not counted because the recording has TLAB events too. */
    long samplesLeftOut;
    final Map<String, Long> eventCounts = new HashMap<>();
    final List<GcEvent> collections = new ArrayList<>();
    private final Map<Long, long[]> heapByGc = new HashMap<>();
    private final Map<Long, Object[]> gcEvents = new HashMap<>();
    long pid = -1;
    Instant first;
    Instant last;
    private long firstNanos = Long.MAX_VALUE;
    private long lastNanos = Long.MIN_VALUE;

    RecordingReader() {
        typeIds.defaultReturnValue(-1);
    }

    /** Reads the whole file. */
    static RecordingReader read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new JfrFormatException(file, Files.exists(file) ? "not a regular file" : "no such file", null);
        }
        RecordingReader r = new RecordingReader();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            List<long[]> chunks = chunks(file, channel);
            List<JfrChunkReader> folds = IntStream.range(0, chunks.size()).parallel()
                    .mapToObj(i -> readChunk(file, channel, i, chunks.get(i)))
                    .toList();
            folds.forEach(r::merge);
        } catch (NoSuchFileException e) {
            throw new JfrFormatException(file, "no such file", e);
        } catch (IOException e) {
            throw new JfrFormatException(file, "cannot read it (" + e.getMessage() + ")", e);
        }
        r.finish();
        return r;
    }

    /** Offset and size of each chunk, from the chunk headers; a file cut short or not JFR is refused here. */
    private static List<long[]> chunks(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        List<long[]> chunks = new ArrayList<>();
        ByteBuffer header = ByteBuffer.allocate(JfrChunkReader.HEADER_BYTES);
        long at = 0;
        while (at < fileSize) {
            header.clear();
            int got = readFully(channel, header, at);
            boolean magic = got >= 4 && header.get(0) == 'F' && header.get(1) == 'L' && header.get(2) == 'R' && header.get(3) == 0;
            if (!magic) {
                throw new JfrFormatException(file, at == 0
                        ? "not a JFR recording (it does not start with JFR's magic bytes FLR\\0)"
                        : "damaged recording: chunk " + (chunks.size() + 1) + " at byte offset " + at
                                + " does not start with JFR's magic bytes FLR\\0", null);
            }
            if (got < JfrChunkReader.HEADER_BYTES) {
                throw cutShort(file, "inside the header of chunk " + (chunks.size() + 1) + " at byte offset " + at);
            }
            int major = header.getShort(4);
            if (major != 1 && major != 2) {
                throw new JfrFormatException(file, "JFR format version " + major + "." + header.getShort(6)
                        + " (chunk at byte offset " + at + "); heaplens reads versions 1 and 2", null);
            }
            long size = header.getLong(8);
            if (size < JfrChunkReader.HEADER_BYTES) {
                throw cutShort(file, "in chunk " + (chunks.size() + 1) + " at byte offset " + at
                        + ", whose header gives no size yet");
            }
            if (size > fileSize - at) {
                throw cutShort(file, "in chunk " + (chunks.size() + 1) + " at byte offset " + at + ": it claims " + size
                        + " bytes, the file holds " + (fileSize - at) + " from there");
            }
            if (size > MAX_CHUNK) {
                throw new JfrFormatException(file, "chunk " + (chunks.size() + 1) + " at byte offset " + at + " has "
                        + size + " bytes; heaplens reads chunks of up to 2 GB", null);
            }
            chunks.add(new long[] {at, size});
            at += size;
        }
        if (chunks.isEmpty()) {
            throw new JfrFormatException(file, "not a JFR recording (the file is empty)", null);
        }
        return chunks;
    }

    private static JfrFormatException cutShort(Path file, String where) {
        return new JfrFormatException(file, "the recording is cut short " + where
                + " (a truncated copy, or a recording still being written)", null);
    }

    private static int readFully(FileChannel channel, ByteBuffer into, long at) throws IOException {
        int total = 0;
        while (into.hasRemaining()) {
            int n = channel.read(into, at + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static JfrChunkReader readChunk(Path file, FileChannel channel, int index, long[] chunk) {
        byte[] bytes = new byte[(int) chunk[1]];
        try {
            if (readFully(channel, ByteBuffer.wrap(bytes), chunk[0]) != bytes.length) {
                throw cutShort(file, "in chunk " + (index + 1) + " at byte offset " + chunk[0]);
            }
            return JfrChunkReader.read(bytes, chunk[0]);
        } catch (JfrInput.JfrDamage e) {
            throw damaged(file, index, chunk, e.getMessage(), e.offset, e);
        } catch (IndexOutOfBoundsException e) {
            throw damaged(file, index, chunk, "a value runs past the end of its chunk", chunk[0] + chunk[1], e);
        } catch (IOException e) {
            throw new JfrFormatException(file, "cannot read it (" + e.getMessage() + ")", e);
        }
    }

    private static JfrFormatException damaged(Path file, int index, long[] chunk, String what, long offset, Exception e) {
        return new JfrFormatException(file, "damaged recording at byte offset " + offset + " (chunk " + (index + 1)
                + " at " + chunk[0] + "): " + what, e);
    }

    /** Adds one chunk's fold, its types and stacks renumbered to the recording's. */
    private void merge(JfrChunkReader chunk) {
        int[] typeMap = new int[chunk.types.size()];
        for (int t = 0; t < typeMap.length; t++) {
            typeMap[t] = type(chunk.types.get(t));
        }
        cells.addAll(chunk.cells, typeMap, stacks.addAll(chunk.stacks));
        chunk.eventCounts.forEach((name, n) -> eventCounts.merge(name, n, Long::sum));
        for (Object[] gc : chunk.collections) {
            collection((Long) gc[0], (String) gc[1], (String) gc[2], (Long) gc[3], (Long) gc[4], (Long) gc[5], (Long) gc[6]);
        }
        for (long[] h : chunk.heapSummaries) {
            heapSummary(h[0], h[1] == 0, h[2]);
        }
        if (chunk.firstNanos <= chunk.lastNanos) {
            time(chunk.firstNanos, chunk.lastNanos);
        }
        if (chunk.pid > 0) {
            pid = chunk.pid;
        }
    }

    /** The recording's id of a type name. */
    int type(String name) {
        int id = typeIds.getInt(name);
        if (id < 0) {
            id = types.size();
            typeIds.put(name, id);
            types.add(name);
        }
        return id;
    }

    /** A {@code jdk.GarbageCollection} event; times in nanoseconds (start since the epoch). */
    void collection(long gcId, String collector, String cause, long startNanos, long durationNanos, long pausesNanos,
                    long longestPauseNanos) {
        gcEvents.put(gcId, new Object[] {collector, cause, startNanos, durationNanos, pausesNanos, longestPauseNanos});
    }

    /** A {@code jdk.GCHeapSummary} event: the heap used before or after a collection. */
    void heapSummary(long gcId, boolean before, long heapUsed) {
        heapByGc.computeIfAbsent(gcId, key -> new long[] {-1, -1})[before ? 0 : 1] = heapUsed;
    }

    /** Widens the recording's span to an event's start and end, in nanoseconds since the epoch. */
    void time(long startNanos, long endNanos) {
        firstNanos = Math.min(firstNanos, startNanos);
        lastNanos = Math.max(lastNanos, endNanos);
    }

    /** Ends the fold: the collections in order, one kind of allocation event, the span. */
    void finish() {
        gcEvents.forEach((gcId, g) -> {
            long[] heap = heapByGc.getOrDefault(gcId, new long[] {-1, -1});
            collections.add(new GcEvent(gcId, (String) g[0], (String) g[1], instant((Long) g[2]), Duration.ofNanos((Long) g[3]),
                    Duration.ofNanos((Long) g[4]), Duration.ofNanos((Long) g[5]), heap[0], heap[1]));
        });
        collections.sort((a, b) -> Long.compare(a.gcId(), b.gcId()));
        gcEvents.clear();
        samplesLeftOut = cells.oneKindOfAllocationEvent();
        if (firstNanos <= lastNanos) {
            first = instant(firstNanos);
            last = instant(lastNanos);
        }
    }

    private static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }
}

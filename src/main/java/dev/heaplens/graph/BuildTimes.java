package dev.heaplens.graph;

/**
 * Where the time of a graph build went, in milliseconds: for benchmarks and for users wondering
 * why a dump opens slowly.
 *
 * @param recordPass the record pass over the file
 * @param sortIds    sorting object ids and building the id index
 * @param classes    the class table and VM sizes
 * @param edges      the edge pass: classes, sizes and references of every object
 */
public record BuildTimes(double recordPass, double sortIds, double classes, double edges) {

    /** The whole build. */
    public double total() {
        return recordPass + sortIds + classes + edges;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "record pass %.0f ms, ids %.0f ms, classes %.0f ms, edges %.0f ms; total %.0f ms",
                recordPass, sortIds, classes, edges, total());
    }
}

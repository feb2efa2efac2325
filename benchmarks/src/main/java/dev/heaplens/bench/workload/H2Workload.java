package dev.heaplens.bench.workload;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.SplittableRandom;

/**
 * A second real program whose heap the benchmarks read: an in-memory H2 database holding a table
 * of {@code ROWS} orders, with its primary key and a secondary index, and the query caches a few
 * queries leave behind.
 *
 * <p>Runs in a child JVM started by {@code Dumps}. It creates {@code jdbc:h2:mem:bench}, inserts the
 * rows in batches (the text columns are drawn from a fixed seed, so two runs hold the same data),
 * runs a few aggregate queries, keeps the open connection reachable from a static field, and dumps
 * its own heap with {@link HotSpotDiagnosticMXBean#dumpHeap(String, boolean)} ({@code live = true}).
 * The heap is H2's: MVStore B-tree pages, rows as {@code Value[]} of {@code ValueVarchar},
 * {@code ValueBigint}, {@code ValueNumeric}, {@code ValueTimestamp}, their strings and byte arrays:
 * many small objects and many references, unlike javac's large source buffers.
 *
 * <pre>
 * java -Xmx6g -cp benchmarks.jar dev.heaplens.bench.workload.H2Workload OUT.hprof ROWS
 * </pre>
 */
public final class H2Workload {

    /** What the dump holds: the connection, so the in-memory database stays open. Never cleared. */
    static volatile Connection retained;

    private static final String[] WORDS = {
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett",
        "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
        "uniform", "victor", "whiskey", "xray", "yankee", "zulu"};

    private H2Workload() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: H2Workload OUT.hprof ROWS");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        long rows = Long.parseLong(args[1]);
        long start = System.nanoTime();
        Connection connection = DriverManager.getConnection("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1", "sa", "");
        retained = connection;
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE ORDERS (ID BIGINT PRIMARY KEY, CUSTOMER VARCHAR(64) NOT NULL, "
                    + "ITEM VARCHAR(64) NOT NULL, QUANTITY INT NOT NULL, PRICE NUMERIC(12, 2) NOT NULL, "
                    + "CREATED TIMESTAMP NOT NULL)");
            s.execute("CREATE INDEX ORDERS_CUSTOMER ON ORDERS(CUSTOMER)");
        }
        insert(connection, rows);
        System.out.printf("inserted %,d rows in %.1f s%n", rows, (System.nanoTime() - start) / 1e9);
        try (Statement s = connection.createStatement()) {
            query(s, "SELECT COUNT(*), SUM(PRICE * QUANTITY) FROM ORDERS");
            query(s, "SELECT COUNT(DISTINCT CUSTOMER) FROM ORDERS");
            query(s, "SELECT ITEM, COUNT(*) FROM ORDERS GROUP BY ITEM ORDER BY 2 DESC LIMIT 5");
        }
        Files.deleteIfExists(out);
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        hotspot.dumpHeap(out.toString(), true);
        System.out.printf("dumped %,d bytes to %s after %.1f s%n", Files.size(out), out, (System.nanoTime() - start) / 1e9);
        connection.close();
    }

    private static void insert(Connection connection, long rows) throws SQLException {
        SplittableRandom random = new SplittableRandom(15);
        long epoch = Timestamp.valueOf("2026-01-01 00:00:00").getTime();
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO ORDERS VALUES (?, ?, ?, ?, ?, ?)")) {
            for (long id = 0; id < rows; id++) {
                insert.setLong(1, id);
                insert.setString(2, "customer-" + WORDS[random.nextInt(WORDS.length)] + "-" + random.nextInt(1_000_000));
                insert.setString(3, WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)]
                        + " #" + random.nextInt(10_000));
                insert.setInt(4, 1 + random.nextInt(20));
                insert.setBigDecimal(5, BigDecimal.valueOf(random.nextInt(1_000_000), 2));
                insert.setTimestamp(6, new Timestamp(epoch + random.nextLong(365L * 24 * 3600 * 1000)));
                insert.addBatch();
                if (id % 10_000 == 9_999) {
                    insert.executeBatch();
                    connection.commit();
                }
            }
            insert.executeBatch();
            connection.commit();
        }
    }

    private static void query(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            StringBuilder line = new StringBuilder(sql).append(" ->");
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                for (int c = 1; c <= columns; c++) {
                    line.append(' ').append(r.getString(c));
                }
                line.append(';');
            }
            System.out.println(line);
        }
    }
}

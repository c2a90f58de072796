package io.deltaagent.jobs.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The queries of bench-maintain on one state of a table, in one Spark session: DESCRIBE DETAIL (files, bytes),
 * then a full-scan aggregate and a selective query on {@code user_id} (the Z-order column), each run once to warm
 * up and then {@code runs} times; prints one JSON line with each query's median and all runs in milliseconds.
 */
public final class SparkQueryBench {

    private SparkQueryBench() {
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: SparkQueryBench TABLE USER_ID RUNS");
            System.exit(2);
        }
        String table = BenchSession.quote(args[0]);
        long userId = Long.parseLong(args[1]);
        int runs = Integer.parseInt(args[2]);
        SparkSession spark = BenchSession.start("bench-maintain");
        Row detail = spark.sql("DESCRIBE DETAIL " + table).first();
        long files = detail.<Long>getAs("numFiles");
        long bytes = detail.<Long>getAs("sizeInBytes");
        String fullScan = "SELECT country, count(*), sum(amount) FROM " + table + " GROUP BY country";
        String selective = "SELECT count(*), sum(amount) FROM " + table + " WHERE user_id = " + userId;
        List<Long> full = time(spark, fullScan, runs);
        List<Long> sel = time(spark, selective, runs);
        long rows = spark.sql("SELECT count(*) FROM " + table).first().getLong(0);
        long matching = spark.sql(selective).first().getLong(0);
        System.out.printf("{\"files\":%d,\"sizeInBytes\":%d,\"rows\":%d,\"selectiveRows\":%d,\"fullScanMedianMs\":%d,"
                        + "\"selectiveMedianMs\":%d,\"fullScanMs\":%s,\"selectiveMs\":%s}%n", files, bytes, rows, matching,
                median(full), median(sel), full, sel);
        spark.stop();
    }

    private static List<Long> time(SparkSession spark, String sql, int runs) {
        spark.sql(sql).collectAsList(); // warm-up: class loading, the snapshot, the file listing cache
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            spark.sql(sql).collectAsList();
            out.add((System.nanoTime() - t0) / 1_000_000);
        }
        return out;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}

package io.deltaagent.jobs.bench;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One cold Spark read of a table's log, for bench-audit: session start, then {@code DESCRIBE DETAIL} (mode
 * {@code describe}) or the latest snapshot's full file listing, {@code inputFiles()} of the table (mode
 * {@code files}). Prints one JSON line: files, sizeInBytes (describe), sessionMs, opMs, peakHeapBytes.
 */
public final class SparkAuditBench {

    private SparkAuditBench() {
    }

    public static void main(String[] args) {
        if (args.length != 2 || !(args[0].equals("describe") || args[0].equals("files"))) {
            System.err.println("usage: SparkAuditBench describe|files TABLE");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        SparkSession spark = BenchSession.start("bench-audit");
        long t1 = System.nanoTime();
        long files;
        long bytes = -1;
        if (args[0].equals("describe")) {
            Row detail = spark.sql("DESCRIBE DETAIL " + BenchSession.quote(args[1])).first();
            files = detail.<Long>getAs("numFiles");
            bytes = detail.<Long>getAs("sizeInBytes");
        } else {
            files = spark.read().format("delta").load(args[1]).inputFiles().length;
        }
        long t2 = System.nanoTime();
        System.out.printf("{\"tool\":\"spark-%s\",\"files\":%d,\"sizeInBytes\":%d,\"sessionMs\":%d,\"opMs\":%d,"
                        + "\"peakHeapBytes\":%d}%n", args[0], files, bytes, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                BenchSession.peakHeapBytes());
        spark.stop();
    }
}

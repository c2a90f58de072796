package io.deltaagent.jobs.bench;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.SparkSession;

/**
 * Writes the table of issue 13 at any scale for bench-rewrite: in every partition {@code large} healthy files of about
 * {@code largeMiB} (random hex, so Parquet cannot shrink them) and {@code small} tiny files from streaming-sized
 * appends of 10 files each. Usage: {@code MixedTableWriter TABLE PARTITIONS LARGE LARGE_MIB SMALL}.
 */
public final class MixedTableWriter {

    /** Rows of random 64-character hex (plus a long) per MiB of Parquet, measured on the fixture's files. */
    private static final long ROWS_PER_MIB = 14_800;

    private MixedTableWriter() {
    }

    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: MixedTableWriter TABLE PARTITIONS LARGE LARGE_MIB SMALL");
            System.exit(2);
        }
        String table = args[0];
        int partitions = Integer.parseInt(args[1]);
        int large = Integer.parseInt(args[2]);
        long largeMiB = Long.parseLong(args[3]);
        int small = Integer.parseInt(args[4]);
        SparkSession spark = BenchSession.start("delta-agent-mixed-table");
        try {
            for (int p = 0; p < partitions; p++) {
                for (int f = 0; f < large; f++) {
                    spark.range(largeMiB * ROWS_PER_MIB).selectExpr("id", "sha2(cast(rand() AS string), 256) AS payload",
                            "cast(" + p + " AS int) AS part").repartition(1).write().format("delta").mode("append")
                            .partitionBy("part").save(table);
                }
            }
            // about 10 tiny files per partition per commit, as a streaming micro-batch writes them
            for (int done = 0; done < small; done += 10) {
                spark.range(200L * partitions).selectExpr("id", "concat('tiny-', id) AS payload",
                                "cast(id % " + partitions + " AS int) AS part", "cast(id % " + (10 * partitions) + " AS int) AS bucket")
                        .repartition(10 * partitions, col("bucket")).drop("bucket")
                        .write().format("delta").mode("append").partitionBy("part").save(table);
            }
        } finally {
            spark.stop();
        }
    }
}

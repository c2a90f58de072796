package io.deltaagent.jobs.demo;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.jobs.spark.ConfScope;
import io.deltaagent.jobs.spark.DeltaLogs;
import io.deltaagent.jobs.spark.SessionTuning;
import io.deltaagent.jobs.spark.SparkSessions;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes a demo Delta table with many small files, the shape that needs OPTIMIZE: {@code --files} files of
 * {@code --rows-per-file} rows each in one commit, spread over {@code --partitions} date partitions. Prints one
 * JSON line with what it wrote (the last line of stdout; logs go to stderr).
 *
 * <p>Columns: {@code id} (bigint, unique), {@code event_time} (timestamp), {@code customer_id} (int, random),
 * {@code amount} (double), {@code country} (string), and the partition column {@code event_date} (string
 * {@code yyyy-MM-dd}) when {@code --partitions} is above 0. Data is a function of {@code --seed} and the sizes.
 */
@Command(name = "demo-table-writer", mixinStandardHelpOptions = true,
        description = "Write a Delta table of many small files for demos and tests.")
public final class DemoTableWriter implements Callable<Integer> {
    /** Rows are split into tasks of whole files; each task writes its files in sequence. */
    static final int MAX_TASKS = 64;

    @Option(names = "--table", required = true, paramLabel = "PATH", description = "Where to create the table.")
    String table;

    @Option(names = "--files", required = true, paramLabel = "N", description = "Number of data files to write.")
    int files;

    @Option(names = "--partitions", paramLabel = "P", defaultValue = "0",
            description = "Date partitions (event_date); 0 for an unpartitioned table (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--rows-per-file", paramLabel = "R", defaultValue = "100",
            description = "Rows in each file (default: ${DEFAULT-VALUE}).")
    int rowsPerFile;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    private PrintStream out = System.out;

    /** What a write produced. */
    public record Written(String table, long version, long filesWritten, long rows, int partitions, long bytes,
            long durationMs) {
    }

    public static void main(String[] args) {
        PrintStream stdout = System.out;
        System.setOut(System.err);
        int code = run(args, stdout, System.err);
        stdout.flush();
        System.exit(code);
    }

    /** Runs the command line in this JVM; returns the exit code (0, 1 failure, 2 bad usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        DemoTableWriter writer = new DemoTableWriter();
        writer.out = out;
        CommandLine commandLine = new CommandLine(writer);
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            err.println("demo-table-writer failed: " + e);
            e.printStackTrace(err);
            return 1;
        });
        return commandLine.execute(args);
    }

    @Override
    public Integer call() {
        if (files < 1 || rowsPerFile < 1 || partitions < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--files and --rows-per-file must be >= 1 and --partitions >= 0");
        }
        SparkSession spark = SparkSessions.getOrCreate();
        Written written;
        try (ConfScope scope = new ConfScope(spark.conf())) {
            SessionTuning.beforeInspection(spark, scope);
            written = write(spark, table, files, partitions, rowsPerFile, seed);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("table", written.table());
        json.put("version", written.version());
        json.put("filesWritten", written.filesWritten());
        json.put("rows", written.rows());
        json.put("partitions", written.partitions());
        json.put("bytes", written.bytes());
        json.put("durationMs", written.durationMs());
        try {
            out.println(new ObjectMapper().writeValueAsString(json));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
        return 0;
    }

    /**
     * Writes the table in one commit and reports the files Delta recorded.
     *
     * <p>Rows are generated in {@code tasks} ranges of whole files; {@code maxRecordsPerFile} cuts each
     * partition's rows into files of exactly {@code rowsPerFile} rows. File {@code f} (rows
     * {@code [f*R, (f+1)*R)}) lands in partition {@code f % partitions}, so every file is full and the table
     * gets exactly {@code files} files, written by a handful of tasks instead of one task per file.
     */
    public static Written write(SparkSession spark, String table, int files, int partitions, int rowsPerFile,
            long seed) {
        requireNonNull(table, "table");
        long started = System.currentTimeMillis();
        long rows = (long) files * rowsPerFile;
        int tasks = tasksFor(files, Math.max(1, spark.sparkContext().defaultParallelism()));
        Dataset<Row> data = spark.range(0, rows, 1, tasks).selectExpr(
                "id",
                "timestamp_seconds(1704067200 + id * 7) AS event_time",
                "CAST(floor(rand(" + seed + ") * 100000) AS INT) AS customer_id",
                "round(rand(" + (seed + 1) + ") * 500, 2) AS amount",
                "element_at(array('DE', 'FR', 'US', 'JP', 'BR', 'IN'), CAST(pmod(id * 31 + " + seed
                        + ", 6) AS INT) + 1) AS country",
                "date_format(date_add(DATE'2024-01-01', CAST(pmod(floor(id / " + rowsPerFile + "), "
                        + Math.max(1, partitions) + ") AS INT)), 'yyyy-MM-dd') AS event_date");
        if (partitions == 0) {
            data = data.drop("event_date");
        }
        var writer = data.write().format("delta").mode("errorifexists")
                .option("maxRecordsPerFile", Integer.toString(rowsPerFile));
        if (partitions > 0) {
            writer = writer.partitionBy("event_date");
        }
        writer.save(table);
        Snapshot snapshot = DeltaLogs.latest(DeltaLog.forTable(spark, table));
        return new Written(table, snapshot.version(), snapshot.numOfFiles(), rows, partitions,
                snapshot.sizeInBytes(), System.currentTimeMillis() - started);
    }

    /** The most tasks (up to 4 per core, at most {@link #MAX_TASKS}) that split {@code files} evenly. */
    static int tasksFor(int files, int parallelism) {
        int most = Math.min(files, Math.min(MAX_TASKS, 4 * parallelism));
        for (int tasks = most; tasks > 1; tasks--) {
            if (files % tasks == 0) {
                return tasks;
            }
        }
        return 1;
    }
}

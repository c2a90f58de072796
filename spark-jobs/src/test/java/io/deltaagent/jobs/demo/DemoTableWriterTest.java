package io.deltaagent.jobs.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.jobs.JobCli;
import io.deltaagent.jobs.SparkTestSession;
import io.deltaagent.jobs.TableData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTableWriterTest {
    @TempDir
    Path tmp;

    private final SparkSession spark = SparkTestSession.get();

    @Test
    void writesExactlyTheFilesAskedForAndSaysSoInOneJsonLine() {
        String table = tmp.resolve("demo").toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = DemoTableWriter.run(new String[] {"--table", table, "--files", "30", "--partitions", "3",
                "--rows-per-file", "20", "--seed", "5"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);

        assertThat(code).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        JsonNode json = JobCli.parse(lines.get(lines.size() - 1));
        assertThat(json.get("filesWritten").asLong()).isEqualTo(30);
        assertThat(json.get("rows").asLong()).isEqualTo(600);
        assertThat(json.get("version").asLong()).isZero();
        assertThat(TableData.files(spark, table)).isEqualTo(30);
        assertThat(spark.read().format("delta").load(table).select("event_date").distinct().count()).isEqualTo(3);
        assertThat(TableData.filesIn(spark, table, "event_date", "2024-01-02")).isEqualTo(10);
        assertThat(spark.read().format("delta").load(table).select("id").distinct().count()).isEqualTo(600);
    }

    @Test
    void splitsWorkIntoTasksOfWholeFiles() {
        assertThat(DemoTableWriter.tasksFor(300, 2)).isEqualTo(6);
        assertThat(DemoTableWriter.tasksFor(2000, 2)).isEqualTo(8);
        assertThat(DemoTableWriter.tasksFor(7, 2)).isEqualTo(7);
        assertThat(DemoTableWriter.tasksFor(13, 2)).isEqualTo(1);
        assertThat(DemoTableWriter.tasksFor(1000, 64)).isEqualTo(50);
    }
}

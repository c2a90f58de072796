package io.deltaagent.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.TableFeature;
import org.apache.spark.sql.delta.TableFeature$;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 25: a job refuses, before any work and without a stack trace, a table whose protocol names a feature its
 * delta-spark does not support or that is catalog-managed; and the agent's list of this runtime's features is
 * delta-spark's own.
 */
class ProtocolGuardTest {
    @TempDir
    Path tmp;

    private final SparkSession spark = SparkTestSession.get();

    private Path upgraded(String protocol) throws Exception {
        Path table = Fixtures.copy(Fixtures.tinyTable(spark), tmp.resolve("t"));
        Path log = table.resolve("_delta_log");
        long next;
        try (Stream<Path> files = Files.list(log)) {
            next = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.json"))
                    .mapToLong(n -> Long.parseLong(n.substring(0, 20))).max().orElseThrow() + 1;
        }
        Files.writeString(log.resolve(String.format("%020d.json", next)),
                "{\"commitInfo\":{\"timestamp\":1796600000000,\"inCommitTimestamp\":1796600000000,\"operation\":\"SET TBLPROPERTIES\"}}\n"
                        + "{\"protocol\":" + protocol + "}\n");
        return table;
    }

    private static Map<String, Long> logFiles(Path table) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Stream<Path> files = Files.walk(table.resolve("_delta_log"))) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(p.toString(), Files.getLastModifiedTime(p).toMillis() * 31 + Files.size(p));
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"optimize", "checkpoint"})
    void aWriterFeatureThisRuntimeLacksIsRefusedBeforeAnyWork(String action) throws Exception {
        Path table = upgraded("{\"minReaderVersion\":1,\"minWriterVersion\":7,"
                + "\"writerFeatures\":[\"appendOnly\",\"invariants\",\"icebergWriterCompatV1\"]}");
        Map<String, Long> before = logFiles(table);

        JobCli.Run run = JobCli.run(action, "--table", table.toString());

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.result().at("/error/class").asText()).isEqualTo("io.deltaagent.jobs.error.UnsupportedProtocolException");
        assertThat(run.result().at("/error/message").asText()).startsWith(table + ": the table uses table feature(s) "
                + "[icebergWriterCompatV1], which this job runtime (delta-spark 3.3").contains("nothing was changed");
        assertThat(run.result().at("/error/retryable").asBoolean()).isFalse();
        assertThat(run.stderr()).doesNotContain("\tat org.apache.spark");
        assertThat(logFiles(table)).as("nothing in _delta_log changed").isEqualTo(before);
    }

    @Test
    void aCatalogManagedTableIsNeverVacuumedByPath() throws Exception {
        Path table = upgraded("{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"catalogManaged\"],"
                + "\"writerFeatures\":[\"catalogManaged\",\"inCommitTimestamp\"]}");
        Map<String, Long> before = logFiles(table);

        JobCli.Run run = JobCli.run("vacuum", "--table", table.toString(), "--retain", "168h");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.result().at("/error/class").asText()).isEqualTo("io.deltaagent.jobs.error.UnsupportedProtocolException");
        assertThat(run.result().at("/error/message").asText()).startsWith(table + ": catalog-managed table (table feature "
                + "catalogManaged): its catalog owns its commits");
        assertThat(run.stderr()).doesNotContain("\tat org.apache.spark");
        assertThat(logFiles(table)).isEqualTo(before);
    }

    /** The agent plans against this list (agent/src/main/resources/.../runtime-3.5.features): it is delta-spark's. */
    @Test
    void theAgentsRuntimeFeatureListIsDeltaSparks() throws Exception {
        Path list = Paths.get("..", "agent", "src", "main", "resources", "io", "deltaagent", "features", "runtime-3.5.features");
        Set<String> agent = Files.readAllLines(list).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toCollection(TreeSet::new));
        String key = "spark.databricks.delta.tableFeatures.testFeatures.enabled";
        String was = spark.conf().get(key, null);
        spark.conf().set(key, "false");
        Set<String> delta = new TreeSet<>();
        try {
            scala.collection.Iterator<TableFeature> it = TableFeature$.MODULE$.allSupportedFeaturesMap().values().iterator();
            while (it.hasNext()) {
                delta.add(it.next().name());
            }
        } finally {
            if (was == null) {
                spark.conf().unset(key);
            } else {
                spark.conf().set(key, was);
            }
        }
        assertThat(agent).as(list + " must list exactly delta-spark's supported table features").isEqualTo(delta);
    }
}

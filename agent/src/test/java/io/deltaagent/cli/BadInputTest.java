package io.deltaagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.HistoryDb;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input gives one clear line that starts with the table (or config key), exit 1 (2 for usage
 * and config), no stack trace on stdout, and the other tables of the run are still audited.
 */
class BadInputTest {

    @TempDir
    Path tmp;

    private static JsonNode tableResult(CliRun run, String table) {
        for (JsonNode t : run.json().get("tables")) {
            if (t.get("table").asText().equals(table)) {
                return t;
            }
        }
        throw new AssertionError("no result for " + table + " in " + run.out());
    }

    /** Overwrites a file as a broken writer or disk would: Hadoop's hidden local .crc goes too (object stores have none). */
    private static void damage(Path file, byte[] content) throws Exception {
        Files.write(file, content);
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
    }

    private CliRun auditWithHealthyNeighbour(String badTable, String... extra) {
        Path good = Fixtures.table("spark_unpartitioned_nocheckpoint");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("audit", "--format", "json"));
        args.addAll(java.util.List.of(extra));
        args.add(badTable);
        args.add(good.toString());
        return CliRun.of(args.toArray(String[]::new));
    }

    private void assertFailsClearly(String table, String kind, String messagePart, String... extra) {
        CliRun run = auditWithHealthyNeighbour(table, extra);
        assertThat(run.exitCode()).isEqualTo(ExitCode.TABLE_FAILED);
        JsonNode bad = tableResult(run, table);
        assertThat(bad.get("status").asText()).isEqualTo("ERROR");
        assertThat(bad.get("error").get("kind").asText()).isEqualTo(kind);
        assertThat(bad.get("error").get("message").asText()).startsWith(table + ": ").contains(messagePart);
        assertThat(bad.get("error").get("message").asText()).doesNotContain("\n").doesNotContain("\tat ");
        JsonNode good = tableResult(run, Fixtures.table("spark_unpartitioned_nocheckpoint").toString());
        assertThat(good.get("health").get("files").get("activeFiles").asLong()).isEqualTo(40);
        assertThat(run.out()).doesNotContain("\tat ");

        java.util.List<String> textArgs = new java.util.ArrayList<>(java.util.List.of("audit"));
        textArgs.addAll(java.util.List.of(extra));
        textArgs.add(table);
        CliRun text = CliRun.of(textArgs.toArray(String[]::new));
        assertThat(text.exitCode()).isEqualTo(ExitCode.TABLE_FAILED);
        assertThat(text.out()).contains("Could not audit:").contains("  " + table + ": ").doesNotContain("\tat ");
    }

    @Test
    void numbersThatCannotWorkAreUsageErrorsNamingTheOption() {
        String db = HistoryDb.h2(tmp, "h");
        String table = tmp.resolve("any").toString();
        Object[][] cases = {
            {new String[] {"history", "--history-db", db, "--limit", "-1"}, "--limit", "'-1' must be at least 1"},
            {new String[] {"history", "--history-db", db, "--limit", "many"}, "--limit", "'many' is not a whole number"},
            {new String[] {"maintain", "--history-db", db, "--job-timeout", "0s", table}, "--job-timeout", "'0s' must be more than 0"},
            {new String[] {"maintain", "--history-db", db, "--local-heap", "0g", table}, "--local-heap", "a JVM size above 0"},
            {new String[] {"maintain", "--history-db", db, "--local-cores", "0", table}, "--local-cores", "'0' must be at least 1"},
            {new String[] {"maintain", "--history-db", db, "--local-cores", "999", table}, "--local-cores", "1 to 256"},
        };
        for (Object[] c : cases) {
            CliRun run = CliRun.of((String[]) c[0]);
            assertThat(run.exitCode()).as(String.join(" ", (String[]) c[0])).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).as(String.join(" ", (String[]) c[0])).contains((String) c[1]).contains((String) c[2])
                    .doesNotContain("maxRows").doesNotContain("Exception");
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void pathThatDoesNotExist() {
        String table = tmp.resolve("nope").toString();
        assertFailsClearly(table, "NOT_FOUND", "path does not exist");
    }

    @Test
    void notADeltaTable() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("plain"));
        Files.writeString(dir.resolve("data.csv"), "a,b\n1,2\n");
        assertFailsClearly(dir.toString(), "NOT_A_DELTA_TABLE", "no _delta_log directory");
    }

    @Test
    void emptyDeltaLog() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty/_delta_log")).getParent();
        assertFailsClearly(dir.toString(), "NOT_A_DELTA_TABLE", "_delta_log holds no commit or checkpoint");
    }

    @Test
    void missingCommitJson() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        Files.delete(table.resolve("_delta_log/00000000000000000022.json"));
        assertFailsClearly(table.toString(), "CORRUPT_LOG", "_delta_log/00000000000000000022.json is missing");
    }

    @Test
    void corruptCommitJson() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        damage(table.resolve("_delta_log/00000000000000000023.json"), "{\"add\": {\"path\": \"x\", \n garbage".getBytes());
        assertFailsClearly(table.toString(), "CORRUPT_LOG", "cannot parse _delta_log/00000000000000000023.json line 1");
    }

    @Test
    void corruptCheckpoint() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        damage(table.resolve("_delta_log/00000000000000000020.checkpoint.parquet"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertFailsClearly(table.toString(), "CORRUPT_LOG", "cannot read checkpoint _delta_log/00000000000000000020.checkpoint.parquet");
    }

    @Test
    void missingCheckpointWhoseCommitsAreGone() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        Files.delete(table.resolve("_delta_log/00000000000000000020.checkpoint.parquet"));
        for (int v = 11; v <= 20; v++) {
            Files.delete(table.resolve(String.format("_delta_log/%020d.json", v)));
        }
        // checkpoint 10 and commits 21.. remain: commit 11 is needed and gone
        assertFailsClearly(table.toString(), "CORRUPT_LOG", "_delta_log/00000000000000000011.json is missing");
    }

    @Test
    void missingCheckpointNamedByLastCheckpoint() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        Files.delete(table.resolve("_delta_log/00000000000000000020.checkpoint.parquet"));
        assertFailsClearly(table.toString(), "CORRUPT_LOG",
                "_delta_log/_last_checkpoint names checkpoint 20, whose file(s) are missing or incomplete; "
                        + "Delta Spark would replay from checkpoint 10 instead");
    }

    @Test
    void missingCheckpointWithoutAHintReplaysFromTheOlderOne() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        Files.delete(table.resolve("_delta_log/00000000000000000020.checkpoint.parquet"));
        Files.delete(table.resolve("_delta_log/_last_checkpoint"));
        CliRun run = CliRun.of("audit", "--format", "json", table.toString());
        JsonNode health = run.json().get("tables").get(0).get("health");
        assertThat(health.get("files").get("activeFiles").asLong()).isEqualTo(150);
        assertThat(health.get("log").get("lastCheckpointVersion").asLong()).isEqualTo(10);
        assertThat(health.get("log").get("lastCheckpointFromHint").isNull()).isTrue();
        assertThat(health.get("log").get("commitsSinceCheckpoint").asLong()).isEqualTo(14);
    }

    @Test
    void columnMappingForcedOntoStandaloneIsAnUnsupportedProtocolNotAStackTrace() {
        assertFailsClearly(Fixtures.table("spark_column_mapping").toString(), "UNSUPPORTED_PROTOCOL",
                "unsupported protocol: the table needs reader version 2, writer version 5; Delta Standalone reads reader "
                        + "version 1 only", "--reader", "standalone");
    }

    @Test
    void deletionVectorsForcedOntoStandaloneAreAnUnsupportedProtocol() {
        assertFailsClearly(Fixtures.table("spark_deletion_vectors").toString(), "UNSUPPORTED_PROTOCOL",
                "reader version 3 [deletionVectors]", "--reader", "standalone");
    }

    @Test
    void readerFeatureBeyondKernelIsRefusedByName(@TempDir Path tmp2) throws Exception {
        Path table = Fixtures.copy("spark_unpartitioned_nocheckpoint", tmp2);
        // a commit that upgrades the protocol to a reader feature no library here implements
        Files.writeString(table.resolve("_delta_log/00000000000000000005.json"),
                "{\"commitInfo\":{\"timestamp\":1700000000000,\"operation\":\"UPGRADE PROTOCOL\"}}\n"
                        + "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,"
                        + "\"readerFeatures\":[\"futureFeature\"],\"writerFeatures\":[\"futureFeature\"]}}\n");
        assertFailsClearly(table.toString(), "UNSUPPORTED_PROTOCOL",
                "the table needs reader version 3 [futureFeature], writer version 7 [futureFeature]; Delta Kernel reads");
    }

    @Test
    void unknownReaderIsBadUsage() {
        CliRun run = CliRun.of("audit", "--reader", "spark", Fixtures.table("spark_optimized").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("'spark' is not a reader; use auto, projected, standalone or kernel");
    }

    @Test
    void malformedConfigNamesTheKeyAndExitsTwo() throws Exception {
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, "defaults:\n  target-file-size: 12 bananas\n");
        CliRun run = CliRun.of("audit", "--config", config.toString(), Fixtures.table("spark_optimized").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains(config + ": defaults.target-file-size: '12 bananas' has an unknown unit 'bananas'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void unknownConfigKeyListsTheValidOnes() throws Exception {
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, "tables:\n  - path: /x\n    min-smal-files: 3\n");
        CliRun run = CliRun.of("audit", "--config", config.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("unknown key 'tables[0].min-smal-files'").contains("min-small-files")
                .contains("target-file-size");
    }

    @Test
    void missingConfigFile() {
        CliRun run = CliRun.of("audit", "--config", tmp.resolve("absent.yaml").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("absent.yaml: config file does not exist");
    }

    @Test
    void noTablesIsBadUsage() {
        CliRun run = CliRun.of("audit");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("no tables to audit");
    }

    @Test
    void unknownOptionIsBadUsage() {
        CliRun run = CliRun.of("audit", "--formt", "json");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Unknown option: '--formt'");
    }

    @Test
    void verbosePrintsTheStackTraceToStderrOnly() {
        String table = tmp.resolve("nope").toString();
        CliRun run = CliRun.of("audit", "--verbose", table);
        assertThat(run.exitCode()).isEqualTo(ExitCode.TABLE_FAILED);
        assertThat(run.err()).contains("TableReadException");
        assertThat(run.out()).doesNotContain("\tat ");
    }
}

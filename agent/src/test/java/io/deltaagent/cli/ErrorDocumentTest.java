package io.deltaagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.PostgresTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With --format json an error that ends a command before its result (exit 2 or 75) is one JSON document on stdout as
 * well as the line on stderr; without --format json stdout stays empty; a command that wrote its result adds nothing.
 */
class ErrorDocumentTest {

    @TempDir
    Path tmp;

    @Test
    void badUsageAndBadConfigAreOneJsonDocumentOnStdout() throws Exception {
        CliRun parse = CliRun.of("history", "--format", "json", "--limit", "zero");
        assertThat(parse.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(parse.err()).contains("--limit");
        JsonNode doc = parse.json();
        assertThat(parse.out().strip().lines()).hasSize(1);
        assertThat(doc.get("command").asText()).isEqualTo("history");
        assertThat(doc.get("exitCode").asInt()).isEqualTo(ExitCode.USAGE);
        assertThat(doc.get("error").get("kind").asText()).isEqualTo("USAGE");
        assertThat(doc.get("error").get("setting").asText()).isEqualTo("--limit");
        assertThat(doc.get("error").get("message").asText()).contains("'zero' is not a whole number");

        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, "defaults:\n  target-file-size: 12 bananas\n");
        CliRun badConfig = CliRun.of("audit", "--format=json", "--config", config.toString(), Fixtures.table("spark_optimized").toString());
        assertThat(badConfig.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(badConfig.json().get("error").get("message").asText())
                .startsWith(config + ": defaults.target-file-size: '12 bananas' has an unknown unit 'bananas'")
                .as("the same words as stderr's line").isEqualTo(badConfig.err().strip().substring("delta-agent: ".length()));

        CliRun table = CliRun.of("audit", "--format", "json", "wasbs://c@a.blob.core.windows.net/t");
        assertThat(table.exitCode()).as(table.err()).isEqualTo(ExitCode.USAGE);
        assertThat(table.json().get("error").get("table").asText()).isEqualTo("wasbs://c@a.blob.core.windows.net/t");

        CliRun text = CliRun.of("audit", "--config", config.toString(), Fixtures.table("spark_optimized").toString());
        assertThat(text.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(text.out()).as("text output: stdout stays empty").isEmpty();

        CliRun healthy = CliRun.of("audit", "--format", "json", Fixtures.table("spark_optimized").toString());
        assertThat(healthy.out().strip().lines()).as("a result document, and nothing beside it").hasSize(1);
        assertThat(healthy.json().has("error")).isFalse();
    }

    @Test
    void anUnreachableHistoryDatabaseIsATransientErrorDocument() {
        PostgresTestServer pg = PostgresTestServer.own();
        pg.stop();

        CliRun run = CliRun.of("history", "--format", "json", "--history-db", pg.jdbcUrl());

        assertThat(run.exitCode()).isEqualTo(ExitCode.TRANSIENT);
        assertThat(run.err()).contains("cannot connect");
        JsonNode doc = run.json();
        assertThat(doc.get("exitCode").asInt()).isEqualTo(ExitCode.TRANSIENT);
        assertThat(doc.get("error").get("kind").asText()).isEqualTo("TRANSIENT");
        assertThat(doc.get("error").get("setting").asText()).isEqualTo("--history-db");
        assertThat(doc.get("error").get("message").asText()).startsWith("history database " + pg.jdbcUrl()).contains("cannot connect");
    }
}
